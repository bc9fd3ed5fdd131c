{{ config(tags=['health_component'], enabled=health_component_enabled('insider_calls')) }}
-- Insider calls in the last insider_calls_window_days. Cohort-only: the component does not apply
-- to accounts outside the Insider programme (NULL), so their composite renormalises.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

activity as (
    select * from {{ ref('int_activities__account_rollup') }}
),

measured as (
    select
        customers.account_id,
        customers.segment,
        customers.is_insider,
        case when customers.is_insider then coalesce(activity.insider_calls_in_window, 0) end as insider_calls_in_window
    from customers
    left join activity
        on customers.account_id = activity.account_id
),

{{ component_metric_scores('measured', 'insider_calls', ['insider_calls_in_window']) }},

final as (
    select
        measured.account_id,
        measured.is_insider,
        measured.insider_calls_in_window,
        measured.insider_calls_in_window as raw_value,
        case when component_scores.score is null then 'not in the Insider programme' end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
