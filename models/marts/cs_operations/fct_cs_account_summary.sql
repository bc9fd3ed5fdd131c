-- Per customer, the activity index: the last health check and how many in the coverage and the
-- cadence windows, the last QBR (Salesforce or HubSpot) and where it was logged, the onboarding
-- kickoff and first training against the first contract's start and whether that training was on
-- time, Insider calls in their window and the last CS touch. Each measure is read from its one
-- home (int_activities__account_rollup, int_activities__account_qbrs); windows are vars.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

activity as (
    select * from {{ ref('int_activities__account_rollup') }}
),

qbrs as (
    select * from {{ ref('int_activities__account_qbrs') }}
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
        cast(activity.health_checks_in_coverage_window as {{ dbt.type_int() }}) as health_checks_in_coverage_window,
        cast(activity.health_checks_in_cadence_window as {{ dbt.type_int() }}) as health_checks_in_cadence_window,
        qbrs.last_qbr_date,
        cast(qbrs.last_qbr_logged_in as {{ type_varchar() }}) as last_qbr_logged_in,
        activity.kickoff_date,
        cast(activity.kickoff_days_after_start as {{ dbt.type_int() }}) as kickoff_days_after_start,
        activity.first_training_date,
        cast(activity.first_training_days_after_start as {{ dbt.type_int() }}) as first_training_days_after_start,
        activity.is_training_completed_on_time,
        cast(activity.insider_calls_in_window as {{ dbt.type_int() }}) as insider_calls_in_window,
        activity.last_csm_touch_date,
        cast({{ dbt.datediff('activity.last_csm_touch_date', 'customers.as_of_date', 'day') }} as {{ dbt.type_int() }})
            as days_since_last_csm_touch,
        customers.as_of_date
    from customers
    inner join activity
        on customers.account_id = activity.account_id
    inner join qbrs
        on customers.account_id = qbrs.account_id
)

select * from final
