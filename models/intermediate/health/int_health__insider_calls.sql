{{ config(tags=['health_component'], enabled=health_component_enabled('insider_calls')) }}
-- Insider calls in the last insider_calls_window_days. Cohort-only: the component does not apply
-- to accounts outside the Insider programme (NULL), so their composite renormalises.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

activities as (
    select * from {{ ref('int_activities__classified') }}
),

insider_calls as (
    select activities.*
    from activities
    cross join as_of
    where activities.activity_type = 'insider_call'
        and activities.activity_date <= as_of.as_of_date
        and activities.activity_date > {{ dbt.dateadd('day', -var('insider_calls_window_days'), 'as_of.as_of_date') }}
),

per_account as (
    select
        account_id,
        count(*) as insider_calls_in_window
    from insider_calls
    group by account_id
),

measured as (
    select
        customers.account_id,
        customers.segment,
        customers.is_insider,
        case when customers.is_insider then coalesce(per_account.insider_calls_in_window, 0) end as insider_calls_in_window
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
),

{{ component_metric_scores('measured', 'insider_calls', ['insider_calls_in_window']) }},

final as (
    select
        measured.account_id,
        measured.is_insider,
        measured.insider_calls_in_window,
        measured.insider_calls_in_window as raw_value,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
