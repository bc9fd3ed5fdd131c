-- Every expansion opportunity the toolkit finds for each customer of `customers` (shaped like
-- int_toolkit_portfolio__customers), with the members of its lists (`list_members`, shaped like
-- int_toolkit_portfolio__list_members) and its product modules (`product_modules`, shaped like
-- int_toolkit_portfolio__product_modules), in the order the scorer finds them (seats, tier upgrade,
-- modules, departments), with its revenue, effort, priority score and rationale. One
-- implementation for the loaded portfolio and the warehouse's accounts.

{% macro toolkit_expansion_opportunities(customers, list_members, product_modules) %}
with recursive

customers as (
    select * from {{ customers }}
),

list_members as (
    select * from {{ list_members }}
),

modules as (
    select * from {{ product_modules }}
),

parameters as (
    select * from {{ ref('int_toolkit__parameters') }}
),

tier_uplifts as (
    select * from {{ ref('toolkit_expansion_tiers') }}
),

module_fractions as (
    select * from {{ ref('toolkit_expansion_modules') }}
),

seat_growth as (
    select * from {{ ref('toolkit_expansion_seat_growth') }}
),

efforts as (
    select * from {{ ref('toolkit_expansion_efforts') }}
),

base as {{ materialized_cte() }} (
    select
        customers.customer_index,
        coalesce(customers.arr, 0) as arr,
        lower(coalesce(customers.segment, 'mid-market')) as segment,
        coalesce(customers.contract__licensed_seats, 0) as licensed_seats,
        coalesce(customers.contract__active_seats, 0) as active_seats,
        lower(coalesce(customers.contract__plan_tier, '')) as current_tier
    from customers
),

seats as {{ materialized_cte() }} (
    select
        base.*,
        case when base.licensed_seats = 0 then 0.0 else base.active_seats / base.licensed_seats end as utilisation,
        coalesce(seat_growth.seat_growth_factor, parameters.expansion_default_seat_growth) as growth_factor,
        coalesce(current_uplift.tier_uplift, parameters.expansion_default_tier_uplift) as current_uplift
    from base
    cross join parameters
    left join seat_growth
        on base.segment = seat_growth.segment
    left join tier_uplifts as current_uplift
        on base.current_tier = current_uplift.plan_tier
),

seat_revenue as {{ materialized_cte() }} (
    select
        seats.*,
        seats.arr * seats.growth_factor as seat_product
    from seats
),

seat_opportunities as {{ materialized_cte() }} (
    select
        customer_index,
        1 as found_order,
        'seat_expansion' as category,
        cast(null as varchar) as target_tier,
        cast(null as varchar) as module,
        cast(null as varchar) as department,
        {{ python_round('seat_product', 0) }} as estimated_revenue,
        'Seat utilisation at ' || {{ python_format_percent('utilisation') }} || ' -- likely needs '
        || cast(cast(trunc(licensed_seats * growth_factor) as bigint) as varchar) || ' additional seats' as rationale
    from seat_revenue
    cross join parameters
    where utilisation >= parameters.expansion_seat_utilisation_threshold
),

tiers_offered as {{ materialized_cte() }} (
    select
        list_members.customer_index,
        list_members.position,
        list_members.member_text as tier,
        coalesce(tier_uplifts.tier_uplift, parameters.expansion_default_tier_uplift) as tier_uplift,
        (case when seats.current_uplift = 0 then 0.0 else seats.arr / seats.current_uplift end)
        * coalesce(tier_uplifts.tier_uplift, parameters.expansion_default_tier_uplift) - seats.arr as incremental,
        seats.current_uplift
    from list_members
    inner join seats
        on list_members.customer_index = seats.customer_index
    cross join parameters
    left join tier_uplifts
        on lower(list_members.member_text) = tier_uplifts.plan_tier
    where list_members.list_name = 'available_tiers'
),

tiers_rounded as {{ materialized_cte() }} (
    select
        tiers_offered.*,
        {{ python_round('tiers_offered.incremental', 0) }} as incremental_rounded
    from tiers_offered
),

-- the scorer walks the offered tiers in order, keeping the best upgrade found so far
tier_walk as (
    select
        customer_index,
        0 as position,
        cast(0.0 as {{ type_double() }}) as best_revenue,
        cast(null as varchar) as best_tier,
        cast(null as {{ type_double() }}) as best_uplift,
        cast(null as {{ type_double() }}) as best_incremental
    from base
    union all
    select
        tier_walk.customer_index,
        tiers_offered.position,
        case when tiers_offered.tier_uplift > tiers_offered.current_uplift
            and tiers_offered.incremental > tier_walk.best_revenue
            and (tier_walk.best_tier is null or tiers_offered.tier_uplift < tier_walk.best_uplift)
            then tiers_offered.incremental_rounded else tier_walk.best_revenue end as best_revenue,
        case when tiers_offered.tier_uplift > tiers_offered.current_uplift
            and tiers_offered.incremental > tier_walk.best_revenue
            and (tier_walk.best_tier is null or tiers_offered.tier_uplift < tier_walk.best_uplift)
            then tiers_offered.tier else tier_walk.best_tier end as best_tier,
        case when tiers_offered.tier_uplift > tiers_offered.current_uplift
            and tiers_offered.incremental > tier_walk.best_revenue
            and (tier_walk.best_tier is null or tiers_offered.tier_uplift < tier_walk.best_uplift)
            then coalesce(best_known.tier_uplift, parameters.expansion_unknown_best_tier_uplift)
            else tier_walk.best_uplift end as best_uplift,
        case when tiers_offered.tier_uplift > tiers_offered.current_uplift
            and tiers_offered.incremental > tier_walk.best_revenue
            and (tier_walk.best_tier is null or tiers_offered.tier_uplift < tier_walk.best_uplift)
            then tiers_offered.incremental else tier_walk.best_incremental end as best_incremental
    from tier_walk
    inner join tiers_rounded as tiers_offered
        on tier_walk.customer_index = tiers_offered.customer_index
        and tiers_offered.position = tier_walk.position + 1
    cross join parameters
    left join tier_uplifts as best_known
        on lower(tiers_offered.tier) = best_known.plan_tier
),

best_tiers as {{ materialized_cte() }} (
    select
        tier_walk.*,
        row_number() over (partition by tier_walk.customer_index order by tier_walk.position desc) as recency
    from tier_walk
),

tier_opportunities as {{ materialized_cte() }} (
    select
        best_tiers.customer_index,
        2 as found_order,
        'tier_upgrade' as category,
        best_tiers.best_tier as target_tier,
        cast(null as varchar) as module,
        cast(null as varchar) as department,
        best_tiers.best_revenue as estimated_revenue,
        'Upgrade from ' || seats.current_tier || ' to ' || best_tiers.best_tier || ' adds $'
        || {{ python_format_thousands('best_tiers.best_incremental') }} || ' ARR' as rationale
    from best_tiers
    inner join seats
        on best_tiers.customer_index = seats.customer_index
    where best_tiers.recency = 1
        and best_tiers.best_revenue > 0
        and best_tiers.best_tier <> ''
),

module_revenue as {{ materialized_cte() }} (
    select
        modules.customer_index,
        modules.position,
        modules.module,
        base.arr * coalesce(module_fractions.revenue_fraction, parameters.expansion_default_module_fraction)
            as module_product
    from modules
    inner join base
        on modules.customer_index = base.customer_index
    cross join parameters
    left join module_fractions
        on lower(modules.module) = module_fractions.module
    where not modules.is_adopted
        and coalesce(module_fractions.revenue_fraction, parameters.expansion_default_module_fraction) > 0
),

module_revenue_rounded as {{ materialized_cte() }} (
    select
        module_revenue.*,
        {{ python_round('module_product', 0) }} as module_revenue
    from module_revenue
),

module_opportunities as {{ materialized_cte() }} (
    select
        customer_index,
        100 + position as found_order,
        'module_cross_sell' as category,
        cast(null as varchar) as target_tier,
        module,
        cast(null as varchar) as department,
        module_revenue as estimated_revenue,
        'Module not adopted -- $' || {{ python_format_thousands('module_revenue') }}
        || ' potential ARR' as rationale
    from module_revenue_rounded
),

current_departments as (
    select * from list_members
    where list_name = 'current_departments'
),

department_counts as {{ materialized_cte() }} (
    select
        base.customer_index,
        base.arr,
        count(current_departments.position) as current_count
    from base
    left join current_departments
        on base.customer_index = current_departments.customer_index
    group by base.customer_index, base.arr
),

department_revenue as {{ materialized_cte() }} (
    select
        list_members.customer_index,
        list_members.position,
        list_members.member_text as department,
        department_counts.arr / greatest(department_counts.current_count, 1) * parameters.expansion_department_discount
            as department_product
    from list_members
    inner join department_counts
        on list_members.customer_index = department_counts.customer_index
    cross join parameters
    where list_members.list_name = 'potential_departments'
        and not exists (
            select 1
            from current_departments
            where current_departments.customer_index = list_members.customer_index
                and lower(current_departments.member_text) = lower(list_members.member_text)
        )
),

department_revenue_rounded as {{ materialized_cte() }} (
    select
        department_revenue.*,
        {{ python_round('department_product', 0) }} as department_revenue
    from department_revenue
),

department_opportunities as {{ materialized_cte() }} (
    select
        customer_index,
        100000 + position as found_order,
        'department_expansion' as category,
        cast(null as varchar) as target_tier,
        cast(null as varchar) as module,
        department,
        department_revenue as estimated_revenue,
        'Expand to ' || department || ' department -- est. $'
        || {{ python_format_thousands('department_revenue') }} || ' ARR' as rationale
    from department_revenue_rounded
),

opportunities as {{ materialized_cte() }} (
    select * from seat_opportunities
    where estimated_revenue > 0
    union all
    select * from tier_opportunities
    union all
    select * from module_opportunities
    union all
    select * from department_opportunities
),

prioritised as {{ materialized_cte() }} (
    select
        opportunities.*,
        efforts.opportunity_type,
        efforts.effort,
        {{ python_clamp('opportunities.estimated_revenue / parameters.expansion_revenue_per_priority_point') }}
        * efforts.priority_multiplier as priority_product
    from opportunities
    inner join efforts
        on opportunities.category = efforts.category
    cross join parameters
),

scored as {{ materialized_cte() }} (
    select
        prioritised.*,
        {{ python_round('priority_product', 1) }} as priority_score
    from prioritised
),

final as (
    select
        customer_index,
        found_order,
        row_number() over (partition by customer_index order by priority_score desc, found_order asc) as priority_rank,
        opportunity_type,
        category,
        target_tier,
        module,
        department,
        estimated_revenue,
        effort,
        priority_score,
        rationale
    from scored
)

select * from final
{% endmacro %}
