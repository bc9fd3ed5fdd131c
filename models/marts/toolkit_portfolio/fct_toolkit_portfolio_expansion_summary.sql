-- The expansion opportunity scorer's portfolio summary for the loaded portfolio: one row. The
-- revenue total adds the customers' totals in portfolio order (Python's sum()); it stays the
-- integer 0 while no customer has an opportunity.

with

expansion as (
    select * from {{ ref('fct_toolkit_portfolio_expansion') }}
),

final as (
    select
        count(*) as total_customers,
        {{ python_float_sum('total_estimated_revenue', 'customer_index') }} as total_estimated_revenue,
        max(case when total_estimated_revenue is not null then 1 else 0 end) = 1 as has_opportunities,
        sum(opportunity_count) as total_opportunities
    from expansion
)

select * from final
