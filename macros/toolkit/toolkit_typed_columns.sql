{#- The columns int_toolkit_portfolio__customers derives from one JSON field: <name>_type ('MISSING' when the
    key is absent, else the JSON type) and, by kind, <name> (a number: booleans count 1/0; a string;
    or a flag: Python truthiness), <name>_text (how Python's str() prints a number) and
    <name>_json (the JSON text, numbers as Python writes them). -#}
{% macro typed_columns(name, value, present, kind) -%}
    case when not ({{ present }}) then 'MISSING' else coalesce({{ json_value_type(value) }}, 'NULL') end as {{ name }}_type
    {%- if kind == 'number' %},
    {{ json_number(value) }} as {{ name }},
    case {{ json_value_type(value) }}
        when 'BOOLEAN' then (case when {{ json_number(value) }} = 1 then 'True' else 'False' end)
        else {{ json_value_text(value) }}
    end as {{ name }}_text,
    {{ json_value_text(value) }} as {{ name }}_json
    {%- elif kind == 'string' %},
    {{ json_string(value) }} as {{ name }},
    {{ json_value_text(value) }} as {{ name }}_json
    {%- elif kind == 'flag' %},
    coalesce({{ json_truthy(value) }}, false) as {{ name }}
    {%- elif kind == 'echo' %},
    {{ json_string(value) }} as {{ name }},
    {{ json_value_text(value) }} as {{ name }}_json
    {%- else %},
    {{ value }}{{ ' as ' ~ name ~ '_json' if value != name ~ '_json' }}
    {%- endif %}
{%- endmacro %}
