{{ config(tags=['health_component'], enabled=health_component_enabled('health_check_cadence')) }}
-- Health-check cadence: days since the last health check and health checks in the last
-- health_check_window_days (from int_activities__account_rollup, which the CS Operations KPIs
-- share). Never checked scores as longest ago (the measure stays NULL).

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
        activity.last_health_check_date,
        {{ dbt.datediff('activity.last_health_check_date', 'customers.as_of_date', 'day') }} as days_since_last_health_check,
        coalesce(activity.health_checks_in_cadence_window, 0) as health_checks_in_window
    from customers
    left join activity
        on customers.account_id = activity.account_id
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
        cast(null as {{ dbt.type_string() }}) as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
