-- Every field the toolkit's three scripts read from a customer object, and how each is read:
-- 'number' (booleans count 1/0), 'string', 'flag' (Python truthiness), 'echo' (printed back as
-- given) or 'json' (kept as JSON). Top-level fields, then each container object with its leaves.
-- int_toolkit_portfolio__customers unpacks a portfolio's JSON into these columns and
-- int_toolkit__warehouse_customers shapes the warehouse's accounts into the same ones.

{% macro toolkit_customer_fields() %}
{%- set top_fields = {'customer_id': 'echo', 'name': 'echo', 'segment': 'string', 'arr': 'number', 'contract_end_date': 'json'} %}
{%- set containers = {
    'usage': {'login_frequency': 'number', 'feature_adoption': 'number', 'dau_mau_ratio': 'number'},
    'engagement': {'support_ticket_volume': 'number', 'meeting_attendance': 'number', 'nps_score': 'number', 'csat_score': 'number'},
    'support': {'open_tickets': 'number', 'escalation_rate': 'number', 'avg_resolution_hours': 'number'},
    'relationship': {'executive_sponsor_engagement': 'number', 'multi_threading_depth': 'number', 'renewal_sentiment': 'string'},
    'previous_period': {'usage_score': 'number', 'engagement_score': 'number', 'support_score': 'number', 'relationship_score': 'number', 'overall_score': 'number'},
    'usage_decline': {'login_trend': 'number', 'feature_adoption_change': 'number', 'dau_mau_change': 'number'},
    'engagement_drop': {'meeting_cancellations': 'number', 'response_time_days': 'number', 'nps_change': 'number'},
    'support_issues': {'open_escalations': 'number', 'unresolved_critical': 'number', 'satisfaction_trend': 'string'},
    'relationship_signals': {'champion_left': 'flag', 'sponsor_change': 'flag', 'competitor_mentions': 'number'},
    'commercial_factors': {'contract_type': 'string', 'pricing_complaints': 'flag', 'budget_cuts_mentioned': 'flag'},
    'contract': {'licensed_seats': 'number', 'active_seats': 'number', 'plan_tier': 'string', 'available_tiers': 'json'},
    'departments': {'current': 'json', 'potential': 'json'},
    'product_usage': {},
} %}
{{ return({'top_fields': top_fields, 'containers': containers}) }}
{% endmacro %}
