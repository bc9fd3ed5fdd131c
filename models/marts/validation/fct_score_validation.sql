-- How well the health score (as it stood forecast_lookback_days before each renewal, per weights
-- version) and the churn model's probability predicted the outcomes, per cohort quarter of contract
-- end date and over all of them ('All'), per segment and over all of them ('all'), each metric
-- beside its target, the rates with their confidence intervals (macros/validation_statistics.sql):
--   accuracy                   churned contracts flagged at risk / churned (the recall of the flag)
--   surprise_churn_rate        churned without being flagged at risk / churned
--   false_positive_rate        renewed among the flagged / flagged
--   precision_at_risk          churned among the flagged / flagged (1 − false_positive_rate)
--   f1_at_risk                 harmonic mean of precision_at_risk and accuracy
--   score_outcome_correlation  Pearson correlation of the score with retention (1 renewed, 0 churned)
--   auc                        probability that a churned contract scored below a renewed one (rank sum)
--   pr_auc                     average precision of the score ranking churns first (area under the PR curve)
--   lift_top_decile            churn rate of the lowest-scoring tenth / overall churn rate
--   brier_score                mean squared error of the churn model's probability against the outcome
--   calibration_error          mean |predicted − actual churn rate| over probability deciles, weighted by size
--   median_lead_time_days      median days a churned account had been below the line before its end
-- A slice with fewer than validation_min_count churned or renewed contracts shows its counts and
-- withholds every metric; one with fewer flagged at risk withholds the metrics of the flagged
-- (precision, false positives, F1); withheld_reason says which and why.

{%- set slice = 'weights_version, cohort_quarter, segment' %}
{%- set min_count = var('validation_min_count') | int %}
{#- metric: (interval kind, the count it needs) -#}
{%- set metrics = {
    'accuracy': 'outcomes', 'surprise_churn_rate': 'outcomes', 'false_positive_rate': 'flagged',
    'precision_at_risk': 'flagged', 'f1_at_risk': 'flagged', 'score_outcome_correlation': 'outcomes',
    'auc': 'outcomes', 'pr_auc': 'outcomes', 'lift_top_decile': 'outcomes', 'brier_score': 'outcomes',
    'calibration_error': 'outcomes', 'median_lead_time_days': 'outcomes'} %}
{%- set with_interval = ['accuracy', 'surprise_churn_rate', 'false_positive_rate', 'precision_at_risk',
                         'score_outcome_correlation', 'auc', 'pr_auc', 'lift_top_decile', 'brier_score'] %}

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

outcomes as (
    select
        *,
        case when is_churned then 1 else 0 end as churned_flag,
        (churn_probability - case when is_churned then 1.0 else 0.0 end)
        * (churn_probability - case when is_churned then 1.0 else 0.0 end) as squared_error
    from ranked
),

counts as (
    select
        weights_version,
        cohort_quarter,
        segment,
        min(cohort_quarter_start) as cohort_quarter_start,
        count(*) as contracts,
        sum(churned_flag) as churned,
        sum(1 - churned_flag) as renewed,
        sum(case when is_flagged_at_risk then 1 else 0 end) as flagged_at_risk,
        sum(case when is_flagged_at_risk then churned_flag else 0 end) as churned_flagged,
        sum(case when not is_flagged_at_risk then churned_flag else 0 end) as surprise_churns,
        sum(case when is_flagged_at_risk then 1 - churned_flag else 0 end) as false_positives,
        count(churn_probability) as probability_scored,
        corr(health_score, 1.0 - churned_flag) as score_outcome_correlation,
        sum(case when is_churned then risk_rank else 0 end) as churned_rank_sum,
        avg(1.0 * churned_flag) as churn_rate,
        avg(squared_error) as brier_score,
        stddev_samp(squared_error) as squared_error_sd,
        {{ median('lead_time_days') }} as median_lead_time_days
    from outcomes
    group by {{ slice }}
),

top_decile as (
    select
        weights_version,
        cohort_quarter,
        segment,
        count(*) as contracts,
        sum(churned_flag) as churned
    from outcomes
    where risk_decile = 1
    group by {{ slice }}
),

calibration as (
    select
        weights_version,
        cohort_quarter,
        segment,
        {{ safe_divide('sum(contracts * abs(predicted_rate - actual_rate))', 'sum(contracts)') }} as calibration_error
    from probability_deciles
    group by {{ slice }}
),

-- Average precision: walking the scores from the lowest up, each score level's churns weighted by
-- the precision of flagging every contract at or below that score (tied scores are one step).
score_levels as (
    select
        weights_version,
        cohort_quarter,
        segment,
        health_score,
        count(*) as contracts,
        sum(churned_flag) as churned
    from outcomes
    group by {{ slice }}, health_score
),

cumulative_levels as (
    select
        *,
        sum(contracts) over (
            partition by {{ slice }} order by health_score rows between unbounded preceding and current row
        ) as contracts_at_or_below,
        sum(churned) over (
            partition by {{ slice }} order by health_score rows between unbounded preceding and current row
        ) as churned_at_or_below
    from score_levels
),

average_precision as (
    select
        weights_version,
        cohort_quarter,
        segment,
        {{ safe_divide('sum(churned * ' ~ safe_divide('churned_at_or_below', 'contracts_at_or_below') ~ ')', 'sum(churned)') }} as pr_auc
    from cumulative_levels
    group by {{ slice }}
),

rates as (
    select
        counts.*,
        {{ safe_divide('counts.churned_flagged', 'counts.churned') }} as accuracy,
        {{ safe_divide('counts.surprise_churns', 'counts.churned') }} as surprise_churn_rate,
        {{ safe_divide('counts.false_positives', 'counts.flagged_at_risk') }} as false_positive_rate,
        {{ safe_divide('counts.churned_flagged', 'counts.flagged_at_risk') }} as precision_at_risk,
        {{ safe_divide('2 * counts.churned_flagged', '2 * counts.churned_flagged + counts.false_positives + counts.surprise_churns') }}
            as f1_at_risk,
        {{ rank_sum_auc('counts.churned_rank_sum', 'counts.churned', 'counts.contracts') }} as auc,
        average_precision.pr_auc,
        top_decile.contracts as top_decile_contracts,
        top_decile.churned as top_decile_churned,
        {{ safe_divide(safe_divide('top_decile.churned', 'top_decile.contracts'), 'counts.churn_rate') }} as lift_top_decile,
        calibration.calibration_error
    from counts
    left join top_decile
        on counts.weights_version = top_decile.weights_version
        and counts.cohort_quarter = top_decile.cohort_quarter
        and counts.segment = top_decile.segment
    left join calibration
        on counts.weights_version = calibration.weights_version
        and counts.cohort_quarter = calibration.cohort_quarter
        and counts.segment = calibration.segment
    left join average_precision
        on counts.weights_version = average_precision.weights_version
        and counts.cohort_quarter = average_precision.cohort_quarter
        and counts.segment = average_precision.segment
),

measured as (
    select
        *,
        {{ wilson_bound('churned_flagged', 'churned', 'low') }} as accuracy_ci_low,
        {{ wilson_bound('churned_flagged', 'churned', 'high') }} as accuracy_ci_high,
        {{ wilson_bound('surprise_churns', 'churned', 'low') }} as surprise_churn_rate_ci_low,
        {{ wilson_bound('surprise_churns', 'churned', 'high') }} as surprise_churn_rate_ci_high,
        {{ wilson_bound('false_positives', 'flagged_at_risk', 'low') }} as false_positive_rate_ci_low,
        {{ wilson_bound('false_positives', 'flagged_at_risk', 'high') }} as false_positive_rate_ci_high,
        {{ wilson_bound('churned_flagged', 'flagged_at_risk', 'low') }} as precision_at_risk_ci_low,
        {{ wilson_bound('churned_flagged', 'flagged_at_risk', 'high') }} as precision_at_risk_ci_high,
        {{ correlation_bound('score_outcome_correlation', 'contracts', 'low') }} as score_outcome_correlation_ci_low,
        {{ correlation_bound('score_outcome_correlation', 'contracts', 'high') }} as score_outcome_correlation_ci_high,
        {{ auc_bound('auc', 'churned', 'renewed', 'low') }} as auc_ci_low,
        {{ auc_bound('auc', 'churned', 'renewed', 'high') }} as auc_ci_high,
        {{ average_precision_bound('pr_auc', 'churned', 'low') }} as pr_auc_ci_low,
        {{ average_precision_bound('pr_auc', 'churned', 'high') }} as pr_auc_ci_high,
        {{ round_double(safe_divide(wilson_bound('top_decile_churned', 'top_decile_contracts', 'low'), 'churn_rate'), 4) }} as lift_top_decile_ci_low,
        {{ round_double(safe_divide(wilson_bound('top_decile_churned', 'top_decile_contracts', 'high'), 'churn_rate'), 4) }} as lift_top_decile_ci_high,
        {{ mean_bound('brier_score', 'squared_error_sd', 'probability_scored', 'low') }} as brier_score_ci_low,
        {{ mean_bound('brier_score', 'squared_error_sd', 'probability_scored', 'high') }} as brier_score_ci_high,
        churned < {{ min_count }} or renewed < {{ min_count }} as too_few_outcomes,
        flagged_at_risk < {{ min_count }} as too_few_flagged
    from rates
),

final as (
    select
        measured.weights_version,
        measured.cohort_quarter,
        measured.cohort_quarter_start,
        measured.segment,
        cast(measured.contracts as {{ dbt.type_int() }}) as contracts,
        cast(measured.churned as {{ dbt.type_int() }}) as churned,
        cast(measured.renewed as {{ dbt.type_int() }}) as renewed,
        cast(measured.flagged_at_risk as {{ dbt.type_int() }}) as flagged_at_risk,
        cast(measured.churned_flagged as {{ dbt.type_int() }}) as churned_flagged,
        cast(measured.probability_scored as {{ dbt.type_int() }}) as probability_scored,
        {%- for metric, needs in metrics.items() %}
        {%- set withheld = 'measured.too_few_outcomes' ~ (' or measured.too_few_flagged' if needs == 'flagged' else '') %}
        {%- for column in [metric] + ([metric ~ '_ci_low', metric ~ '_ci_high'] if metric in with_interval else []) %}
        cast(case when not ({{ withheld }}) then measured.{{ column }} end as {{ type_double() }}) as {{ column }},
        {%- endfor %}
        target_{{ metric }}.target as {{ metric }}_target,
        {%- endfor %}
        cast(
            {%- for metric, needs in metrics.items() %}
            case
                when measured.too_few_outcomes{{ ' or measured.too_few_flagged' if needs == 'flagged' }} then 0
                when target_{{ metric }}.comparison = 'at_least' and measured.{{ metric }} >= target_{{ metric }}.target then 1
                when target_{{ metric }}.comparison = 'at_most' and measured.{{ metric }} <= target_{{ metric }}.target then 1
                else 0
            end{{ ' +' if not loop.last }}
            {%- endfor %}
            as {{ dbt.type_int() }}
        ) as targets_met,
        case
            when measured.too_few_outcomes
                then 'fewer than {{ min_count }} churned or renewed contracts ('
                    || cast(measured.churned as {{ dbt.type_string() }}) || ' churned, '
                    || cast(measured.renewed as {{ dbt.type_string() }}) || ' renewed): every metric withheld'
            when measured.too_few_flagged
                then 'fewer than {{ min_count }} contracts flagged at risk ('
                    || cast(measured.flagged_at_risk as {{ dbt.type_string() }})
                    || '): false-positive rate, precision and F1 withheld'
        end as withheld_reason
    from measured
    {%- for metric in metrics %}
left join targets as target_{{ metric }}
    on target_{{ metric }}.metric = '{{ metric }}'
    {%- endfor %}
)

select * from final
