-- Salesforce contracts: one row per live contract, typed, trimmed and deduplicated.

with

contracts as (
    select * from {{ ref('base_salesforce__contracts') }}
    where disposition = 'staged'
),

final as (
    select
        contract_id,
        account_id,
        contract_number,
        contract_status,
        start_date,
        end_date,
        contract_term_months,
        arr,
        licensed_seats,
        product_tier,
        created_date,
        _fivetran_synced
    from contracts
)

select * from final
