-- The toolkit's health score for each customer of the loaded portfolio, as the health score
-- calculator reports it: one row per customer, in the portfolio's order.

with

customers as (
    select * from {{ ref('int_toolkit_portfolio__customers') }}
),

scores as (
    select * from {{ ref('int_toolkit_portfolio__health_scores') }}
),

weights as (
    select * from {{ ref('toolkit_health_weights') }}
    where component = 'dimension'
),

classifications as (
    select * from {{ ref('toolkit_health_classifications') }}
),

weight_labels as (
    select
        max(case when dimension = 'usage' then weight_label end) as usage_weight_label,
        max(case when dimension = 'engagement' then weight_label end) as engagement_weight_label,
        max(case when dimension = 'support' then weight_label end) as support_weight_label,
        max(case when dimension = 'relationship' then weight_label end) as relationship_weight_label
    from weights
),

final as (
    select
        customers.customer_index,
        customers.customer_id_type,
        customers.customer_id,
        customers.customer_id_json,
        customers.name_type,
        customers.name,
        customers.name_json,
        scores.segment,
        customers.arr_type,
        customers.arr,
        customers.arr_json,
        scores.overall_score,
        scores.overall_classification as classification,
        classifications.label as classification_label,
        scores.usage_score,
        weight_labels.usage_weight_label,
        scores.usage_classification,
        scores.engagement_score,
        weight_labels.engagement_weight_label,
        scores.engagement_classification,
        scores.support_score,
        weight_labels.support_weight_label,
        scores.support_classification,
        scores.relationship_score,
        weight_labels.relationship_weight_label,
        scores.relationship_classification,
        scores.usage_trend,
        scores.engagement_trend,
        scores.support_trend,
        scores.relationship_trend,
        scores.overall_trend
    from scores
    inner join customers
        on scores.customer_index = customers.customer_index
    left join classifications
        on scores.overall_classification = classifications.classification
    cross join weight_labels
)

select * from final
