-- The expansion potential of each customer of `customers` (shaped like int_toolkit_portfolio__customers),
-- as the expansion opportunity scorer reports it, from its `opportunities`
-- (toolkit_expansion_opportunities), `product_modules` and `list_members`: adoption summary,
-- total estimated revenue and opportunity count; report_rank gives the scorer's order (total
-- revenue, highest first; ties in customer order). One implementation for the loaded portfolio
-- and the warehouse's accounts.

{% macro toolkit_expansion_summary(customers, opportunities, product_modules, list_members) %}
with

customers as (
    select * from {{ customers }}
),

opportunities as (
    select * from {{ opportunities }}
),

modules as (
    select * from {{ product_modules }}
),

list_members as (
    select * from {{ list_members }}
),

opportunity_totals as {{ materialized_cte() }} (
    select
        customer_index,
        count(*) as opportunity_count,
        {{ python_float_sum('estimated_revenue', 'priority_rank') }} as revenue_sum
    from opportunities
    group by customer_index
),

module_totals as {{ materialized_cte() }} (
    select
        customer_index,
        count(*) as total_modules,
        sum(case when is_adopted then 1 else 0 end) as adopted_modules,
        {{ python_float_sum('case when is_adopted then usage_pct end', 'position') }} as adopted_usage_sum
    from modules
    group by customer_index
),

list_counts as {{ materialized_cte() }} (
    select
        customer_index,
        sum(case when list_name = 'current_departments' then 1 else 0 end) as departments_covered,
        sum(case when list_name = 'potential_departments' then 1 else 0 end) as departments_potential
    from list_members
    group by customer_index
),

summarised as {{ materialized_cte() }} (
    select
        customers.customer_index,
        customers.customer_id_type,
        customers.customer_id,
        customers.customer_id_json,
        customers.name_type,
        customers.name,
        customers.name_json,
        lower(coalesce(customers.segment, 'mid-market')) as segment,
        customers.arr_type,
        coalesce(customers.arr, 0) as arr,
        customers.arr_json,
        coalesce(module_totals.total_modules, 0) as total_modules,
        coalesce(module_totals.adopted_modules, 0) as adopted_modules,
        case when coalesce(module_totals.total_modules, 0) > 0
            then cast(module_totals.adopted_modules as {{ type_double() }}) / module_totals.total_modules * 100 end as adoption_product,
        coalesce(module_totals.adopted_usage_sum, 0.0) / greatest(coalesce(module_totals.adopted_modules, 0), 1)
            as usage_quotient,
        coalesce(customers.contract__active_seats, 0)
        / greatest(coalesce(customers.contract__licensed_seats, 0), 1) * 100 as seat_product,
        lower(coalesce(customers.contract__plan_tier, '')) as current_tier,
        coalesce(list_counts.departments_covered, 0) as departments_covered,
        coalesce(list_counts.departments_potential, 0) as departments_potential,
        coalesce(opportunity_totals.opportunity_count, 0) as opportunity_count,
        opportunity_totals.revenue_sum
    from customers
    left join module_totals
        on customers.customer_index = module_totals.customer_index
    left join list_counts
        on customers.customer_index = list_counts.customer_index
    left join opportunity_totals
        on customers.customer_index = opportunity_totals.customer_index
),

final as (
    select
        customer_index,
        row_number() over (
            order by coalesce({{ python_round('revenue_sum', 0) }}, 0) desc, customer_index
        ) as report_rank,
        customer_id_type,
        customer_id,
        customer_id_json,
        name_type,
        name,
        name_json,
        segment,
        arr_type,
        arr,
        arr_json,
        total_modules,
        adopted_modules,
        {{ python_round('adoption_product', 1) }} as adoption_rate,
        {{ python_round('usage_quotient', 1) }} as avg_usage_pct,
        {{ python_round('seat_product', 1) }} as seat_utilisation,
        current_tier,
        departments_covered,
        departments_potential,
        {{ python_round('revenue_sum', 0) }} as total_estimated_revenue,
        opportunity_count
    from summarised
)

select * from final
{% endmacro %}
