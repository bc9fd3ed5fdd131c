-- The checks a base model runs on each raw row; the first that fails names its quarantine rule.

-- A text value that is present but does not parse as the type.
{% macro is_unparseable(column_name, data_type) -%}
    ({{ column_name }} is not null and {{ safe_cast(column_name, data_type) }} is null)
{%- endmacro %}

-- An event that claims to have happened after the sync that delivered it.
{% macro is_after_sync(column_name, data_type='date') -%}
    ({{ safe_cast(column_name, data_type) }} > cast(_fivetran_synced as {{ data_type }}))
{%- endmacro %}

-- A value outside the accepted list for its source column (seed accepted_source_values).
{% macro is_unknown_value(expression, source_table, column_name) -%}
    ({{ expression }} not in (
        select accepted_value from {{ ref('accepted_source_values') }}
        where source_table = '{{ source_table }}' and column_name = '{{ column_name }}'
    ))
{%- endmacro %}

-- A foreign key set to a value its raw parent table has never held. Deleted, deduplicated or
-- quarantined parents still count as held: only a key missing from the raw parent (or there only
-- as a value that does not parse as a key) is orphaned.
{% macro is_orphaned(column_name, source_name, table_name, data_type) -%}
    ({{ column_name }} is not null and {{ column_name }} not in (
        select {{ safe_cast('id', data_type) }} from {{ source(source_name, table_name) }}
        where {{ safe_cast('id', data_type) }} is not null
    ))
{%- endmacro %}
