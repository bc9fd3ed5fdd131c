-- The toolkit fields the health score calculator reads, filled from the warehouse: `accounts` is
-- int_accounts__customers and `signals` one period of int_toolkit__warehouse_signals. Shared by the
-- customers of the current period (int_toolkit__warehouse_customers) and of the previous one
-- (int_toolkit__warehouse_previous_customers), whose health scores are the current period's
-- previous_period. The mapping is documented field by field in _int_toolkit__models.yml; the
-- fields not listed here have no honest measure in our sources and stay missing.

{% macro toolkit_warehouse_health_fields(accounts='accounts', signals='signals') -%}
    {%- set sentiments = var('toolkit_renewal_sentiments') -%}
    {%- set sentiment -%}
        case lower({{ accounts }}.csm_sentiment)
            {%- for csm_sentiment, renewal_sentiment in sentiments.items() %}
            when '{{ csm_sentiment }}' then '{{ renewal_sentiment }}'
            {%- endfor %}
        end
    {%- endset -%}
    {{ return({
        'customer_id': ['VARCHAR', accounts ~ '.account_id'],
        'name': ['VARCHAR', accounts ~ '.account_name'],
        'segment': ['VARCHAR', accounts ~ '.segment'],
        'arr': ['DOUBLE', accounts ~ '.arr'],
        'usage__login_frequency': ['DOUBLE', signals ~ '.login_frequency'],
        'usage__feature_adoption': ['DOUBLE', signals ~ '.feature_adoption'],
        'usage__dau_mau_ratio': ['DOUBLE', signals ~ '.dau_mau_ratio'],
        'engagement__support_ticket_volume': ['BIGINT', signals ~ '.support_ticket_volume'],
        'engagement__nps_score': ['DOUBLE', signals ~ '.nps_score'],
        'engagement__csat_score': ['DOUBLE', signals ~ '.csat_score'],
        'support__open_tickets': ['BIGINT', signals ~ '.open_tickets'],
        'support__escalation_rate': ['DOUBLE', signals ~ '.escalation_rate'],
        'support__avg_resolution_hours': ['DOUBLE', signals ~ '.avg_resolution_hours'],
        'relationship__executive_sponsor_engagement': ['DOUBLE', signals ~ '.executive_sponsor_engagement'],
        'relationship__multi_threading_depth': ['BIGINT', signals ~ '.multi_threading_depth'],
        'relationship__renewal_sentiment': ['VARCHAR', sentiment],
    }) }}
{%- endmacro %}
