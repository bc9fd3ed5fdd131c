-- The declared columns of a source table (its YAML), under our names and cast to their declared
-- types whatever the loader landed (a CSV lands text; dates stay text until staging checks them).
-- A real sync may name our custom fields differently (var <source>_custom_fields maps ours to theirs) or lack them: a
-- missing column is selected as a typed NULL, the way the Fivetran packages fill staging columns.
-- Only declared columns are selected, however many the warehouse table has. In a dbt unit test the
-- source is a fixture CTE built from the raw table's own columns and `graph` is empty: select * then
-- (renames do not apply there: fixtures use our column names).
{% macro source_columns(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set renames = var(source_name ~ '_custom_fields', {}) -%}
    {%- set node = (graph.get('sources') or {}).values() | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name) | first if execute else none -%}
    {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list if execute else [] -%}
    {#- No columns found means the relation cannot be introspected (get_columns_in_relation returns
        nothing for a unit test's fixture CTE): take every declared column as landed then. -#}
    {%- set introspected = existing | length > 0 -%}
    {%- for column in (node.columns.values() if node else []) -%}
        {%- set landed_as = renames.get(column.name, column.name) -%}
        {%- if landed_as | lower in existing or not introspected -%}
            cast({{ adapter.quote(landed_as) if landed_as != column.name else landed_as }} as {{ portable_type(column.data_type) }}) as {{ column.name }}
        {%- else -%}
            cast(null as {{ portable_type(column.data_type) }}) as {{ column.name }}
        {%- endif -%}
        {{ ',' if not loop.last }}
    {% endfor -%}
    {%- if not node %}*{% endif -%}
{%- endmacro %}

{% macro portable_type(declared_type) -%}
    {%- set types = {
        'varchar': dbt.type_string(), 'integer': dbt.type_int(), 'bigint': dbt.type_bigint(),
        'double': type_double(), 'boolean': dbt.type_boolean(), 'date': 'date',
        'timestamp': dbt.type_timestamp()} -%}
    {{- types.get(declared_type, declared_type) -}}
{%- endmacro %}
