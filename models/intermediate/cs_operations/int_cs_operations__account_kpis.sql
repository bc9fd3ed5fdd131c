{{ config(materialized='table') }}
-- Per customer, whether each of the six CS Operations KPIs is due (counts in the denominator) and
-- met (counts in the numerator), as 1/0. The definitions, all measured back from the as-of date:
--   health_check: every customer; met when a health check was logged in the last
--     health_check_coverage_days (int_activities__account_rollup).
--   qbr: customers of the qbr_coverage_segments; met when they have QBR coverage: a QBR in the
--     last qbr_coverage_days, logged in Salesforce or HubSpot (int_activities__account_qbrs).
--   kickoff: customers in their onboarding months (the first onboarding_relevant_months after the
--     first contract's start) whose first onboarding_kickoff_days have passed; met when the kickoff
--     was at most that many days after the start.
--   training: the same cohort once onboarding_window_days have passed; met when training was
--     completed within onboarding_window_days of the start (the roll-up's on-time rule).
--   renewal: customers whose contract in force ends within renewal_lead_days (the pipeline
--     component's window); met when its renewal opportunity was opened at least renewal_lead_days
--     before the end.
--   value_email: every customer; met when a value-driven e-mail (email_campaign_categories) was
--     delivered to one of its contacts in the last email_window_days.
-- A table: the KPI, summary and leaderboard marts all read it.

{%- set qbr_segments = var('qbr_coverage_segments') %}

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

pipeline as (
    select * from {{ ref('int_health__pipeline') }}
),

email as (
    select * from {{ ref('int_engagement__account_email') }}
),

measured as (
    select
        customers.account_id,
        customers.segment,
        customers.csm_owner_id,
        {{ dbt.datediff('customers.first_contract_start_date', 'customers.as_of_date', 'day') }} as days_since_start,
        activity.health_checks_in_coverage_window,
        activity.is_onboarding,
        activity.kickoff_days_after_start,
        activity.is_training_completed_on_time,
        qbrs.has_qbr_coverage,
        pipeline.renewal_opened_days_before_end,
        coalesce(email.value_driven_emails_delivered, 0) as value_driven_emails_delivered,
        customers.as_of_date
    from customers
    left join activity
        on customers.account_id = activity.account_id
    left join qbrs
        on customers.account_id = qbrs.account_id
    left join pipeline
        on customers.account_id = pipeline.account_id
    left join email
        on customers.account_id = email.account_id
),

flagged as (
    select
        account_id,
        segment,
        csm_owner_id,
        as_of_date,
        1 as health_check_due,
        case when health_checks_in_coverage_window > 0 then 1 else 0 end as health_check_met,
        case
            when segment in ('{{ qbr_segments | join("', '") }}')
                then 1
            else 0
        end as qbr_due,
        case
            when segment in ('{{ qbr_segments | join("', '") }}')
                and has_qbr_coverage
                then 1
            else 0
        end as qbr_met,
        case
            when is_onboarding
                and days_since_start > {{ var('onboarding_kickoff_days') }}
                then 1
            else 0
        end as kickoff_due,
        case
            when is_onboarding
                and days_since_start > {{ var('onboarding_kickoff_days') }}
                and kickoff_days_after_start <= {{ var('onboarding_kickoff_days') }}
                then 1
            else 0
        end as kickoff_met,
        case
            when is_onboarding
                and days_since_start > {{ var('onboarding_window_days') }}
                then 1
            else 0
        end as training_due,
        case
            when is_onboarding
                and days_since_start > {{ var('onboarding_window_days') }}
                and is_training_completed_on_time
                then 1
            else 0
        end as training_met,
        case when renewal_opened_days_before_end is not null then 1 else 0 end as renewal_due,
        case when renewal_opened_days_before_end >= {{ var('renewal_lead_days') }} then 1 else 0 end as renewal_met,
        1 as value_email_due,
        case when value_driven_emails_delivered > 0 then 1 else 0 end as value_email_met
    from measured
),

final as (
    select * from flagged
)

select * from final
