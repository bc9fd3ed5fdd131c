-- Each health component's own predictive power for churn, from the component scores recorded
-- forecast_lookback_days before each decided renewal (int_validation__component_ranks), per cohort
-- quarter (and 'All') and segment (and 'all'), over the contracts it applied to: its AUC (the
-- probability that a churned contract's component scored below a renewed one's), the lift of its
-- lowest-scoring tenth and its correlation with retention, with their confidence intervals, beside
-- its weight in the default weights version. A slice with fewer than validation_min_count churned
-- or renewed contracts withholds the metrics and says so.

{%- set slice = 'component, cohort_quarter, segment' %}
{%- set min_count = var('validation_min_count') | int %}

with

ranks as (
    select * from {{ ref('int_validation__component_ranks') }}
),

weights as (
    select * from {{ ref('health_weights') }}
    where weights_version = '{{ var("weights_version") }}'
),

counts as (
    select
        component,
        cohort_quarter,
        segment,
        min(cohort_quarter_start) as cohort_quarter_start,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as churned,
        sum(case when is_churned then 0 else 1 end) as renewed,
        corr(component_score, case when is_churned then 0.0 else 1.0 end) as correlation,
        sum(case when is_churned then risk_rank else 0 end) as churned_rank_sum,
        avg(case when is_churned then 1.0 else 0.0 end) as churn_rate,
        avg(component_score) as avg_score
    from ranks
    group by {{ slice }}
),

top_decile as (
    select
        component,
        cohort_quarter,
        segment,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as churned
    from ranks
    where risk_decile = 1
    group by {{ slice }}
),

measured as (
    select
        counts.*,
        top_decile.contracts as top_decile_contracts,
        top_decile.churned as top_decile_churned,
        {{ rank_sum_auc('counts.churned_rank_sum', 'counts.churned', 'counts.contracts') }} as auc,
        {{ safe_divide(safe_divide('top_decile.churned', 'top_decile.contracts'), 'counts.churn_rate') }} as lift_top_decile,
        counts.churned < {{ min_count }} or counts.renewed < {{ min_count }} as too_few_outcomes
    from counts
    inner join top_decile
        on counts.component = top_decile.component
        and counts.cohort_quarter = top_decile.cohort_quarter
        and counts.segment = top_decile.segment
),

bounded as (
    select
        *,
        {{ auc_bound('auc', 'churned', 'renewed', 'low') }} as auc_ci_low,
        {{ auc_bound('auc', 'churned', 'renewed', 'high') }} as auc_ci_high,
        {{ round_double(safe_divide(wilson_bound('top_decile_churned', 'top_decile_contracts', 'low'), 'churn_rate'), 4) }} as lift_top_decile_ci_low,
        {{ round_double(safe_divide(wilson_bound('top_decile_churned', 'top_decile_contracts', 'high'), 'churn_rate'), 4) }} as lift_top_decile_ci_high,
        {{ correlation_bound('correlation', 'contracts', 'low') }} as correlation_ci_low,
        {{ correlation_bound('correlation', 'contracts', 'high') }} as correlation_ci_high
    from measured
),

final as (
    select
        bounded.component,
        weights.label,
        cast(weights.weight as {{ type_double() }}) as weight,
        bounded.cohort_quarter,
        bounded.cohort_quarter_start,
        bounded.segment,
        cast(bounded.contracts as {{ dbt.type_int() }}) as contracts,
        cast(bounded.churned as {{ dbt.type_int() }}) as churned,
        cast(bounded.renewed as {{ dbt.type_int() }}) as renewed,
        cast(bounded.avg_score as {{ type_double() }}) as avg_score,
        {%- for metric in ['auc', 'lift_top_decile', 'correlation'] %}
        {%- for column in [metric, metric ~ '_ci_low', metric ~ '_ci_high'] %}
        cast(case when not bounded.too_few_outcomes then bounded.{{ column }} end as {{ type_double() }}) as {{ column }},
        {%- endfor %}
        {%- endfor %}
        case
            when bounded.too_few_outcomes
                then 'fewer than {{ min_count }} churned or renewed contracts ('
                    || cast(bounded.churned as {{ dbt.type_string() }}) || ' churned, '
                    || cast(bounded.renewed as {{ dbt.type_string() }}) || ' renewed): metrics withheld'
        end as withheld_reason
    from bounded
    left join weights
        on bounded.component = weights.component
)

select * from final
