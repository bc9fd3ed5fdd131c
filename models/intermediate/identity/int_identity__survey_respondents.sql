{{ config(materialized='table') }}  {# several tests and models read it: computed once per build #}
-- Each survey response attributed to a Salesforce account through the respondent's e-mail:
-- HubSpot contact, then the contact's company, then the company's account.

with

responses as (
    select * from {{ ref('stg_alchemer__survey_responses') }}
),

contacts as (
    select * from {{ ref('int_identity__hubspot_contacts') }}
),

contacts_by_email as (
    select
        email,
        min(account_id) as account_id,
        count(distinct account_id) as accounts_with_email
    from contacts
    group by email
),

final as (
    select
        responses.survey_response_id,
        responses.respondent_email,
        case when contacts_by_email.accounts_with_email = 1 then contacts_by_email.account_id end as account_id,
        case
            when contacts_by_email.email is null then 'unknown_respondent'
            when contacts_by_email.accounts_with_email = 1 then 'contact_email'
            when contacts_by_email.accounts_with_email > 1 then 'ambiguous_email'
            else 'contact_unmatched'
        end as match_method
    from responses
    left join contacts_by_email
        on responses.respondent_email = contacts_by_email.email
)

select * from final
