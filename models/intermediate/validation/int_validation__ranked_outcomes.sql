-- The scored outcomes in every slice the validation reports (macro validation_scopes: each cohort
-- quarter and 'All', each crossed with each segment and 'all'), ranked within each weights version
-- and slice: the risk decile (ntile over the health score, 1 = lowest scores), the
-- churn-probability decile (for calibration) and the mid-rank of each score by risk (ties share
-- the mean of their ranks), from which the AUC is a rank sum.

{%- set slice = 'weights_version, cohort_quarter, segment' %}

with

contract_scores as (
    select * from {{ ref('int_validation__contract_scores') }}
),

scoped as (
    {{ validation_scopes('contract_scores', [
        'weights_version', 'contract_id', 'is_churned', 'health_score', 'churn_probability',
        'is_flagged_at_risk', 'lead_time_days']) }}
),

ranked as (
    select
        *,
        ntile(10) over (partition by {{ slice }} order by health_score, contract_id) as risk_decile,
        {{ risk_mid_rank('health_score', slice) }} as risk_rank
    from scoped
),

probability_deciles as (
    select
        weights_version,
        cohort_quarter,
        segment,
        contract_id,
        ntile(10) over (partition by {{ slice }} order by churn_probability, contract_id) as probability_decile
    from scoped
    where churn_probability is not null
),

final as (
    select
        ranked.weights_version,
        ranked.cohort_quarter,
        ranked.cohort_quarter_start,
        ranked.segment,
        ranked.contract_id,
        ranked.is_churned,
        ranked.health_score,
        ranked.churn_probability,
        ranked.is_flagged_at_risk,
        ranked.lead_time_days,
        ranked.risk_decile,
        probability_deciles.probability_decile,
        ranked.risk_rank
    from ranked
    left join probability_deciles
        on ranked.weights_version = probability_deciles.weights_version
        and ranked.cohort_quarter = probability_deciles.cohort_quarter
        and ranked.segment = probability_deciles.segment
        and ranked.contract_id = probability_deciles.contract_id
)

select * from final
