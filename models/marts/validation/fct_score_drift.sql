-- Score drift: per month of the snapshot history and segment (and 'all'), the distribution of the
-- recorded health scores as they stood at the month's end (accounts, mean, quartiles, 10th and
-- 90th percentiles, the share in an at-risk band) and its population stability index against the
-- reference month (var score_drift_reference_month, or the first month of the history): over the
-- ten score bins and over the computed bands (fct_score_distribution). The score PSI is judged by
-- validation_targets (score_psi): within the target the population is stable, past the red flag
-- it shifted significantly (a change in the customers or in the scoring: read it beside the
-- weights versions).

with

monthly_scores as (
    select * from {{ ref('int_validation__monthly_scores') }}
),

distribution as (
    select * from {{ ref('fct_score_distribution') }}
),

targets as (
    select * from {{ ref('validation_targets') }}
),

summaries as (
    select
        month_start,
        reading_date,
        segment,
        count(*) as accounts,
        avg(health_score) as avg_health_score,
        {{ percentile('health_score', 0.1) }} as p10_health_score,
        {{ percentile('health_score', 0.25) }} as p25_health_score,
        {{ median('health_score') }} as median_health_score,
        {{ percentile('health_score', 0.75) }} as p75_health_score,
        {{ percentile('health_score', 0.9) }} as p90_health_score,
        avg(case when {{ is_at_risk_band('computed_band') }} then 1.0 else 0.0 end) as at_risk_share
    from monthly_scores
    group by month_start, reading_date, segment
),

stability as (
    select
        month_start,
        segment,
        min(reference_month_start) as reference_month_start,
        {{ round_double("sum(case when bucket_type = 'score' then psi_term end)", 6) }} as score_psi,
        {{ round_double("sum(case when bucket_type = 'band' then psi_term end)", 6) }} as band_psi
    from distribution
    group by month_start, segment
),

final as (
    select
        summaries.month_start,
        summaries.reading_date,
        summaries.segment,
        cast(summaries.accounts as {{ dbt.type_int() }}) as accounts,
        {%- for measure in ['avg', 'p10', 'p25', 'median', 'p75', 'p90'] %}
        cast(summaries.{{ measure }}_health_score as {{ type_double() }}) as {{ measure }}_health_score,
        {%- endfor %}
        cast(summaries.at_risk_share as {{ type_double() }}) as at_risk_share,
        stability.reference_month_start,
        cast(stability.score_psi as {{ type_double() }}) as score_psi,
        cast(stability.band_psi as {{ type_double() }}) as band_psi,
        targets.target as score_psi_target,
        targets.red_flag as score_psi_red_flag,
        case
            when stability.score_psi <= targets.target then 'stable'
            when stability.score_psi <= targets.red_flag then 'moderate'
            when stability.score_psi > targets.red_flag then 'significant'
        end as drift_status
    from summaries
    inner join stability
        on summaries.month_start = stability.month_start
        and summaries.segment = stability.segment
    left join targets
        on targets.metric = 'score_psi'
)

select * from final
