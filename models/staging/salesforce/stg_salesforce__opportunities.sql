-- Salesforce opportunities: one row per live opportunity, typed, trimmed and deduplicated.

with

opportunities as (
    select * from {{ ref('base_salesforce__opportunities') }}
    where disposition = 'staged'
),

final as (
    select
        opportunity_id,
        account_id,
        renewed_contract_id,
        opportunity_name,
        opportunity_type,
        stage_name,
        amount,
        probability,
        is_closed,
        is_won,
        created_date,
        close_date,
        owner_id,
        _fivetran_synced
    from opportunities
)

select * from final
