-- One row per customer of the loaded toolkit portfolio, every field the three toolkit scores read
-- unpacked from its JSON: for each field its JSON type ('MISSING' when the key is absent), its
-- value as a number (booleans count 1/0, as in Python) or text, and how Python prints it.

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
{%- set top_fields = {'customer_id': 'echo', 'name': 'echo', 'segment': 'string', 'arr': 'number', 'contract_end_date': 'json'} %}

with

portfolio_customers as (
    select * from {{ source('toolkit', 'portfolio_customers') }}
),

top_level as (
    select
        customer_index,
        json_keys(customer) as customer_keys,
        {{ json_unpack_object('customer', top_fields.keys() | list + containers.keys() | list) }} as fields
    from portfolio_customers
),

second_level as (
    select
        customer_index,
        customer_keys,
        {%- for name in top_fields %}
        fields.{{ name }} as {{ name }}_json,
        {%- endfor %}
        {%- for container, leaves in containers.items() %}
        fields.{{ container }} as {{ container }}_json,
        {%- if leaves %}
        case when {{ json_value_type('fields.' ~ container) }} = 'OBJECT' then json_keys(fields.{{ container }}) end as {{ container }}_keys,
        case when {{ json_value_type('fields.' ~ container) }} = 'OBJECT'
            then {{ json_unpack_object('fields.' ~ container, leaves.keys() | list) }} end as {{ container }}_fields,
        {%- endif %}
        {%- endfor %}
        customer_index as customer_position
    from top_level
),

typed as (
    select
        customer_index,
        {%- for name, kind in top_fields.items() %}
        {{ typed_columns(name, name ~ '_json', "list_contains(customer_keys, '" ~ name ~ "')", kind) }},
        {%- endfor %}
        {%- for container, leaves in containers.items() %}
        case
            when not list_contains(customer_keys, '{{ container }}') then 'MISSING'
            else coalesce({{ json_value_type(container ~ '_json') }}, 'NULL')
        end as {{ container }}_type,
        {%- for leaf, kind in leaves.items() %}
        {{ typed_columns(container ~ '__' ~ leaf, container ~ '_fields.' ~ leaf,
            "coalesce(list_contains(" ~ container ~ "_keys, '" ~ leaf ~ "'), false)", kind) }},
        {%- endfor %}
        {%- endfor %}
        product_usage_json,
        customer_position
    from second_level
),

final as (
    select * from typed
)

select * from final
