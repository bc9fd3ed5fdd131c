-- Salesforce accounts: one row per live account, typed, trimmed and deduplicated.

with

accounts as (
    select * from {{ ref('base_salesforce__accounts') }}
    where disposition = 'staged'
),

final as (
    select
        account_id,
        account_name,
        account_type,
        industry,
        website,
        billing_country,
        number_of_employees,
        owner_id,
        segment,
        is_insider,
        csm_sentiment,
        account_status,
        arr,
        created_date,
        _fivetran_synced
    from accounts
)

select * from final
