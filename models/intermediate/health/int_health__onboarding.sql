{{ config(tags=['health_component'], enabled=health_component_enabled('onboarding')) }}
-- Onboarding execution for customers in their first onboarding_relevant_months: how many days
-- after the first contract's start the kickoff happened, and whether training was completed within
-- onboarding_window_days (both from int_activities__account_rollup, which the KPIs share). A step
-- not yet due does not apply; a step past due and missing scores 0.

{%- set window_days = var('onboarding_window_days') %}

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

activity as (
    select * from {{ ref('int_activities__account_rollup') }}
),

per_account as (
    select
        account_id,
        is_onboarding,
        kickoff_date,
        case when is_training_completed_on_time then first_training_date end as training_date
    from activity
),

measured as (
    select
        customers.account_id,
        customers.segment,
        customers.first_contract_start_date,
        per_account.kickoff_date,
        per_account.training_date,
        per_account.is_onboarding,
        case
            when not per_account.is_onboarding then null
            when per_account.kickoff_date is not null
                then {{ dbt.datediff('customers.first_contract_start_date', 'per_account.kickoff_date', 'day') }}
            when {{ dbt.datediff('customers.first_contract_start_date', 'customers.as_of_date', 'day') }} > {{ window_days }}
                then 99999
        end as kickoff_days_after_start,
        case
            when not per_account.is_onboarding then null
            when per_account.training_date is not null then 1
            when {{ dbt.datediff('customers.first_contract_start_date', 'customers.as_of_date', 'day') }} > {{ window_days }} then 0
        end as training_completed_on_time
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
),

{{ component_metric_scores('measured', 'onboarding', ['kickoff_days_after_start', 'training_completed_on_time']) }},

final as (
    select
        measured.account_id,
        measured.first_contract_start_date,
        measured.kickoff_date,
        measured.training_date,
        measured.kickoff_days_after_start,
        measured.training_completed_on_time,
        measured.kickoff_days_after_start as raw_value,
        case
            when not measured.is_onboarding
                then 'onboarding counts in the first {{ var("onboarding_relevant_months") }} months after the first contract starts'
            when component_scores.score is null then 'no onboarding step due yet'
        end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
