-- The toolkit's expansion potential for every customer account as of the as-of date, computed
-- from the warehouse's own measures by the expansion opportunity scorer's rules
-- (int_toolkit__warehouse_*): seat utilisation, current tier, total estimated revenue, the number
-- of opportunities and the top one by priority.

with

accounts as (
    select * from {{ ref('int_accounts__customers') }}
),

customers as (
    select * from {{ ref('int_toolkit__warehouse_customers') }}
),

summary as (
    select * from {{ ref('int_toolkit__warehouse_expansion_summary') }}
),

top_opportunities as (
    select * from {{ ref('int_toolkit__warehouse_expansion_opportunities') }}
    where priority_rank = 1
),

final as (
    select
        cast(accounts.account_id as {{ type_varchar() }}) as account_id,
        cast(accounts.account_name as {{ type_varchar() }}) as account_name,
        cast(accounts.segment as {{ type_varchar() }}) as segment,
        cast(accounts.as_of_date as date) as as_of_date,
        cast(accounts.arr as {{ type_double() }}) as arr,
        cast(summary.current_tier as {{ type_varchar() }}) as current_tier,
        cast(summary.seat_utilisation as {{ type_double() }}) as seat_utilisation,
        cast(coalesce(summary.total_estimated_revenue, 0) as {{ type_double() }}) as total_estimated_revenue,
        cast(summary.opportunity_count as {{ dbt.type_int() }}) as opportunity_count,
        cast(top_opportunities.category as {{ type_varchar() }}) as top_opportunity_category,
        cast(top_opportunities.opportunity_type as {{ type_varchar() }}) as top_opportunity_type,
        cast(top_opportunities.target_tier as {{ type_varchar() }}) as top_opportunity_target_tier,
        cast(top_opportunities.estimated_revenue as {{ type_double() }}) as top_opportunity_revenue,
        cast(top_opportunities.effort as {{ type_varchar() }}) as top_opportunity_effort,
        cast(top_opportunities.priority_score as {{ type_double() }}) as top_opportunity_priority,
        cast(top_opportunities.rationale as {{ type_varchar() }}) as top_opportunity_rationale
    from summary
    inner join customers
        on summary.customer_index = customers.customer_index
    inner join accounts
        on customers.customer_id = accounts.account_id
    left join top_opportunities
        on summary.customer_index = top_opportunities.customer_index
)

select * from final
