-- Every requirement a health component may name in seeds/health/health_component_requirements.csv,
-- and whether the org's data meets it as of the as-of date: an activity type is met when some
-- activity up to then was classified as it (an org without the classifying custom fields, or whose
-- subjects match no rule, has none; a QBR logged in HubSpot counts too, int_activities__account_qbrs);
-- a custom field is met when some staged row carries a value (a
-- field the org does not have is landed as NULL). Missing data is not bad data: a component whose
-- requirement is unmet is not applicable, rather than scored as if nothing had happened.

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

qbrs as (
    select * from {{ ref('int_activities__account_qbrs') }}
),

activity_type_map as (
    select * from {{ ref('activity_type_map') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

classified_types as (
    select activities.activity_type
    from activities
    cross join as_of
    where activities.activity_date <= as_of.as_of_date

    union

    select 'qbr' as activity_type
    from qbrs
    where qbrs.last_qbr_date is not null
),

activity_types as (
    select distinct
        {{ dbt.concat(["'activity:'", 'activity_type_map.activity_type']) }} as requirement,
        classified_types.activity_type is not null as is_met
    from activity_type_map
    left join classified_types
        on activity_type_map.activity_type = classified_types.activity_type
),

custom_fields as (
    select
        'salesforce.account.is_insider_c' as requirement,
        count(is_insider) > 0 as is_met
    from accounts

    union all

    select
        'salesforce.contract.arr_c' as requirement,
        count(arr) > 0 as is_met
    from contracts

    union all

    select
        'salesforce.opportunity.contract_id_c' as requirement,
        count(renewed_contract_id) > 0 as is_met
    from opportunities
),

final as (
    select
        requirement,
        is_met
    from activity_types

    union all

    select
        requirement,
        is_met
    from custom_fields
)

select * from final
