{{ config(tags=['health_component'], enabled=health_component_enabled('churn_risk')) }}
-- Churn risk: 100 × (1 − the churn model's probability for the account's contract in force),
-- from the latest prediction scored on or before the as-of date. No prediction: not applicable.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

predictions as (
    select * from {{ ref('stg_ml__churn_predictions') }}
),

scored_by_then as (
    select predictions.*
    from predictions
    cross join as_of
    where cast(predictions.scored_at as date) <= as_of.as_of_date
),

measured as (
    select
        customers.account_id,
        customers.segment,
        predictions.churn_probability,
        100 * (1 - predictions.churn_probability) as retention_likelihood_pct
    from customers
    left join scored_by_then as predictions
        on customers.current_contract_id = predictions.contract_id
),

{{ component_metric_scores('measured', 'churn_risk', ['retention_likelihood_pct']) }},

final as (
    select
        measured.account_id,
        measured.churn_probability,
        measured.retention_likelihood_pct,
        measured.retention_likelihood_pct as raw_value,
        case when component_scores.score is null then 'no churn prediction for the contract in force' end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
