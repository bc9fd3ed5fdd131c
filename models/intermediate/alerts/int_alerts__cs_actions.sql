-- Every CS activity logged on an account up to the as-of date, whatever its type: Salesforce tasks
-- and events (classified), and HubSpot meetings attributed to the account through their company.
-- What counts as someone acting on an alert.

with

activities as (
    select * from {{ ref('int_activities__classified') }}
    where activity_date <= {{ as_of_date() }}
),

{% if 'hubspot' in enabled_sources() %}
engagements as (
    select * from {{ ref('stg_hubspot__engagements') }}
    where engagement_type = 'meeting'
        and engagement_date <= {{ as_of_date() }}
),

companies as (
    select * from {{ ref('int_identity__hubspot_companies') }}
    where account_id is not null
),

meetings as (
    select
        cast(engagements.engagement_id as {{ dbt.type_string() }}) as action_id,
        'hubspot_meeting' as action_source,
        companies.account_id,
        engagements.engagement_date as action_date,
        'meeting' as action_type
    from engagements
    inner join companies
        on engagements.company_id = companies.company_id
),
{% else %}
meetings as (
    select
        cast(null as {{ dbt.type_string() }}) as action_id,
        cast(null as {{ dbt.type_string() }}) as action_source,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as date) as action_date,
        cast(null as {{ dbt.type_string() }}) as action_type
    where 1 = 0
),
{% endif %}

salesforce as (
    select
        activity_id as action_id,
        'salesforce_' || activity_source as action_source,
        account_id,
        activity_date as action_date,
        activity_type as action_type
    from activities
),

final as (
    select * from salesforce
    union all
    select * from meetings
)

select * from final
