{{ config(materialized='table') }}  {# several tests and models read it: computed once per build #}
-- Each HubSpot company linked to its Salesforce account: by the Salesforce id the CRM integration
-- wrote, else by web domain when exactly one account has it. The rest are counted as unmatched.

with

companies as (
    select * from {{ ref('stg_hubspot__companies') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

account_domains as (
    select
        {{ web_domain('website') }} as domain,
        min(account_id) as account_id,
        count(*) as accounts_with_domain
    from accounts
    where website is not null
    group by {{ web_domain('website') }}
),

matched as (
    select
        companies.company_id,
        companies.company_name,
        {{ web_domain('companies.domain') }} as domain,
        by_id.account_id as account_id_by_id,
        account_domains.account_id as account_id_by_domain,
        account_domains.accounts_with_domain
    from companies
    left join accounts as by_id
        on companies.salesforce_account_id = by_id.account_id
    left join account_domains
        on {{ web_domain('companies.domain') }} = account_domains.domain
),

final as (
    select
        company_id,
        company_name,
        domain,
        case
            when account_id_by_id is not null then account_id_by_id
            when accounts_with_domain = 1 then account_id_by_domain
        end as account_id,
        case
            when account_id_by_id is not null then 'salesforce_account_id'
            when accounts_with_domain = 1 then 'domain'
            when accounts_with_domain > 1 then 'ambiguous_domain'
            else 'unmatched'
        end as match_method
    from matched
)

select * from final
