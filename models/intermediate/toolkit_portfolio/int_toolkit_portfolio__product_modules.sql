-- The modules of each customer's product_usage object, in the object's order: whether adopted
-- (Python truthiness) and the usage percentage.

with

customers as (
    select * from {{ ref('int_toolkit_portfolio__customers') }}
),

entries as (
    select
        customer_index,
        unnest({{ json_entries('product_usage_json') }}) as entry,
        unnest(range(1, len({{ json_entries('product_usage_json') }}) + 1)) as position
    from customers
    where product_usage_type = 'OBJECT'
),

unpacked as (
    select
        customer_index,
        cast(position as integer) as position,
        entry.key as module,
        coalesce({{ json_value_type('entry.value') }}, 'NULL') as module_type,
        case when {{ json_value_type('entry.value') }} = 'OBJECT'
            then {{ json_unpack_object('entry.value', ['adopted', 'usage_pct']) }} end as fields,
        case when {{ json_value_type('entry.value') }} = 'OBJECT' then json_keys(entry.value) end as keys
    from entries
),

final as (
    select
        customer_index,
        position,
        module,
        module_type,
        coalesce({{ json_truthy('fields.adopted') }}, false) as is_adopted,
        case
            when not coalesce(list_contains(keys, 'usage_pct'), false) then 'MISSING'
            else coalesce({{ json_value_type('fields.usage_pct') }}, 'NULL')
        end as usage_pct_type,
        coalesce({{ json_number('fields.usage_pct') }}, 0) as usage_pct
    from unpacked
)

select * from final
