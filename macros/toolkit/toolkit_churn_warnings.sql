-- The churn risk analyzer's warning signals for each customer of `customers` (shaped like
-- int_toolkit_portfolio__customers), from its `churn_scores` (toolkit_churn_scores), one row per warning,
-- numbered in the analyzer's order: by severity, highest first, then as raised. One
-- implementation for the loaded portfolio and the warehouse's accounts.

{% macro toolkit_churn_warnings(customers, churn_scores) %}
{%- set abs_text = "ltrim({}, '-')" %}

with

customers as (
    select * from {{ customers }}
),

scores as (
    select * from {{ churn_scores }}
),

rules as (
    select * from {{ ref('toolkit_churn_warning_rules') }}
),

severities as (
    select * from {{ ref('toolkit_churn_severities') }}
),

signals as {{ materialized_cte() }} (
    select
        scores.*,
        coalesce(customers.usage_decline__login_trend_text, '0') as login_trend_text,
        coalesce(customers.usage_decline__feature_adoption_change_text, '0') as feature_adoption_change_text,
        coalesce(customers.engagement_drop__meeting_cancellations_text, '0') as meeting_cancellations_text,
        coalesce(customers.engagement_drop__response_time_days_text, '1') as response_time_days_text,
        coalesce(customers.engagement_drop__nps_change_text, '0') as nps_change_text,
        coalesce(customers.support_issues__unresolved_critical_text, '0') as unresolved_critical_text,
        coalesce(customers.support_issues__open_escalations_text, '0') as open_escalations_text,
        coalesce(customers.relationship_signals__competitor_mentions_text, '0') as competitor_mentions_text
    from scores
    inner join customers
        on scores.customer_index = customers.customer_index
),

raised as {{ materialized_cte() }} (
    select
        signals.customer_index,
        rules.position,
        rules.severity,
        case rules.rule
            when 'login_dropped' then signals.login_trend <= rules.threshold
            when 'login_declined' then signals.login_trend > -20 and signals.login_trend <= rules.threshold
            when 'login_dipping' then signals.login_trend > -10 and signals.login_trend < rules.threshold
            when 'feature_dropped' then signals.feature_adoption_change <= rules.threshold
            when 'feature_declining' then signals.feature_adoption_change > -15
                and signals.feature_adoption_change < rules.threshold
            when 'dau_mau_fell' then signals.dau_mau_change <= rules.threshold
            when 'cancellations_many' then signals.meeting_cancellations >= rules.threshold
            when 'cancellations_some' then signals.meeting_cancellations < 3 and signals.meeting_cancellations >= rules.threshold
            when 'response_dark' then signals.response_time_days >= rules.threshold
            when 'response_slow' then signals.response_time_days < 7 and signals.response_time_days >= rules.threshold
            when 'nps_dropped' then signals.nps_change <= rules.threshold
            when 'nps_declined' then signals.nps_change > -4 and signals.nps_change <= rules.threshold
            when 'critical_tickets_many' then signals.unresolved_critical >= rules.threshold
            when 'critical_ticket_one' then signals.unresolved_critical < 2 and signals.unresolved_critical >= rules.threshold
            when 'escalations_many' then signals.open_escalations >= rules.threshold
            when 'escalation_one' then signals.open_escalations < 2 and signals.open_escalations >= rules.threshold
            when 'satisfaction_critical' then signals.satisfaction_trend = 'critical'
            when 'satisfaction_declining' then signals.satisfaction_trend = 'declining'
            when 'champion_left' then signals.champion_left
            when 'sponsor_change' then signals.sponsor_change
            when 'competitors_many' then signals.competitor_mentions >= rules.threshold
            when 'competitors_some' then signals.competitor_mentions < 3 and signals.competitor_mentions >= rules.threshold
            when 'month_to_month' then signals.contract_type = 'month-to-month'
            when 'pricing_complaints' then signals.pricing_complaints
            when 'budget_cuts' then signals.budget_cuts_mentioned
            else false
        end as is_raised,
        replace(rules.message, '{value}', case rules.rule
            when 'login_dropped' then {{ abs_text.format('signals.login_trend_text') }}
            when 'login_declined' then {{ abs_text.format('signals.login_trend_text') }}
            when 'login_dipping' then {{ abs_text.format('signals.login_trend_text') }}
            when 'feature_dropped' then {{ abs_text.format('signals.feature_adoption_change_text') }}
            when 'feature_declining' then {{ abs_text.format('signals.feature_adoption_change_text') }}
            when 'dau_mau_fell' then {{ python_format_two_decimals('abs(signals.dau_mau_change)') }}
            when 'cancellations_many' then signals.meeting_cancellations_text
            when 'cancellations_some' then signals.meeting_cancellations_text
            when 'response_dark' then signals.response_time_days_text
            when 'response_slow' then signals.response_time_days_text
            when 'nps_dropped' then {{ abs_text.format('signals.nps_change_text') }}
            when 'nps_declined' then {{ abs_text.format('signals.nps_change_text') }}
            when 'critical_tickets_many' then signals.unresolved_critical_text
            when 'escalations_many' then signals.open_escalations_text
            when 'competitors_many' then signals.competitor_mentions_text
            when 'competitors_some' then signals.competitor_mentions_text
            else ''
        end) as signal
    from signals
    cross join rules
),

final as (
    select
        raised.customer_index,
        row_number() over (
            partition by raised.customer_index order by severities.severity_rank desc, raised.position asc
        ) as warning_number,
        raised.severity,
        raised.signal
    from raised
    inner join severities
        on raised.severity = severities.severity
    where raised.is_raised
)

select * from final
{% endmacro %}
