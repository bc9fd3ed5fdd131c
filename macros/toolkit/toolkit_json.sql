-- Reading the toolkit's JSON portfolio (one JSON document per customer) into columns. JSON
-- functions differ between engines: these dispatched macros hold the DuckDB forms.

{#- The JSON type of a value as Python's json module sees it: BIGINT/UBIGINT (int), DOUBLE (float),
    BOOLEAN, VARCHAR (str), NULL (None), OBJECT (dict), ARRAY (list); SQL NULL when absent. -#}
{% macro json_value_type(j) -%}
    {{ return(adapter.dispatch('json_value_type')(j)) }}
{%- endmacro %}

{% macro default__json_value_type(j) -%}
    json_type({{ j }})
{%- endmacro %}

{#- Unpack a JSON object into a struct of JSON values, one per listed key (absent keys: NULL). -#}
{% macro json_unpack_object(j, keys) -%}
    {{ return(adapter.dispatch('json_unpack_object')(j, keys)) }}
{%- endmacro %}

{% macro default__json_unpack_object(j, keys) -%}
    json_transform({{ j }}, '{ {%- for key in keys -%} "{{ key }}": "JSON"{{ ", " if not loop.last }} {%- endfor -%} }')
{%- endmacro %}

{#- A JSON number or boolean as a double (Python: True is 1, False is 0). -#}
{% macro json_number(j) -%}
    {{ return(adapter.dispatch('json_number')(j)) }}
{%- endmacro %}

{% macro default__json_number(j) -%}
    (case json_type({{ j }})
        when 'BOOLEAN' then (case when cast({{ j }} as varchar) = 'true' then 1.0 else 0.0 end)
        when 'BIGINT' then try_cast({{ j }} as double)
        when 'UBIGINT' then try_cast({{ j }} as double)
        when 'DOUBLE' then try_cast({{ j }} as double)
    end)
{%- endmacro %}

{#- A JSON string's text (unescaped). -#}
{% macro json_string(j) -%}
    {{ return(adapter.dispatch('json_string')(j)) }}
{%- endmacro %}

{% macro default__json_string(j) -%}
    (case when json_type({{ j }}) = 'VARCHAR' then {{ j }} ->> '$' end)
{%- endmacro %}

{#- PostgreSQL reads the JSON text the warehouse's accounts are shaped into (int_toolkit__warehouse_customers). -#}
{% macro postgres__json_string(j) -%}
    (case when json_typeof(cast({{ j }} as json)) = 'string' then cast({{ j }} as json) #>> '{}' end)
{%- endmacro %}

{#- The text of a JSON value as JSON, numbers as Python writes them (floats by repr). -#}
{% macro json_value_text(j) -%}
    {{ return(adapter.dispatch('json_value_text')(j)) }}
{%- endmacro %}

{% macro default__json_value_text(j) -%}
    (case json_type({{ j }})
        when 'DOUBLE' then cast(try_cast({{ j }} as double) as varchar)
        else cast({{ j }} as varchar)
    end)
{%- endmacro %}

{#- Python's truthiness of a JSON value (false, null, 0, 0.0, "", [] and {} are false). -#}
{% macro json_truthy(j) -%}
    {{ return(adapter.dispatch('json_truthy')(j)) }}
{%- endmacro %}

{% macro default__json_truthy(j) -%}
    (case json_type({{ j }})
        when 'BOOLEAN' then cast({{ j }} as varchar) = 'true'
        when 'NULL' then false
        when 'VARCHAR' then ({{ j }} ->> '$') <> ''
        when 'ARRAY' then json_array_length({{ j }}) > 0
        when 'OBJECT' then cast({{ j }} as varchar) <> '{}'
        when 'BIGINT' then try_cast({{ j }} as double) <> 0
        when 'UBIGINT' then try_cast({{ j }} as double) <> 0
        when 'DOUBLE' then try_cast({{ j }} as double) <> 0
        else false
    end)
{%- endmacro %}

{#- The members of a JSON array, object (its keys) or string (its characters), as a list of JSON
    values in the order Python iterates them. -#}
{% macro json_members(j) -%}
    {{ return(adapter.dispatch('json_members')(j)) }}
{%- endmacro %}

{% macro default__json_members(j) -%}
    (case json_type({{ j }})
        when 'ARRAY' then cast(json_transform({{ j }}, '["JSON"]') as json[])
        when 'OBJECT' then list_transform(json_keys({{ j }}), lambda k: to_json(k))
        when 'VARCHAR' then list_transform(
            list_filter(string_split({{ j }} ->> '$', ''), lambda c: c <> ''), lambda k: to_json(k))
        else cast([] as json[])
    end)
{%- endmacro %}

{#- The entries of a JSON object as a list of {key, value} pairs in document order. -#}
{% macro json_entries(j) -%}
    {{ return(adapter.dispatch('json_entries')(j)) }}
{%- endmacro %}

{% macro default__json_entries(j) -%}
    map_entries(json_transform({{ j }}, '"MAP(VARCHAR, JSON)"'))
{%- endmacro %}
