-- The members of each customer's lists the expansion scorer iterates (contract.available_tiers,
-- departments.current, departments.potential), one row per member in Python's iteration order.

with

customers as (
    select * from {{ ref('int_toolkit_portfolio__customers') }}
),

lists as (
    select customer_index, 'available_tiers' as list_name, {{ json_members('contract__available_tiers_json') }} as members
    from customers
    union all
    select customer_index, 'current_departments' as list_name, {{ json_members('departments__current_json') }} as members
    from customers
    union all
    select customer_index, 'potential_departments' as list_name, {{ json_members('departments__potential_json') }} as members
    from customers
),

members as (
    select
        customer_index,
        list_name,
        unnest(members) as member,
        unnest(range(1, len(members) + 1)) as position
    from lists
),

final as (
    select
        customer_index,
        list_name,
        cast(position as integer) as position,
        coalesce({{ json_value_type('member') }}, 'NULL') as member_type,
        {{ json_string('member') }} as member_text
    from members
)

select * from final
