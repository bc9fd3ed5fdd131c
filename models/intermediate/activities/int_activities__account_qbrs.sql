{{ config(materialized='table') }}  {# the QBR component, the KPIs and three marts read it #}
-- Per customer, its QBRs: the one definition of a QBR that the qbr_cadence component, the QBR
-- coverage KPI, the account summary, the engagement mart and the dashboard read. A QBR is a
-- Salesforce activity typed qbr (int_activities__classified) or a HubSpot meeting whose title
-- matches the QBR subject rules of the same activity_type_map seed, attributed to the account
-- through its company; a QBR logged in both on the same day is one QBR. As of the as-of date (read
-- from the customers table, like the activity roll-up): the last QBR and where it was logged, and
-- the QBRs in the last qbr_coverage_days (QBR coverage).

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

salesforce_qbrs as (
    select * from {{ ref('int_activities__classified') }}
    where activity_type = 'qbr'
),

{% if 'hubspot' in enabled_sources() %}
meetings as (
    select * from {{ ref('stg_hubspot__engagements') }}
    where engagement_type = 'meeting'
),

companies as (
    select * from {{ ref('int_identity__hubspot_companies') }}
    where account_id is not null
),

qbr_rules as (
    select * from {{ ref('activity_type_map') }}
    where match_column = 'subject'
        and activity_type = 'qbr'
),
{% endif %}

logged as (
    select
        account_id,
        activity_date as qbr_date,
        'salesforce' as logged_in
    from salesforce_qbrs
    {% if 'hubspot' in enabled_sources() %}
    union all

    select
        companies.account_id,
        meetings.engagement_date as qbr_date,
        'hubspot' as logged_in
    from meetings
    inner join companies
        on meetings.company_id = companies.company_id
    inner join qbr_rules
        on lower(meetings.meeting_title) like qbr_rules.pattern
    {% endif %}
),

qbr_days as (
    select
        logged.account_id,
        logged.qbr_date,
        case when min(logged.logged_in) = max(logged.logged_in) then min(logged.logged_in) else 'both' end as logged_in
    from logged
    cross join as_of
    where logged.qbr_date <= as_of.as_of_date
    group by logged.account_id, logged.qbr_date
),

per_account as (
    select
        qbr_days.account_id,
        max(qbr_days.qbr_date) as last_qbr_date,
        sum(case
            when qbr_days.qbr_date > {{ dbt.dateadd('day', -var('qbr_coverage_days'), 'as_of.as_of_date') }} then 1
            else 0
        end) as qbrs_in_coverage_window
    from qbr_days
    cross join as_of
    group by qbr_days.account_id
),

final as (
    select
        customers.account_id,
        per_account.last_qbr_date,
        last_qbr.logged_in as last_qbr_logged_in,
        coalesce(per_account.qbrs_in_coverage_window, 0) as qbrs_in_coverage_window,
        coalesce(per_account.qbrs_in_coverage_window, 0) > 0 as has_qbr_coverage,
        customers.as_of_date
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
    left join qbr_days as last_qbr
        on per_account.account_id = last_qbr.account_id
        and per_account.last_qbr_date = last_qbr.qbr_date
)

select * from final
