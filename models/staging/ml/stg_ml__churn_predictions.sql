-- The churn model's current prediction: one row per contract.

with

churn_predictions as (
    select * from {{ ref('base_ml__churn_predictions') }}
    where disposition = 'staged'
),

final as (
    select
        contract_id,
        account_id,
        churn_probability,
        model_version,
        scored_at,
        _fivetran_synced
    from churn_predictions
)

select * from final
