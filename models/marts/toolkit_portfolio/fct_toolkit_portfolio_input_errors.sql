-- Fields of the loaded portfolio that the original scripts would crash on (a text where a number
-- is needed, a list where an object is), or that lie outside the range the SQL reproduces exactly
-- (|x| <= 1e12): one row per customer, tool and field. The CLI refuses such a file with one line.

{%- set numbers = {
    'health': ['usage__login_frequency', 'usage__feature_adoption', 'usage__dau_mau_ratio',
               'engagement__support_ticket_volume', 'engagement__meeting_attendance', 'engagement__nps_score',
               'engagement__csat_score', 'support__open_tickets', 'support__escalation_rate',
               'support__avg_resolution_hours', 'relationship__executive_sponsor_engagement',
               'relationship__multi_threading_depth'],
    'churn': ['usage_decline__login_trend', 'usage_decline__feature_adoption_change', 'usage_decline__dau_mau_change',
              'engagement_drop__meeting_cancellations', 'engagement_drop__response_time_days',
              'engagement_drop__nps_change', 'support_issues__open_escalations', 'support_issues__unresolved_critical',
              'relationship_signals__competitor_mentions'],
    'expansion': ['contract__licensed_seats', 'contract__active_seats', 'arr'],
} %}
{%- set nullable_numbers = {'health': ['previous_period__usage_score', 'previous_period__engagement_score',
    'previous_period__support_score', 'previous_period__relationship_score', 'previous_period__overall_score']} %}
{%- set texts = {
    'health': ['segment', 'relationship__renewal_sentiment'],
    'churn': ['support_issues__satisfaction_trend', 'commercial_factors__contract_type'],
    'expansion': ['segment', 'contract__plan_tier'],
} %}
{%- set objects = {
    'health': ['usage', 'engagement', 'support', 'relationship', 'previous_period'],
    'churn': ['usage_decline', 'engagement_drop', 'support_issues', 'relationship_signals', 'commercial_factors'],
    'expansion': ['contract', 'product_usage', 'departments'],
} %}

with

customers as (
    select * from {{ ref('int_toolkit_portfolio__customers') }}
),

problems as (
    {%- set checks = [] %}
    {%- for tool, fields in objects.items() %}{% for field in fields %}
    {%- do checks.append((tool, 'any', field, field ~ "_type not in ('OBJECT', 'MISSING')", 'is not an object')) %}
    {%- endfor %}{% endfor %}
    {%- for tool, fields in numbers.items() %}{% for field in fields %}
    {%- do checks.append((tool, 'any', field, field ~ "_type not in ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'MISSING')", 'is not a number')) %}
    {%- do checks.append((tool, 'any', field, 'abs(' ~ field ~ ') > 1e12', 'is outside the range the toolkit supports (-1e12 to 1e12)')) %}
    {%- endfor %}{% endfor %}
    {%- for tool, fields in nullable_numbers.items() %}{% for field in fields %}
    {%- do checks.append((tool, 'any', field, field ~ "_type not in ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'NULL', 'MISSING')", 'is not a number')) %}
    {%- do checks.append((tool, 'any', field, 'abs(' ~ field ~ ') > 1e12', 'is outside the range the toolkit supports (-1e12 to 1e12)')) %}
    {%- endfor %}{% endfor %}
    {%- for tool, fields in texts.items() %}{% for field in fields %}
    {%- do checks.append((tool, 'any', field, field ~ "_type not in ('VARCHAR', 'MISSING')", 'is not a text')) %}
    {%- endfor %}{% endfor %}
    {%- do checks.append(('health', 'text', 'arr', "arr_type not in ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'MISSING')", 'is not a number')) %}
    {%- do checks.append(('churn', 'text', 'arr', "arr_type not in ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'MISSING')", 'is not a number')) %}
    {%- do checks.append(('churn', 'text', 'segment', "segment_type not in ('VARCHAR', 'MISSING')", 'is not a text')) %}
    {%- do checks.append(('health', 'text', 'arr', 'abs(arr) > 1e12', 'is outside the range the toolkit supports (-1e12 to 1e12)')) %}
    {%- do checks.append(('churn', 'any', 'arr', 'abs(arr) > 1e12', 'is outside the range the toolkit supports (-1e12 to 1e12)')) %}
    {%- do checks.append(('churn', 'any', 'arr', "arr_type not in ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'MISSING')", 'is not a number')) %}
    {%- for tool, output_format, field, condition, problem in checks %}
    select
        customer_index,
        '{{ tool }}' as tool,
        '{{ output_format }}' as output_format,
        '{{ field | replace("__", ".") }}' as field,
        {{ loop.index }} as field_order,
        '{{ problem }}' as problem
    from customers
    where {{ condition }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        problems.customer_index,
        coalesce(customers.customer_id, customers.name, '#' || cast(problems.customer_index as varchar))
            as customer_label,
        problems.tool,
        problems.output_format,
        problems.field,
        problems.field_order,
        problems.problem
    from problems
    inner join customers
        on problems.customer_index = customers.customer_index
)

select * from final
