-- The lists the expansion scorer iterates, for every customer account, shaped like
-- int_toolkit_portfolio__list_members: available_tiers is our product tiers, lowest first
-- (toolkit_plan_tiers). Departments: our sources do not record which departments use the
-- product, so the current and potential department lists are missing (no department expansion).

with

customers as (
    select * from {{ ref('int_toolkit__warehouse_customers') }}
),

plan_tiers as (
    {%- for tier in var('toolkit_plan_tiers') %}
    select
        {{ loop.index }} as position,
        '{{ tier }}' as tier
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        customers.customer_index,
        cast('available_tiers' as {{ type_varchar() }}) as list_name,
        cast(plan_tiers.position as {{ dbt.type_int() }}) as position,
        cast('VARCHAR' as {{ type_varchar() }}) as member_type,
        cast(plan_tiers.tier as {{ type_varchar() }}) as member_text
    from customers
    cross join plan_tiers
    where customers.contract__available_tiers_type = 'ARRAY'
)

select * from final
