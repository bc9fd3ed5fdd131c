-- One row per customer of the loaded toolkit portfolio, every field the three toolkit scores read
-- unpacked from its JSON: for each field its JSON type ('MISSING' when the key is absent), its
-- value as a number (booleans count 1/0, as in Python) or text, and how Python prints it.

{%- set fields = toolkit_customer_fields() %}
{%- set containers = fields.containers %}
{%- set top_fields = fields.top_fields %}

with

portfolio_customers as (
    select * from {{ ref('stg_toolkit__portfolio_customers') }}
),

top_level as (
    select
        customer_index,
        json_keys(customer) as customer_keys,
        {{ json_unpack_object('customer', top_fields.keys() | list + containers.keys() | list) }} as fields
    from portfolio_customers
),

second_level as (
    select
        customer_index,
        customer_keys,
        {%- for name in top_fields %}
        fields.{{ name }} as {{ name }}_json,
        {%- endfor %}
        {%- for container, leaves in containers.items() %}
        fields.{{ container }} as {{ container }}_json,
        {%- if leaves %}
        case when {{ json_value_type('fields.' ~ container) }} = 'OBJECT' then json_keys(fields.{{ container }}) end as {{ container }}_keys,
        case when {{ json_value_type('fields.' ~ container) }} = 'OBJECT'
            then {{ json_unpack_object('fields.' ~ container, leaves.keys() | list) }} end as {{ container }}_fields,
        {%- endif %}
        {%- endfor %}
        customer_index as customer_position
    from top_level
),

typed as (
    select
        customer_index,
        {%- for name, kind in top_fields.items() %}
        {{ typed_columns(name, name ~ '_json', "list_contains(customer_keys, '" ~ name ~ "')", kind) }},
        {%- endfor %}
        {%- for container, leaves in containers.items() %}
        case
            when not list_contains(customer_keys, '{{ container }}') then 'MISSING'
            else coalesce({{ json_value_type(container ~ '_json') }}, 'NULL')
        end as {{ container }}_type,
        {%- for leaf, kind in leaves.items() %}
        {{ typed_columns(container ~ '__' ~ leaf, container ~ '_fields.' ~ leaf,
            "coalesce(list_contains(" ~ container ~ "_keys, '" ~ leaf ~ "'), false)", kind) }},
        {%- endfor %}
        {%- endfor %}
        product_usage_json,
        customer_position
    from second_level
),

final as (
    select * from typed
)

select * from final
