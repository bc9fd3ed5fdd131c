-- The toolkit's churn risk for each customer of the loaded portfolio, as the churn risk analyzer
-- reports it: one row per customer, report_rank giving the analyzer's order (risk score, highest
-- first; ties in portfolio order).

with

customers as (
    select * from {{ ref('int_toolkit_portfolio__customers') }}
),

scores as (
    select * from {{ ref('int_toolkit_portfolio__churn_scores') }}
),

final as (
    select
        scores.customer_index,
        row_number() over (order by scores.risk_score desc, scores.customer_index asc) as report_rank,
        customers.customer_id_type,
        customers.customer_id,
        customers.customer_id_json,
        customers.name_type,
        customers.name,
        customers.name_json,
        customers.segment_type,
        customers.segment,
        customers.segment_json,
        customers.arr_type,
        customers.arr,
        customers.arr_json,
        scores.risk_score,
        scores.raw_score,
        scores.risk_tier,
        scores.risk_label,
        scores.urgency_multiplier,
        scores.days_to_renewal,
        scores.usage_decline_score,
        scores.engagement_drop_score,
        scores.support_issues_score,
        scores.relationship_signals_score,
        scores.commercial_factors_score
    from scores
    inner join customers
        on scores.customer_index = customers.customer_index
)

select * from final
