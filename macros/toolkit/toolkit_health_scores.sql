-- The toolkit's health score for each customer of `customers` (a relation shaped like
-- int_toolkit_portfolio__customers: the loaded portfolio, or the warehouse's accounts): the four dimension
-- scores (usage, engagement, support, relationship) against the segment's benchmarks, the weighted
-- overall score, the green/yellow/red classification against the segment's thresholds, the trend
-- of each against the previous period, and which recommendation rules fire.
-- One implementation for both: int_toolkit_portfolio__health_scores and int_toolkit__warehouse_health_scores.

{% macro toolkit_health_scores(customers) %}
{%- set dimension_weights = ['usage', 'engagement', 'support', 'relationship'] %}
{%- set metric_weights = [
    'login_frequency', 'feature_adoption', 'dau_mau_ratio',
    'support_ticket_volume', 'meeting_attendance', 'nps_score', 'csat_score',
    'open_tickets', 'escalation_rate', 'avg_resolution_hours',
    'executive_sponsor_engagement', 'multi_threading_depth', 'renewal_sentiment',
] %}
{%- set rules = [
    'login_frequency_low', 'feature_adoption_low', 'dau_mau_low', 'meeting_attendance_low', 'nps_low',
    'csat_low', 'open_tickets_high', 'escalation_rate_high', 'resolution_time_high', 'exec_sponsor_weak',
    'single_threaded',
] %}

with

customers as (
    select * from {{ customers }}
),

parameters as (
    select * from {{ ref('int_toolkit__parameters') }}
),

segments as (
    select * from {{ ref('toolkit_health_segments') }}
),

weights as (
    select * from {{ ref('toolkit_health_weights') }}
),

sentiments as (
    select * from {{ ref('toolkit_health_sentiments') }}
),

recommendation_rules as (
    select * from {{ ref('toolkit_health_recommendations') }}
),

weight_row as (
    select
        {%- for dimension in dimension_weights %}
        max(case when component = 'dimension' and dimension = '{{ dimension }}' then weight end) as {{ dimension }}_weight,
        {%- endfor %}
        {%- for metric in metric_weights %}
        max(case when component = '{{ metric }}' then weight end) as {{ metric }}_weight{{ "," if not loop.last }}
        {%- endfor %}
    from weights
),

threshold_row as (
    select
        {%- for rule in rules %}
        max(case when rule = '{{ rule }}' then threshold end) as {{ rule }}_threshold{{ "," if not loop.last }}
        {%- endfor %}
    from recommendation_rules
),

fallback_segment as (
    select * from segments
    where is_fallback
),

inputs as {{ materialized_cte() }} (
    select
        customers.customer_index,
        lower(coalesce(customers.segment, fallback_segment.segment)) as segment,
        coalesce(customers.usage__login_frequency, parameters.health_default_login_frequency) as login_frequency,
        coalesce(customers.usage__feature_adoption, parameters.health_default_feature_adoption) as feature_adoption,
        coalesce(customers.usage__dau_mau_ratio, parameters.health_default_dau_mau_ratio) as dau_mau_ratio,
        coalesce(customers.engagement__support_ticket_volume, parameters.health_default_support_ticket_volume)
            as support_ticket_volume,
        coalesce(customers.engagement__meeting_attendance, parameters.health_default_meeting_attendance)
            as meeting_attendance,
        coalesce(customers.engagement__nps_score, parameters.health_default_nps_score) as nps_score,
        coalesce(customers.engagement__csat_score, parameters.health_default_csat_score) as csat_score,
        coalesce(customers.support__open_tickets, parameters.health_default_open_tickets) as open_tickets,
        coalesce(customers.support__escalation_rate, parameters.health_default_escalation_rate) as escalation_rate,
        coalesce(customers.support__avg_resolution_hours, parameters.health_default_avg_resolution_hours)
            as avg_resolution_hours,
        coalesce(
            customers.relationship__executive_sponsor_engagement,
            parameters.health_default_executive_sponsor_engagement
        ) as executive_sponsor_engagement,
        coalesce(customers.relationship__multi_threading_depth, parameters.health_default_multi_threading_depth)
            as multi_threading_depth,
        lower(coalesce(customers.relationship__renewal_sentiment, 'unknown')) as renewal_sentiment,
        customers.previous_period__usage_score as previous_usage_score,
        customers.previous_period__engagement_score as previous_engagement_score,
        customers.previous_period__support_score as previous_support_score,
        customers.previous_period__relationship_score as previous_relationship_score,
        customers.previous_period__overall_score as previous_overall_score
    from customers
    cross join parameters
    cross join fallback_segment
),

benchmarked as {{ materialized_cte() }} (
    select
        inputs.*,
        coalesce(segments.green_min, fallback_segment.green_min) as green_min,
        coalesce(segments.yellow_min, fallback_segment.yellow_min) as yellow_min,
        {%- for benchmark in [
            'login_frequency_target', 'feature_adoption_target', 'dau_mau_target', 'support_ticket_volume_max',
            'meeting_attendance_target', 'nps_target', 'csat_target', 'open_tickets_max', 'escalation_rate_max',
            'avg_resolution_hours_max', 'exec_sponsor_target', 'multi_threading_target'] %}
        coalesce(segments.{{ benchmark }}, fallback_segment.{{ benchmark }}) as {{ benchmark }},
        {%- endfor %}
        coalesce(sentiments.sentiment_score, parameters.health_unknown_sentiment_score) as sentiment_score
    from inputs
    cross join fallback_segment
    cross join parameters
    left join segments
        on inputs.segment = segments.segment
    left join sentiments
        on inputs.renewal_sentiment = sentiments.renewal_sentiment
),

-- each metric as a 0-100 score: the share of its target reached, or for the "lower is better"
-- metrics the share of the maximum left (a zero target or maximum counts as 0, as safe_divide does)
metric_ratios as {{ materialized_cte() }} (
    select
        benchmarked.*,
        {%- for metric, benchmark in [
            ('login_frequency', 'login_frequency_target'), ('feature_adoption', 'feature_adoption_target'),
            ('dau_mau_ratio', 'dau_mau_target'), ('meeting_attendance', 'meeting_attendance_target'),
            ('nps_score', 'nps_target'), ('csat_score', 'csat_target'),
            ('executive_sponsor_engagement', 'exec_sponsor_target'), ('multi_threading_depth', 'multi_threading_target')] %}
        (case when {{ benchmark }} = 0 then 0.0 else {{ metric }} / {{ benchmark }} end) * 100 as {{ metric }}_ratio,
        {%- endfor %}
        {%- for metric, benchmark in [
            ('support_ticket_volume', 'support_ticket_volume_max'), ('open_tickets', 'open_tickets_max'),
            ('escalation_rate', 'escalation_rate_max'), ('avg_resolution_hours', 'avg_resolution_hours_max')] %}
        (1.0 - case when {{ benchmark }} = 0 then 0.0 else {{ metric }} / {{ benchmark }} end) * 100
            as {{ metric }}_ratio{{ "," if not loop.last }}
        {%- endfor %}
    from benchmarked
),

metric_scores as {{ materialized_cte() }} (
    select
        metric_ratios.*,
        {%- for metric in metric_weights if metric != 'renewal_sentiment' %}
        {{ python_clamp(metric ~ '_ratio') }} as {{ metric }}_score{{ "," if not loop.last }}
        {%- endfor %}
    from metric_ratios
),

dimension_sums as {{ materialized_cte() }} (
    select
        metric_scores.*,
        metric_scores.login_frequency_score * weight_row.login_frequency_weight
        + metric_scores.feature_adoption_score * weight_row.feature_adoption_weight
        + metric_scores.dau_mau_ratio_score * weight_row.dau_mau_ratio_weight as usage_sum,
        metric_scores.support_ticket_volume_score * weight_row.support_ticket_volume_weight
        + metric_scores.meeting_attendance_score * weight_row.meeting_attendance_weight
        + metric_scores.nps_score_score * weight_row.nps_score_weight
        + metric_scores.csat_score_score * weight_row.csat_score_weight as engagement_sum,
        metric_scores.open_tickets_score * weight_row.open_tickets_weight
        + metric_scores.escalation_rate_score * weight_row.escalation_rate_weight
        + metric_scores.avg_resolution_hours_score * weight_row.avg_resolution_hours_weight as support_sum,
        metric_scores.executive_sponsor_engagement_score * weight_row.executive_sponsor_engagement_weight
        + metric_scores.multi_threading_depth_score * weight_row.multi_threading_depth_weight
        + metric_scores.sentiment_score * weight_row.renewal_sentiment_weight as relationship_sum
    from metric_scores
    cross join weight_row
),

dimension_scores as {{ materialized_cte() }} (
    select
        dimension_sums.*,
        {{ python_round('usage_sum', 1) }} as usage_score,
        {{ python_round('engagement_sum', 1) }} as engagement_score,
        {{ python_round('support_sum', 1) }} as support_score,
        {{ python_round('relationship_sum', 1) }} as relationship_score
    from dimension_sums
),

overall_sums as {{ materialized_cte() }} (
    select
        dimension_scores.*,
        dimension_scores.usage_score * weight_row.usage_weight
        + dimension_scores.engagement_score * weight_row.engagement_weight
        + dimension_scores.support_score * weight_row.support_weight
        + dimension_scores.relationship_score * weight_row.relationship_weight as overall_sum
    from dimension_scores
    cross join weight_row
),

overall_scores as {{ materialized_cte() }} (
    select
        overall_sums.*,
        {{ python_round('overall_sum', 1) }} as overall_score
    from overall_sums
),

final as (
    select
        overall_scores.customer_index,
        overall_scores.segment,
        {%- for dimension in dimension_weights + ['overall'] %}
        overall_scores.{{ dimension }}_score,
        case
            when overall_scores.{{ dimension }}_score >= overall_scores.green_min then 'green'
            when overall_scores.{{ dimension }}_score >= overall_scores.yellow_min then 'yellow'
            else 'red'
        end as {{ dimension }}_classification,
        case
            when overall_scores.previous_{{ dimension }}_score is null then 'no_data'
            when overall_scores.{{ dimension }}_score - overall_scores.previous_{{ dimension }}_score
                > parameters.health_trend_threshold then 'improving'
            when overall_scores.{{ dimension }}_score - overall_scores.previous_{{ dimension }}_score
                < -parameters.health_trend_threshold then 'declining'
            else 'stable'
        end as {{ dimension }}_trend,
        {%- endfor %}
        overall_scores.login_frequency_score < threshold_row.login_frequency_low_threshold as fires_login_frequency_low,
        overall_scores.feature_adoption_score < threshold_row.feature_adoption_low_threshold
            as fires_feature_adoption_low,
        overall_scores.dau_mau_ratio_score < threshold_row.dau_mau_low_threshold as fires_dau_mau_low,
        overall_scores.meeting_attendance_score < threshold_row.meeting_attendance_low_threshold
            as fires_meeting_attendance_low,
        overall_scores.nps_score < threshold_row.nps_low_threshold as fires_nps_low,
        overall_scores.csat_score < threshold_row.csat_low_threshold as fires_csat_low,
        overall_scores.open_tickets > overall_scores.open_tickets_max * threshold_row.open_tickets_high_threshold
            as fires_open_tickets_high,
        overall_scores.escalation_rate
        > overall_scores.escalation_rate_max * threshold_row.escalation_rate_high_threshold
            as fires_escalation_rate_high,
        overall_scores.avg_resolution_hours
        > overall_scores.avg_resolution_hours_max * threshold_row.resolution_time_high_threshold
            as fires_resolution_time_high,
        overall_scores.executive_sponsor_engagement_score < threshold_row.exec_sponsor_weak_threshold
            as fires_exec_sponsor_weak,
        overall_scores.multi_threading_depth < threshold_row.single_threaded_threshold as fires_single_threaded,
        overall_scores.renewal_sentiment = 'negative' as fires_sentiment_negative
    from overall_scores
    cross join parameters
    cross join threshold_row
)

select * from final
{% endmacro %}
