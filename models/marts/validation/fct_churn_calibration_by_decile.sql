-- The churn model's calibration: per weights version, cohort quarter (and 'All') and segment (and
-- 'all'), the contracts
-- in each tenth of the churn probability as it stood forecast_lookback_days before the end, their
-- mean predicted probability beside the share that actually churned. fct_score_validation's
-- calibration error is the size-weighted mean gap; the dashboard plots one against the other.

with

ranked as (
    select * from {{ ref('int_validation__ranked_outcomes') }}
    where probability_decile is not null
),

deciles as (
    select
        weights_version,
        cohort_quarter,
        segment,
        probability_decile,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as churned,
        avg(churn_probability) as predicted_rate,
        avg(case when is_churned then 1.0 else 0.0 end) as actual_rate
    from ranked
    group by weights_version, cohort_quarter, segment, probability_decile
),

final as (
    select
        weights_version,
        cohort_quarter,
        segment,
        cast(probability_decile as {{ dbt.type_int() }}) as probability_decile,
        cast(contracts as {{ dbt.type_int() }}) as contracts,
        cast(churned as {{ dbt.type_int() }}) as churned,
        cast(predicted_rate as {{ type_double() }}) as predicted_rate,
        cast(actual_rate as {{ type_double() }}) as actual_rate,
        cast(actual_rate - predicted_rate as {{ type_double() }}) as calibration_gap
    from deciles
)

select * from final
