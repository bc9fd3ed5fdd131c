{{ config(materialized=table_unless_replaying()) }}  {# several tests and models read it: computed once per build #}
-- Per account, the QBRs CSMs logged in HubSpot: meeting engagements whose title matches the QBR
-- subject rules of the activity_type_map seed (the same rules that type Salesforce activities),
-- attributed to the account through the meeting's company. The last one and how many in the last
-- email_window_days, both as of the as-of date.

with

engagements as (
    select * from {{ ref('stg_hubspot__engagements') }}
    where engagement_type = 'meeting'
        and engagement_date <= {{ as_of_date() }}
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

qbr_meetings as (
    select distinct
        engagements.engagement_id,
        companies.account_id,
        engagements.engagement_date
    from engagements
    inner join companies
        on engagements.company_id = companies.company_id
    inner join qbr_rules
        on lower(engagements.meeting_title) like qbr_rules.pattern
),

final as (
    select
        account_id,
        max(engagement_date) as last_qbr_meeting_date,
        sum(case
            when engagement_date > {{ dbt.dateadd('day', -var('email_window_days'), as_of_date()) }} then 1 else 0
        end) as qbr_meetings_in_window
    from qbr_meetings
    group by account_id
)

select * from final
