-- The expansion opportunity scorer's opportunities for each customer of the loaded portfolio, one
-- row per opportunity, ranked as the scorer ranks them (priority, highest first; ties in the order
-- found).

with

opportunities as (
    select * from {{ ref('int_toolkit_portfolio__expansion_opportunities') }}
),

final as (
    select
        customer_index,
        priority_rank,
        opportunity_type,
        category,
        target_tier,
        module,
        department,
        estimated_revenue,
        effort,
        priority_score,
        rationale
    from opportunities
)

select * from final
