-- The scored outcomes once per cohort quarter and once more in the 'All' scope, ranked within each
-- weights version and scope: the risk decile (ntile over the health score, 1 = lowest scores), the
-- churn-probability decile (for calibration) and the mid-rank of each score by risk (ties share
-- the mean of their ranks), from which the AUC is a rank sum.

with

contract_scores as (
    select * from {{ ref('int_validation__contract_scores') }}
),

scoped as (
    select
        weights_version,
        cohort_quarter,
        cohort_quarter_start,
        contract_id,
        is_churned,
        health_score,
        churn_probability,
        is_flagged_at_risk,
        lead_time_days
    from contract_scores
    union all
    select
        weights_version,
        'All' as cohort_quarter,
        cast(null as date) as cohort_quarter_start,
        contract_id,
        is_churned,
        health_score,
        churn_probability,
        is_flagged_at_risk,
        lead_time_days
    from contract_scores
),

ranked as (
    select
        *,
        ntile(10) over (
            partition by weights_version, cohort_quarter order by health_score, contract_id
        ) as risk_decile,
        rank() over (
            partition by weights_version, cohort_quarter order by health_score desc
        ) as risk_rank_low,
        count(*) over (
            partition by weights_version, cohort_quarter, health_score
        ) as tied_scores
    from scoped
),

probability_deciles as (
    select
        weights_version,
        cohort_quarter,
        contract_id,
        ntile(10) over (
            partition by weights_version, cohort_quarter order by churn_probability, contract_id
        ) as probability_decile
    from scoped
    where churn_probability is not null
),

final as (
    select
        ranked.weights_version,
        ranked.cohort_quarter,
        ranked.cohort_quarter_start,
        ranked.contract_id,
        ranked.is_churned,
        ranked.health_score,
        ranked.churn_probability,
        ranked.is_flagged_at_risk,
        ranked.lead_time_days,
        ranked.risk_decile,
        probability_deciles.probability_decile,
        cast(ranked.risk_rank_low + (ranked.tied_scores - 1) / 2.0 as {{ type_double() }}) as risk_rank
    from ranked
    left join probability_deciles
        on ranked.weights_version = probability_deciles.weights_version
        and ranked.cohort_quarter = probability_deciles.cohort_quarter
        and ranked.contract_id = probability_deciles.contract_id
)

select * from final
