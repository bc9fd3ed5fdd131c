{{ config(materialized="table") }}
-- Every customer account of the warehouse as the toolkit's three scripts would read it, as of the
-- as-of date: exactly the columns int_toolkit_portfolio__customers unpacks from a portfolio file, filled from
-- our sources (int_toolkit__warehouse_signals), so the toolkit's scoring macros score the accounts
-- by the same rules as a file. The previous period (previous_period scores, usage declines) is the
-- same measures toolkit_period_days earlier, and is missing for an account that was not a
-- customer then. Fields our sources have no honest measure of stay missing and take the toolkit's
-- defaults (see _int_toolkit__models.yml).

{%- set decimals = var('toolkit_change_decimals') %}
{%- set trend_points = var('toolkit_satisfaction_trend_points') %}

{%- set satisfaction_trend -%}
    case
        when signals.ticket_csat < {{ var('toolkit_satisfaction_critical_below') }} then 'critical'
        when signals.ticket_csat - signals.earlier_ticket_csat >= {{ trend_points }} then 'improving'
        when signals.ticket_csat - signals.earlier_ticket_csat <= -{{ trend_points }} then 'declining'
        when signals.ticket_csat is not null and signals.earlier_ticket_csat is not null then 'stable'
    end
{%- endset %}

{%- set contract_type -%}
    case
        {%- for entry in var('toolkit_contract_types') %}
        when contracts.contract_term_months <= {{ entry.max_term_months }} then '{{ entry.contract_type }}'
        {%- endfor %}
        when contracts.contract_term_months is not null then '{{ var("toolkit_long_contract_type") }}'
    end
{%- endset %}

{%- set values = toolkit_warehouse_health_fields() %}
{%- do values.update({
    'contract_end_date': ['VARCHAR', 'cast(to_json(cast(accounts.contract_end_date as ' ~ dbt.type_string() ~ ')) as ' ~ dbt.type_string() ~ ')'],
    'previous_period__usage_score': ['DOUBLE', 'previous_health.usage_score'],
    'previous_period__engagement_score': ['DOUBLE', 'previous_health.engagement_score'],
    'previous_period__support_score': ['DOUBLE', 'previous_health.support_score'],
    'previous_period__relationship_score': ['DOUBLE', 'previous_health.relationship_score'],
    'previous_period__overall_score': ['DOUBLE', 'previous_health.overall_score'],
    'usage_decline__login_trend': ['DOUBLE', 'round(100 * ' ~ safe_divide('signals.logins - previous_signals.logins', 'previous_signals.logins') ~ ', ' ~ decimals ~ ')'],
    'usage_decline__feature_adoption_change': ['DOUBLE', 'round(signals.feature_adoption - previous_signals.feature_adoption, ' ~ decimals ~ ')'],
    'usage_decline__dau_mau_change': ['DOUBLE', 'signals.dau_mau_ratio - previous_signals.dau_mau_ratio'],
    'engagement_drop__nps_change': ['DOUBLE', 'round(signals.recent_nps_score - signals.earlier_nps_score, ' ~ decimals ~ ')'],
    'support_issues__open_escalations': ['BIGINT', 'signals.open_escalations'],
    'support_issues__unresolved_critical': ['BIGINT', 'signals.unresolved_critical'],
    'support_issues__satisfaction_trend': ['VARCHAR', satisfaction_trend],
    'commercial_factors__contract_type': ['VARCHAR', contract_type],
    'contract__licensed_seats': ['BIGINT', 'accounts.licensed_seats'],
    'contract__active_seats': ['BIGINT', 'signals.peak_active_users'],
    'contract__plan_tier': ['VARCHAR', 'lower(accounts.product_tier)'],
    'contract__available_tiers': ['ARRAY', "'" ~ tojson(var('toolkit_plan_tiers')) ~ "'"],
}) %}

with

accounts as (
    select * from {{ ref('int_accounts__customers') }}
),

contracts as (
    select * from {{ ref('stg_salesforce__contracts') }}
),

signals as (
    select * from {{ ref('int_toolkit__warehouse_signals') }}
    where period_offset = 0
),

all_previous_signals as (
    select * from {{ ref('int_toolkit__warehouse_signals') }}
    where period_offset = 1
),

previous_customers as (
    select * from {{ ref('int_toolkit__warehouse_previous_customers') }}
),

previous_scores as (
    select * from {{ ref('int_toolkit__warehouse_previous_health') }}
),

-- the previous period counts only for an account that was a customer by then
previous_signals as (
    select all_previous_signals.*
    from all_previous_signals
    inner join accounts
        on all_previous_signals.account_id = accounts.account_id
    where accounts.first_contract_start_date <= all_previous_signals.reference_date
),

previous_health as (
    select
        previous_customers.customer_id as account_id,
        previous_scores.*
    from previous_scores
    inner join previous_customers
        on previous_scores.customer_index = previous_customers.customer_index
    inner join previous_signals
        on previous_customers.customer_id = previous_signals.account_id
),

final as (
    select
        cast(row_number() over (order by accounts.account_id) as {{ dbt.type_int() }}) as customer_index,
        {{ toolkit_record_columns(values) }},
        cast(row_number() over (order by accounts.account_id) as {{ dbt.type_int() }}) as customer_position
    from accounts
    inner join signals
        on accounts.account_id = signals.account_id
    left join contracts
        on accounts.current_contract_id = contracts.contract_id
    left join previous_signals
        on accounts.account_id = previous_signals.account_id
    left join previous_health
        on accounts.account_id = previous_health.account_id
)

select * from final
