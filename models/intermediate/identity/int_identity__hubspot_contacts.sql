{{ config(materialized='table') }}  {# several tests and models read it: computed once per build #}
-- Each HubSpot contact with the Salesforce account of its company (NULL when the company is unmatched).

with

contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

companies as (
    select * from {{ ref('int_identity__hubspot_companies') }}
),

final as (
    select
        contacts.contact_id,
        contacts.email,
        contacts.company_id,
        companies.account_id,
        case
            when contacts.company_id is null then 'no_company'
            when companies.account_id is null then 'company_unmatched'
            else companies.match_method
        end as match_method
    from contacts
    left join companies
        on contacts.company_id = companies.company_id
)

select * from final
