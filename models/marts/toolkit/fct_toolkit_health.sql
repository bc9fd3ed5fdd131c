-- The toolkit's health score for every customer account as of the as-of date, computed from the
-- warehouse's own measures by the health score calculator's rules (int_toolkit__warehouse_*): the
-- four dimension scores, the weighted overall score, its classification against the segment's
-- thresholds and the trends against the previous period.

with

accounts as (
    select * from {{ ref('int_accounts__customers') }}
),

customers as (
    select * from {{ ref('int_toolkit__warehouse_customers') }}
),

scores as (
    select * from {{ ref('int_toolkit__warehouse_health_scores') }}
),

classifications as (
    select * from {{ ref('toolkit_health_classifications') }}
),

final as (
    select
        cast(accounts.account_id as {{ type_varchar() }}) as account_id,
        cast(accounts.account_name as {{ type_varchar() }}) as account_name,
        cast(accounts.segment as {{ type_varchar() }}) as segment,
        cast(accounts.as_of_date as date) as as_of_date,
        cast(scores.overall_score as {{ type_double() }}) as overall_score,
        cast(scores.overall_classification as {{ type_varchar() }}) as classification,
        cast(classifications.label as {{ type_varchar() }}) as classification_label,
        cast(scores.overall_trend as {{ type_varchar() }}) as trend,
        cast(customers.previous_period__overall_score as {{ type_double() }}) as previous_overall_score,
        {%- for dimension in ['usage', 'engagement', 'support', 'relationship'] %}
        cast(scores.{{ dimension }}_score as {{ type_double() }}) as {{ dimension }}_score,
        cast(scores.{{ dimension }}_classification as {{ type_varchar() }}) as {{ dimension }}_classification,
        cast(scores.{{ dimension }}_trend as {{ type_varchar() }}) as {{ dimension }}_trend{{ "," if not loop.last }}
        {%- endfor %}
    from scores
    inner join customers
        on scores.customer_index = customers.customer_index
    inner join accounts
        on customers.customer_id = accounts.account_id
    left join classifications
        on scores.overall_classification = classifications.classification
)

select * from final
