-- Per customer, the activity index: the last health check and how many in the last 30 and 90
-- days, the last QBR (Salesforce or a HubSpot meeting tagged QBR), the onboarding kickoff and
-- first training against the first contract's start, whether training was completed within 30
-- days, Insider calls in 90 days and the last CS touch. Windows: dbt_project.yml vars.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

activity as (
    select * from {{ ref('int_activities__account_rollup') }}
),

kpis as (
    select * from {{ ref('int_cs_operations__account_kpis') }}
),

final as (
    select
        customers.account_id,
        customers.account_name,
        customers.segment,
        customers.csm_owner_id,
        customers.is_insider,
        customers.first_contract_start_date,
        activity.last_health_check_date,
        cast(activity.health_checks_in_coverage_window as {{ dbt.type_int() }}) as health_checks_30d,
        cast(activity.health_checks_in_cadence_window as {{ dbt.type_int() }}) as health_checks_90d,
        kpis.last_qbr_date,
        activity.kickoff_date,
        cast(activity.kickoff_days_after_start as {{ dbt.type_int() }}) as kickoff_days_after_start,
        activity.first_training_date,
        cast(activity.first_training_days_after_start as {{ dbt.type_int() }}) as first_training_days_after_start,
        coalesce(activity.first_training_days_after_start <= {{ var('onboarding_window_days') }}, false)
            as is_training_completed_30d,
        cast(activity.insider_calls_in_window as {{ dbt.type_int() }}) as insider_calls_90d,
        activity.last_activity_date as last_csm_touch_date,
        cast({{ dbt.datediff('activity.last_activity_date', 'customers.as_of_date', 'day') }} as {{ dbt.type_int() }})
            as days_since_last_csm_touch,
        customers.as_of_date
    from customers
    inner join activity
        on customers.account_id = activity.account_id
    inner join kpis
        on customers.account_id = kpis.account_id
)

select * from final
