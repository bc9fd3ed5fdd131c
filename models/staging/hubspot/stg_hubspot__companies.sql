-- HubSpot companies: one row per live company, with the Salesforce id or domain that matches it to an account.

with

companies as (
    select * from {{ ref('base_hubspot__companies') }}
    where disposition = 'staged'
),

final as (
    select
        company_id,
        company_name,
        domain,
        salesforce_account_id,
        industry,
        created_date,
        _fivetran_synced
    from companies
)

select * from final
