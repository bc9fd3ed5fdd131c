{{ config(materialized='table') }}  {# three health components and three CS marts read it: one scan of the activities #}
-- Per customer, the one home of the activity measures the health components, the CS Operations
-- KPIs and marts share: health checks (the last one, and how many in the coverage and the cadence
-- windows), onboarding (whether the customer is in its onboarding months, the kickoff and the first
-- training after the first contract's start, and whether that training was on time), Insider calls
-- in their window and the last CS touch (the latest activity of any kind). QBRs, which HubSpot logs
-- too, are int_activities__account_qbrs. Reads the as-of date from the customers table, like the
-- health components, so the view stays valid from one night to the next.

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

activities_by_then as (
    select
        activities.account_id,
        activities.activity_type,
        activities.activity_date,
        as_of.as_of_date
    from activities
    cross join as_of
    where activities.activity_date <= as_of.as_of_date
),

per_account as (
    select
        customers.account_id,
        max(case when activities_by_then.activity_type = 'health_check' then activities_by_then.activity_date end)
            as last_health_check_date,
        sum(case
            when activities_by_then.activity_type = 'health_check'
                and activities_by_then.activity_date
                > {{ dbt.dateadd('day', -var('health_check_coverage_days'), 'activities_by_then.as_of_date') }}
                then 1
            else 0
        end) as health_checks_in_coverage_window,
        sum(case
            when activities_by_then.activity_type = 'health_check'
                and activities_by_then.activity_date
                > {{ dbt.dateadd('day', -var('health_check_window_days'), 'activities_by_then.as_of_date') }}
                then 1
            else 0
        end) as health_checks_in_cadence_window,
        min(case when activities_by_then.activity_type = 'onboarding_kickoff' then activities_by_then.activity_date end)
            as kickoff_date,
        min(case
            when activities_by_then.activity_type = 'training'
                and activities_by_then.activity_date >= customers.first_contract_start_date
                then activities_by_then.activity_date
        end) as first_training_date,
        sum(case
            when activities_by_then.activity_type = 'insider_call'
                and activities_by_then.activity_date
                > {{ dbt.dateadd('day', -var('insider_calls_window_days'), 'activities_by_then.as_of_date') }}
                then 1
            else 0
        end) as insider_calls_in_window,
        max(activities_by_then.activity_date) as last_csm_touch_date
    from customers
    inner join activities_by_then
        on customers.account_id = activities_by_then.account_id
    group by customers.account_id
),

final as (
    select
        customers.account_id,
        customers.first_contract_start_date,
        per_account.last_health_check_date,
        coalesce(per_account.health_checks_in_coverage_window, 0) as health_checks_in_coverage_window,
        coalesce(per_account.health_checks_in_cadence_window, 0) as health_checks_in_cadence_window,
        customers.tenure_months < {{ var('onboarding_relevant_months') }} as is_onboarding,
        per_account.kickoff_date,
        {{ dbt.datediff('customers.first_contract_start_date', 'per_account.kickoff_date', 'day') }} as kickoff_days_after_start,
        per_account.first_training_date,
        {{ dbt.datediff('customers.first_contract_start_date', 'per_account.first_training_date', 'day') }}
            as first_training_days_after_start,
        coalesce(
            {{ dbt.datediff('customers.first_contract_start_date', 'per_account.first_training_date', 'day') }}
            <= {{ var('onboarding_window_days') }},
            false
        ) as is_training_completed_on_time,
        coalesce(per_account.insider_calls_in_window, 0) as insider_calls_in_window,
        per_account.last_csm_touch_date,
        customers.as_of_date
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
)

select * from final
