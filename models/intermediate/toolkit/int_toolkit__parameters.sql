-- The toolkit's scalar rules (defaults, points, weights, thresholds) from the toolkit_parameters
-- seed, as one row with one column per parameter, for the scoring models to cross join.

{%- set parameters = [
    'health_trend_threshold', 'health_default_login_frequency', 'health_default_feature_adoption',
    'health_default_dau_mau_ratio', 'health_default_support_ticket_volume', 'health_default_meeting_attendance',
    'health_default_nps_score', 'health_default_csat_score', 'health_default_open_tickets',
    'health_default_escalation_rate', 'health_default_avg_resolution_hours',
    'health_default_executive_sponsor_engagement', 'health_default_multi_threading_depth',
    'health_unknown_sentiment_score',
    'churn_default_response_time_days', 'churn_login_risk_per_point', 'churn_feature_risk_per_point',
    'churn_dau_mau_risk_per_unit', 'churn_login_weight', 'churn_feature_weight', 'churn_dau_mau_weight',
    'churn_cancellation_risk_per_meeting', 'churn_response_baseline_days', 'churn_response_risk_per_day',
    'churn_nps_risk_per_point', 'churn_cancellation_weight', 'churn_response_weight', 'churn_nps_weight',
    'churn_escalation_risk_per_escalation', 'churn_critical_risk_per_ticket', 'churn_escalation_weight',
    'churn_critical_weight', 'churn_satisfaction_weight', 'churn_unknown_satisfaction_risk',
    'churn_champion_left_points', 'churn_sponsor_change_points', 'churn_many_competitor_mentions',
    'churn_many_competitor_points', 'churn_competitor_points_per_mention', 'churn_month_to_month_points',
    'churn_quarterly_points', 'churn_pricing_complaint_points', 'churn_budget_cut_points',
    'expansion_seat_utilisation_threshold', 'expansion_default_seat_growth', 'expansion_default_tier_uplift',
    'expansion_unknown_best_tier_uplift', 'expansion_default_module_fraction', 'expansion_department_discount',
    'expansion_revenue_per_priority_point',
] %}

with

parameters as (
    select * from {{ ref('toolkit_parameters') }}
),

final as (
    select
        {%- for parameter in parameters %}
        max(case when tool || '_' || parameter = '{{ parameter }}' then value end) as {{ parameter }}{{ "," if not loop.last }}
        {%- endfor %}
    from parameters
)

select * from final
