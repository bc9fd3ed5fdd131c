{{ config(materialized='table') }}
-- Per customer, whether each of the six CS Operations KPIs is due (counts in the denominator) and
-- met (counts in the numerator), as 1/0. The definitions, all measured back from the as-of date:
--   health_check: every customer; met when a health check was logged in the last
--     health_check_coverage_days.
--   qbr: customers of the qbr_coverage_segments; met when a QBR was held in the last
--     qbr_coverage_days, logged in Salesforce or as a HubSpot meeting tagged QBR.
--   kickoff: customers within onboarding_relevant_months of their first contract's start whose
--     first onboarding_kickoff_days have passed; met when the kickoff was at most that many days
--     after the start.
--   training: the same cohort once onboarding_window_days have passed; met when training was
--     completed within onboarding_window_days of the start.
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

hubspot_qbrs as (
    select * from {{ ref('int_engagement__account_qbr_meetings') }}
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
        customers.tenure_months,
        {{ dbt.datediff('customers.first_contract_start_date', 'customers.as_of_date', 'day') }} as days_since_start,
        activity.last_health_check_date,
        activity.kickoff_days_after_start,
        activity.first_training_days_after_start,
        case
            when activity.last_qbr_date is null then hubspot_qbrs.last_qbr_meeting_date
            when hubspot_qbrs.last_qbr_meeting_date > activity.last_qbr_date then hubspot_qbrs.last_qbr_meeting_date
            else activity.last_qbr_date
        end as last_qbr_date,
        pipeline.renewal_opened_days_before_end,
        coalesce(email.value_driven_emails_delivered, 0) as value_driven_emails_delivered,
        customers.as_of_date
    from customers
    left join activity
        on customers.account_id = activity.account_id
    left join hubspot_qbrs
        on customers.account_id = hubspot_qbrs.account_id
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
        last_qbr_date,
        as_of_date,
        1 as health_check_due,
        case
            when last_health_check_date > {{ dbt.dateadd('day', -var('health_check_coverage_days'), 'as_of_date') }}
                then 1
            else 0
        end as health_check_met,
        case
            when segment in ('{{ qbr_segments | join("', '") }}')
                then 1
            else 0
        end as qbr_due,
        case
            when segment in ('{{ qbr_segments | join("', '") }}')
                and last_qbr_date > {{ dbt.dateadd('day', -var('qbr_coverage_days'), 'as_of_date') }}
                then 1
            else 0
        end as qbr_met,
        case
            when tenure_months < {{ var('onboarding_relevant_months') }}
                and days_since_start > {{ var('onboarding_kickoff_days') }}
                then 1
            else 0
        end as kickoff_due,
        case
            when tenure_months < {{ var('onboarding_relevant_months') }}
                and days_since_start > {{ var('onboarding_kickoff_days') }}
                and kickoff_days_after_start <= {{ var('onboarding_kickoff_days') }}
                then 1
            else 0
        end as kickoff_met,
        case
            when tenure_months < {{ var('onboarding_relevant_months') }}
                and days_since_start > {{ var('onboarding_window_days') }}
                then 1
            else 0
        end as training_due,
        case
            when tenure_months < {{ var('onboarding_relevant_months') }}
                and days_since_start > {{ var('onboarding_window_days') }}
                and first_training_days_after_start <= {{ var('onboarding_window_days') }}
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
