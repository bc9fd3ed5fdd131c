-- A raw row as it landed, kept beside the typed columns so the quarantine can show it: built,
-- compared and published per engine.

-- A raw row as it landed from [name, expression] pairs, kept beside the typed columns. DuckDB builds a
-- struct (building JSON text for every row of a large table cost more than the rest of its staging),
-- compares rows by a hash of it and keeps it as JSON text where staging refused the row
-- (raw_row_where_quarantined); PostgreSQL and Spark keep and compare JSON text.
{% macro raw_row_of(fields) -%}
    {{ return(adapter.dispatch('raw_row_of', 'client_success_intelligence')(fields)) }}
{%- endmacro %}

{% macro duckdb__raw_row_of(fields) -%}
    struct_pack({% for name, expression in fields %}{{ name }} := {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro default__raw_row_of(fields) -%}
    cast(json_build_object({% for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %}) as text)
{%- endmacro %}

{#- Spark's to_json leaves out null fields and cuts timestamps to milliseconds unless told. -#}
{% macro spark__raw_row_of(fields) -%}
    to_json(
        named_struct({% for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %}),
        map('ignoreNullFields', 'false', 'timestampFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
    )
{%- endmacro %}

-- A raw_row_of value as JSON text to publish: each field in `fields` may identify a person and is
-- masked as its kind says (personal_fields); the others show as they arrived.
{% macro published_raw_row(raw_row, fields) -%}
    {{ return(adapter.dispatch('published_raw_row', 'client_success_intelligence')(raw_row, fields)) }}
{%- endmacro %}

{#- The fields in their landed order: JSON merge patch would move the masked ones last. -#}
{% macro duckdb__published_raw_row(raw_row, fields) -%}
    {%- if fields -%}
    cast(to_json(map_from_entries(list_transform(json_keys({{ raw_row }}), lambda field_name: struct_pack(
        k := field_name,
        v := case field_name
            {%- for name, kind in fields.items() %}
            when '{{ name }}' then to_json({{ masked_value(raw_row ~ " ->> '" ~ name ~ "'", kind) }})
            {%- endfor %}
            else {{ raw_row }} -> field_name
        end)))) as {{ dbt.type_string() }})
    {%- else -%}
    {{ raw_row }}
    {%- endif -%}
{%- endmacro %}

{% macro default__published_raw_row(raw_row, fields) -%}
    {%- if fields -%}
    cast(cast({{ raw_row }} as jsonb) || jsonb_build_object(
        {%- for name, kind in fields.items() %}
        '{{ name }}', {{ masked_value("cast(" ~ raw_row ~ " as jsonb) ->> '" ~ name ~ "'", kind) }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as text)
    {%- else -%}
    {{ raw_row }}
    {%- endif -%}
{%- endmacro %}

{#- Spark has no JSON update: the row is read as a map of texts (numbers become JSON strings). -#}
{% macro spark__published_raw_row(raw_row, fields) -%}
    {%- if fields -%}
    to_json(transform_values(from_json({{ raw_row }}, 'map<string, string>'), (field_name, field_value) -> case field_name
        {%- for name, kind in fields.items() %}
        when '{{ name }}' then {{ masked_value('field_value', kind) }}
        {%- endfor %}
        else field_value end))
    {%- else -%}
    {{ raw_row }}
    {%- endif -%}
{%- endmacro %}

{% macro masked_value(value, kind) -%}
    {{ pseudonym(value) if kind == 'identifier' else scrub_contact_details('cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')') }}
{%- endmacro %}

-- A raw_row_of value in a form that orders and compares rows by their content.
{% macro raw_row_digest(raw_row) -%}
    {{ return(adapter.dispatch('raw_row_digest', 'client_success_intelligence')(raw_row)) }}
{%- endmacro %}

{% macro default__raw_row_digest(raw_row) -%}
    {{ raw_row }}
{%- endmacro %}

{% macro duckdb__raw_row_digest(raw_row) -%}
    hash({{ raw_row }})
{%- endmacro %}

-- Every column of `relation`, with raw_row kept where staging refused the row. On DuckDB it is
-- dropped elsewhere (writing it for every row of a large table cost a quarter of the table's
-- staging) and kept as JSON text: a struct column that is NULL on nearly every row still cost a
-- seventh of the largest base model's time to write, and its type would follow the landed types.
-- PostgreSQL and Spark cannot leave one column out of `*` and keep it on every row.
{% macro raw_row_where_quarantined(relation) -%}
    {{ return(adapter.dispatch('raw_row_where_quarantined', 'client_success_intelligence')(relation)) }}
{%- endmacro %}

{% macro default__raw_row_where_quarantined(relation) -%}
    {{ relation }}.*
{%- endmacro %}

{% macro duckdb__raw_row_where_quarantined(relation) -%}
    {{ relation }}.* exclude (raw_row),
    case when {{ relation }}.disposition = 'quarantined' then cast(to_json({{ relation }}.raw_row) as {{ dbt.type_string() }}) end as raw_row
{%- endmacro %}
