-- Lift by risk decile over all validated renewals (every quarter and segment), per weights version:
-- the contracts whose health score (as it stood forecast_lookback_days before the end) fell in each
-- tenth, lowest scores first, their churn rate and its lift over the overall churn rate.

with

ranked as (
    select * from {{ ref('int_validation__ranked_outcomes') }}
    where cohort_quarter = 'All'
        and segment = 'all'
),

overall as (
    select
        weights_version,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate
    from ranked
    group by weights_version
),

deciles as (
    select
        weights_version,
        risk_decile,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as churned,
        avg(health_score) as avg_health_score,
        min(health_score) as min_health_score,
        max(health_score) as max_health_score,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate
    from ranked
    group by weights_version, risk_decile
),

final as (
    select
        deciles.weights_version,
        cast(deciles.risk_decile as {{ dbt.type_int() }}) as risk_decile,
        cast(deciles.contracts as {{ dbt.type_int() }}) as contracts,
        cast(deciles.churned as {{ dbt.type_int() }}) as churned,
        cast(deciles.avg_health_score as {{ type_double() }}) as avg_health_score,
        cast(deciles.min_health_score as {{ type_double() }}) as min_health_score,
        cast(deciles.max_health_score as {{ type_double() }}) as max_health_score,
        cast(deciles.churn_rate as {{ type_double() }}) as churn_rate,
        {{ safe_divide('deciles.churn_rate', 'overall.churn_rate') }} as lift
    from deciles
    inner join overall
        on deciles.weights_version = overall.weights_version
)

select * from final
