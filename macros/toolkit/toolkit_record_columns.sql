-- Customers for the toolkit's scoring macros from SQL instead of JSON: the same columns
-- int_toolkit_portfolio__customers unpacks from a portfolio file (customer_index and customer_position
-- aside), in the same order and with the same meaning, so the one implementation of each score
-- reads either.

{#- Every field of the toolkit's catalogue (toolkit_customer_fields). `values` maps a field (a
    top-level name, or <container>__<leaf>) to [json_type, expression]: json_type is how the value
    would appear in a file (DOUBLE, BIGINT, VARCHAR, ARRAY), and a row whose expression is NULL
    leaves the field out, as a file without the key would; an unmapped field is missing on every
    row (the toolkit then applies its default). A container is present when one of its fields is
    mapped. -#}
{% macro toolkit_record_columns(values) -%}
    {%- set fields = toolkit_customer_fields() -%}
    {%- for name, kind in fields.top_fields.items() %}
    {{ toolkit_record_column(name, kind, values.get(name)) }},
    {%- endfor %}
    {%- for container, leaves in fields.containers.items() %}
    {%- set mapped = [] %}
    {%- for leaf in leaves %}{% if (container ~ '__' ~ leaf) in values %}{% do mapped.append(leaf) %}{% endif %}{% endfor %}
    '{{ "OBJECT" if mapped or container in values else "MISSING" }}' as {{ container }}_type,
    {%- for leaf, kind in leaves.items() %}
    {{ toolkit_record_column(container ~ '__' ~ leaf, kind, values.get(container ~ '__' ~ leaf)) }},
    {%- endfor %}
    {%- endfor %}
    {{ values['product_usage'][1] if 'product_usage' in values else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as product_usage_json
{%- endmacro %}

{#- The columns of one field, as typed_columns derives them from JSON: <name>_type and, by kind,
    <name> (a number as a double, a string, or a flag), <name>_text (str() of a number) and
    <name>_json (JSON text, numbers as Python writes them). -#}
{% macro toolkit_record_column(name, kind, value) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- if value is none -%}
    'MISSING' as {{ name }}_type
    {%- if kind == 'number' %},
    cast(null as {{ type_double() }}) as {{ name }},
    cast(null as {{ string_type }}) as {{ name }}_text,
    cast(null as {{ string_type }}) as {{ name }}_json
    {%- elif kind in ('string', 'echo') %},
    cast(null as {{ string_type }}) as {{ name }},
    cast(null as {{ string_type }}) as {{ name }}_json
    {%- elif kind == 'flag' %},
    false as {{ name }}
    {%- else %},
    cast(null as {{ string_type }}) as {{ name }}_json
    {%- endif %}
    {%- else -%}
    {%- set json_type, expression = value -%}
    case when ({{ expression }}) is null then 'MISSING' else '{{ json_type }}' end as {{ name }}_type
    {%- if kind == 'number' %}
    {%- if json_type == 'DOUBLE' %}
    {%- set text = python_float_repr('cast(' ~ expression ~ ' as ' ~ type_double() ~ ')') %}
    {%- else %}
    {%- set text = 'cast(cast(' ~ expression ~ ' as ' ~ dbt.type_bigint() ~ ') as ' ~ string_type ~ ')' %}
    {%- endif %},
    cast({{ expression }} as {{ type_double() }}) as {{ name }},
    {{ text }} as {{ name }}_text,
    {{ text }} as {{ name }}_json
    {%- elif kind in ('string', 'echo') %},
    cast({{ expression }} as {{ string_type }}) as {{ name }},
    cast(to_json(cast({{ expression }} as {{ string_type }})) as {{ string_type }}) as {{ name }}_json
    {%- elif kind == 'flag' %},
    coalesce({{ expression }}, false) as {{ name }}
    {%- else %},
    cast({{ expression }} as {{ string_type }}) as {{ name }}_json
    {%- endif %}
    {%- endif %}
{%- endmacro %}
