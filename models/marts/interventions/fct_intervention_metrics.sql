-- The intervention metrics of fct_intervention_outcomes per cohort quarter (of the contract's end)
-- and segment, 'All' over every quarter and 'all' over every segment, each with the count it is
-- measured on and its target (seeds/alerts/intervention_targets):
--   intervention_success_rate  saved (not churned) / alerted and acted on within the SLA;
--   no_action_renewal_rate     saved / alerted and never acted on, the base rate beside it;
--   intervention_uplift_pp     the difference, in points (the rate alone is green by base rate);
--   time_to_detection_days     mean days from the first alert to the first action;
--   churn_alerted_30d_share    churned contracts alerted at least 30 days before their end / churned;
--   false_alert_rate           alerted, saved without any action / alerted.

with

outcomes as (
    select * from {{ ref('fct_intervention_outcomes') }}
),

targets as (
    select * from {{ ref('intervention_targets') }}
),

scoped as (
    select
        cohort_quarter,
        segment,
        is_churned,
        is_alerted,
        is_alerted_30d_ahead,
        is_acted,
        is_acted_within_sla,
        days_to_detection
    from outcomes
    union all
    select
        cohort_quarter,
        'all' as segment,
        is_churned,
        is_alerted,
        is_alerted_30d_ahead,
        is_acted,
        is_acted_within_sla,
        days_to_detection
    from outcomes
    union all
    select
        'All' as cohort_quarter,
        segment,
        is_churned,
        is_alerted,
        is_alerted_30d_ahead,
        is_acted,
        is_acted_within_sla,
        days_to_detection
    from outcomes
    union all
    select
        'All' as cohort_quarter,
        'all' as segment,
        is_churned,
        is_alerted,
        is_alerted_30d_ahead,
        is_acted,
        is_acted_within_sla,
        days_to_detection
    from outcomes
),

counted as (
    select
        cohort_quarter,
        segment,
        sum(case when is_acted_within_sla then 1 else 0 end) as intervened,
        sum(case when is_acted_within_sla and not is_churned then 1 else 0 end) as intervened_saved,
        sum(case when is_alerted and not is_acted then 1 else 0 end) as not_acted,
        sum(case when is_alerted and not is_acted and not is_churned then 1 else 0 end) as not_acted_saved,
        sum(case when is_acted then days_to_detection end) as detection_days,
        sum(case when is_acted then 1 else 0 end) as acted,
        sum(case when is_churned then 1 else 0 end) as churned,
        sum(case when is_churned and is_alerted_30d_ahead then 1 else 0 end) as churned_alerted_30d,
        sum(case when is_alerted then 1 else 0 end) as alerted,
        sum(case when is_alerted and not is_acted and not is_churned then 1 else 0 end) as false_alerts
    from scoped
    group by cohort_quarter, segment
),

metrics as (
    select
        cohort_quarter, segment, 'intervention_success_rate' as metric,
        {{ safe_divide('intervened_saved', 'intervened') }} as metric_value,
        intervened_saved as numerator, intervened as denominator
    from counted
    union all
    select
        cohort_quarter, segment, 'no_action_renewal_rate' as metric,
        {{ safe_divide('not_acted_saved', 'not_acted') }} as metric_value,
        not_acted_saved as numerator, not_acted as denominator
    from counted
    union all
    select
        cohort_quarter, segment, 'intervention_uplift_pp' as metric,
        100 * ({{ safe_divide('intervened_saved', 'intervened') }} - {{ safe_divide('not_acted_saved', 'not_acted') }})
            as metric_value,
        cast(null as {{ dbt.type_int() }}) as numerator, intervened + not_acted as denominator
    from counted
    union all
    select
        cohort_quarter, segment, 'time_to_detection_days' as metric,
        {{ safe_divide('detection_days', 'acted') }} as metric_value,
        detection_days as numerator, acted as denominator
    from counted
    union all
    select
        cohort_quarter, segment, 'churn_alerted_30d_share' as metric,
        {{ safe_divide('churned_alerted_30d', 'churned') }} as metric_value,
        churned_alerted_30d as numerator, churned as denominator
    from counted
    union all
    select
        cohort_quarter, segment, 'false_alert_rate' as metric,
        {{ safe_divide('false_alerts', 'alerted') }} as metric_value,
        false_alerts as numerator, alerted as denominator
    from counted
),

final as (
    select
        cast(metrics.cohort_quarter as {{ type_varchar() }}) as cohort_quarter,
        cast(metrics.segment as {{ type_varchar() }}) as segment,
        cast(metrics.metric as {{ type_varchar() }}) as metric,
        cast(metrics.metric_value as {{ type_double() }}) as metric_value,
        cast(metrics.numerator as {{ dbt.type_int() }}) as numerator,
        cast(metrics.denominator as {{ dbt.type_int() }}) as denominator,
        targets.comparison,
        targets.target,
        case
            when metrics.metric_value is null or targets.target is null then cast(null as {{ dbt.type_boolean() }})
            when targets.comparison = 'at_least' then metrics.metric_value >= targets.target
            else metrics.metric_value <= targets.target
        end as meets_target
    from metrics
    left join targets
        on metrics.metric = targets.metric
)

select * from final
