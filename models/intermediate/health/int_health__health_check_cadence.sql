{{ config(tags=['health_component'], enabled=health_component_enabled('health_check_cadence')) }}
-- Health-check cadence: days since the last health check and health checks in the last
-- health_check_window_days. Never checked scores as longest ago (the measure stays NULL).

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

health_checks as (
    select activities.*
    from activities
    cross join as_of
    where activities.activity_type = 'health_check'
        and activities.activity_date <= as_of.as_of_date
),

per_account as (
    select
        account_id,
        max(health_checks.activity_date) as last_health_check_date,
        sum(case
            when health_checks.activity_date > {{ dbt.dateadd('day', -var('health_check_window_days'), 'as_of.as_of_date') }}
                then 1 else 0
        end) as health_checks_in_window
    from health_checks
    cross join as_of
    group by health_checks.account_id
),

measured as (
    select
        customers.account_id,
        customers.segment,
        per_account.last_health_check_date,
        {{ dbt.datediff('per_account.last_health_check_date', 'customers.as_of_date', 'day') }} as days_since_last_health_check,
        coalesce(per_account.health_checks_in_window, 0) as health_checks_in_window
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
),

{{ component_metric_scores('measured', 'health_check_cadence', ['days_since_last_health_check', 'health_checks_in_window'],
    missing_as={'days_since_last_health_check': 99999}) }},

final as (
    select
        measured.account_id,
        measured.last_health_check_date,
        measured.days_since_last_health_check,
        measured.health_checks_in_window,
        measured.days_since_last_health_check as raw_value,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
