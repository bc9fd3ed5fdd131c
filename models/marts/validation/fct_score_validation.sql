-- How well the health score (as it stood forecast_lookback_days before each renewal, per weights
-- version) and the churn model's probability predicted the outcomes, per cohort quarter of contract
-- end date and over all of them ('All'), each metric beside its target:
--   accuracy                   churned contracts flagged at risk (score in an at-risk band) / churned
--   surprise_churn_rate        churned without being flagged at risk / churned
--   false_positive_rate        renewed among the flagged / flagged
--   score_outcome_correlation  Pearson correlation of the score with retention (1 renewed, 0 churned)
--   auc                        probability that a churned contract scored below a renewed one (rank sum)
--   lift_top_decile            churn rate of the lowest-scoring tenth / overall churn rate
--   calibration_error          mean |predicted − actual churn rate| over probability deciles, weighted by size
--   median_lead_time_days      median days a churned account had been below the line before its end

with

ranked as (
    select * from {{ ref('int_validation__ranked_outcomes') }}
),

targets as (
    select * from {{ ref('validation_targets') }}
),

probability_deciles as (
    select * from {{ ref('fct_churn_calibration_by_decile') }}
),

counts as (
    select
        weights_version,
        cohort_quarter,
        min(cohort_quarter_start) as cohort_quarter_start,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as churned,
        sum(case when is_flagged_at_risk then 1 else 0 end) as flagged_at_risk,
        sum(case when is_churned and is_flagged_at_risk then 1 else 0 end) as churned_flagged,
        sum(case when is_churned and not is_flagged_at_risk then 1 else 0 end) as surprise_churns,
        sum(case when is_flagged_at_risk and not is_churned then 1 else 0 end) as false_positives,
        corr(health_score, case when is_churned then 0.0 else 1.0 end) as score_outcome_correlation,
        sum(case when is_churned then risk_rank else 0 end) as churned_rank_sum,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate,
        {{ median('lead_time_days') }} as median_lead_time_days
    from ranked
    group by weights_version, cohort_quarter
),

top_decile as (
    select
        weights_version,
        cohort_quarter,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate
    from ranked
    where risk_decile = 1
    group by weights_version, cohort_quarter
),

calibration as (
    select
        weights_version,
        cohort_quarter,
        {{ safe_divide('sum(contracts * abs(predicted_rate - actual_rate))', 'sum(contracts)') }} as calibration_error
    from probability_deciles
    group by weights_version, cohort_quarter
),

measured as (
    select
        counts.weights_version,
        counts.cohort_quarter,
        counts.cohort_quarter_start,
        counts.contracts,
        counts.churned,
        counts.flagged_at_risk,
        {{ safe_divide('counts.churned_flagged', 'counts.churned') }} as accuracy,
        {{ safe_divide('counts.surprise_churns', 'counts.churned') }} as surprise_churn_rate,
        {{ safe_divide('counts.false_positives', 'counts.flagged_at_risk') }} as false_positive_rate,
        cast(counts.score_outcome_correlation as {{ type_double() }}) as score_outcome_correlation,
        {{ safe_divide(
            'counts.churned_rank_sum - counts.churned * (counts.churned + 1) / 2.0',
            'counts.churned * (counts.contracts - counts.churned)') }} as auc,
        {{ safe_divide('top_decile.churn_rate', 'counts.churn_rate') }} as lift_top_decile,
        cast(calibration.calibration_error as {{ type_double() }}) as calibration_error,
        cast(counts.median_lead_time_days as {{ type_double() }}) as median_lead_time_days
    from counts
    left join top_decile
        on counts.weights_version = top_decile.weights_version
        and counts.cohort_quarter = top_decile.cohort_quarter
    left join calibration
        on counts.weights_version = calibration.weights_version
        and counts.cohort_quarter = calibration.cohort_quarter
),

{%- set metrics = ['accuracy', 'surprise_churn_rate', 'false_positive_rate', 'score_outcome_correlation',
                   'auc', 'lift_top_decile', 'calibration_error', 'median_lead_time_days'] %}

final as (
    select
        measured.weights_version,
        measured.cohort_quarter,
        measured.cohort_quarter_start,
        cast(measured.contracts as {{ dbt.type_int() }}) as contracts,
        cast(measured.churned as {{ dbt.type_int() }}) as churned,
        cast(measured.flagged_at_risk as {{ dbt.type_int() }}) as flagged_at_risk,
        {%- for metric in metrics %}
        measured.{{ metric }},
        target_{{ metric }}.target as {{ metric }}_target,
        {%- endfor %}
        cast(
            {%- for metric in metrics %}
            case
                when target_{{ metric }}.comparison = 'at_least' and measured.{{ metric }} >= target_{{ metric }}.target then 1
                when target_{{ metric }}.comparison = 'at_most' and measured.{{ metric }} <= target_{{ metric }}.target then 1
                else 0
            end{{ ' +' if not loop.last }}
            {%- endfor %}
            as {{ dbt.type_int() }}
        ) as targets_met
    from measured
    {%- for metric in metrics %}
left join targets as target_{{ metric }}
    on target_{{ metric }}.metric = '{{ metric }}'
    {%- endfor %}
)

select * from final
