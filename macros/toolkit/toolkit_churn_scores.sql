-- The toolkit's churn risk for each customer of `customers` (a relation shaped like
-- int_toolkit_portfolio__customers): the five signal-group scores, the weighted raw score, the days to
-- renewal counted from the as-of date `as_of_query` selects (one row, column as_of_date) and
-- their urgency multiplier, the adjusted risk score and its tier. One implementation for the
-- loaded portfolio (int_toolkit_portfolio__churn_scores) and the warehouse's accounts.

{% macro toolkit_churn_scores(customers, as_of_query) %}
{%- set renewal_pattern = "'^([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])'" %}
with

customers as (
    select * from {{ customers }}
),

as_of as (
    {{ as_of_query }}
),

parameters as (
    select * from {{ ref('int_toolkit__parameters') }}
),

signal_groups as (
    select * from {{ ref('toolkit_churn_signal_groups') }}
),

satisfaction_trends as (
    select * from {{ ref('toolkit_churn_satisfaction_trends') }}
),

urgency as (
    select * from {{ ref('toolkit_churn_urgency') }}
),

tiers as (
    select * from {{ ref('toolkit_churn_tiers') }}
),

group_weights as (
    select
        {%- for group in ['usage_decline', 'engagement_drop', 'support_issues', 'relationship_signals', 'commercial_factors'] %}
        max(case when signal_group = '{{ group }}' then weight end) as {{ group }}_weight{{ "," if not loop.last }}
        {%- endfor %}
    from signal_groups
),

inputs as {{ materialized_cte() }} (
    select
        customers.customer_index,
        coalesce(customers.usage_decline__login_trend, 0) as login_trend,
        coalesce(customers.usage_decline__feature_adoption_change, 0) as feature_adoption_change,
        coalesce(customers.usage_decline__dau_mau_change, 0) as dau_mau_change,
        coalesce(customers.engagement_drop__meeting_cancellations, 0) as meeting_cancellations,
        coalesce(customers.engagement_drop__response_time_days, parameters.churn_default_response_time_days)
            as response_time_days,
        coalesce(customers.engagement_drop__nps_change, 0) as nps_change,
        coalesce(customers.support_issues__open_escalations, 0) as open_escalations,
        coalesce(customers.support_issues__unresolved_critical, 0) as unresolved_critical,
        lower(coalesce(customers.support_issues__satisfaction_trend, 'stable')) as satisfaction_trend,
        customers.relationship_signals__champion_left as champion_left,
        customers.relationship_signals__sponsor_change as sponsor_change,
        coalesce(customers.relationship_signals__competitor_mentions, 0) as competitor_mentions,
        lower(coalesce(customers.commercial_factors__contract_type, 'annual')) as contract_type,
        customers.commercial_factors__pricing_complaints as pricing_complaints,
        customers.commercial_factors__budget_cuts_mentioned as budget_cuts_mentioned,
        case when customers.contract_end_date_type = 'VARCHAR'
            then substring({{ json_string('customers.contract_end_date_json') }}, 1, 10) end as renewal_text
    from customers
    cross join parameters
),

-- the day of renewal, read as Python's strptime(text[:10], '%Y-%m-%d') reads it
renewal_parts as {{ materialized_cte() }} (
    select
        inputs.*,
        {{ regexp_group('renewal_text', renewal_pattern, 0) }} as renewal_match,
        {{ regexp_group('renewal_text', renewal_pattern, 1) }} as renewal_year,
        {{ regexp_group('renewal_text', renewal_pattern, 2) }} as renewal_month,
        {{ regexp_group('renewal_text', renewal_pattern, 3) }} as renewal_day
    from inputs
),

renewal_numbers as {{ materialized_cte() }} (
    select
        renewal_parts.*,
        case when renewal_match <> '' and renewal_match = renewal_text then cast(renewal_year as integer) end as year_number,
        case when renewal_match <> '' and renewal_match = renewal_text then cast(renewal_month as integer) end as month_number,
        case when renewal_match <> '' and renewal_match = renewal_text then cast(trim(renewal_day) as integer) end as day_number
    from renewal_parts
),

renewal_dates as {{ materialized_cte() }} (
    select
        renewal_numbers.*,
        case
            when year_number is null or year_number < 1 then null
            when day_number > case
                when month_number = 2 and (mod(year_number, 4) = 0 and (mod(year_number, 100) <> 0 or mod(year_number, 400) = 0)) then 29
                when month_number = 2 then 28
                when month_number in (4, 6, 9, 11) then 30
                else 31
            end then null
            else make_date(year_number, month_number, day_number)
        end as renewal_date
    from renewal_numbers
),

-- (renewal midnight - now).days with "now" during the as-of day, floored at 0
days_to_renewal as {{ materialized_cte() }} (
    select
        renewal_dates.*,
        case when renewal_date is not null then
            greatest({{ dbt.datediff('as_of.as_of_date', 'renewal_dates.renewal_date', 'day') }} - 1, 0)
        end as days_to_renewal
    from renewal_dates
    cross join as_of
),

risks as {{ materialized_cte() }} (
    select
        days_to_renewal.*,
        {{ python_clamp('abs(case when 0 < login_trend then 0 else login_trend end) * parameters.churn_login_risk_per_point') }} as login_risk,
        {{ python_clamp('abs(case when 0 < feature_adoption_change then 0 else feature_adoption_change end) * parameters.churn_feature_risk_per_point') }} as feature_risk,
        {{ python_clamp('abs(case when 0 < dau_mau_change then 0 else dau_mau_change end) * parameters.churn_dau_mau_risk_per_unit') }} as dau_mau_risk,
        {{ python_clamp('meeting_cancellations * parameters.churn_cancellation_risk_per_meeting') }} as cancellation_risk,
        {{ python_clamp('(response_time_days - parameters.churn_response_baseline_days) * parameters.churn_response_risk_per_day') }} as response_risk,
        {{ python_clamp('abs(case when 0 < nps_change then 0 else nps_change end) * parameters.churn_nps_risk_per_point') }} as nps_risk,
        {{ python_clamp('open_escalations * parameters.churn_escalation_risk_per_escalation') }} as escalation_risk,
        {{ python_clamp('unresolved_critical * parameters.churn_critical_risk_per_ticket') }} as critical_risk,
        coalesce(satisfaction_trends.satisfaction_risk, parameters.churn_unknown_satisfaction_risk) as satisfaction_risk,
        0.0
        + case when champion_left then parameters.churn_champion_left_points else 0.0 end
        + case when sponsor_change then parameters.churn_sponsor_change_points else 0.0 end
        + case
            when competitor_mentions >= parameters.churn_many_competitor_mentions then parameters.churn_many_competitor_points
            when competitor_mentions >= 1 then competitor_mentions * parameters.churn_competitor_points_per_mention
            else 0.0
        end as relationship_points,
        0.0
        + case
            when contract_type = 'month-to-month' then parameters.churn_month_to_month_points
            when contract_type = 'quarterly' then parameters.churn_quarterly_points
            else 0.0
        end
        + case when pricing_complaints then parameters.churn_pricing_complaint_points else 0.0 end
        + case when budget_cuts_mentioned then parameters.churn_budget_cut_points else 0.0 end as commercial_points
    from days_to_renewal
    cross join parameters
    left join satisfaction_trends
        on days_to_renewal.satisfaction_trend = satisfaction_trends.satisfaction_trend
),

group_sums as {{ materialized_cte() }} (
    select
        risks.*,
        login_risk * parameters.churn_login_weight + feature_risk * parameters.churn_feature_weight
        + dau_mau_risk * parameters.churn_dau_mau_weight as usage_decline_sum,
        cancellation_risk * parameters.churn_cancellation_weight + response_risk * parameters.churn_response_weight
        + nps_risk * parameters.churn_nps_weight as engagement_drop_sum,
        escalation_risk * parameters.churn_escalation_weight + critical_risk * parameters.churn_critical_weight
        + satisfaction_risk * parameters.churn_satisfaction_weight as support_issues_sum,
        {{ python_clamp('relationship_points') }} as relationship_signals_sum,
        {{ python_clamp('commercial_points') }} as commercial_factors_sum
    from risks
    cross join parameters
),

group_scores as {{ materialized_cte() }} (
    select
        group_sums.*,
        {%- for group in ['usage_decline', 'engagement_drop', 'support_issues', 'relationship_signals', 'commercial_factors'] %}
        {{ python_round(group ~ '_sum', 1) }} as {{ group }}_score{{ "," if not loop.last }}
        {%- endfor %}
    from group_sums
),

raw_scores as {{ materialized_cte() }} (
    select
        group_scores.*,
        group_scores.usage_decline_score * group_weights.usage_decline_weight
        + group_scores.engagement_drop_score * group_weights.engagement_drop_weight
        + group_scores.support_issues_score * group_weights.support_issues_weight
        + group_scores.relationship_signals_score * group_weights.relationship_signals_weight
        + group_scores.commercial_factors_score * group_weights.commercial_factors_weight as raw_sum,
        coalesce((
            select {{ arg_min('urgency.urgency_multiplier', 'urgency.max_days_to_renewal') }}
            from urgency
            where group_scores.days_to_renewal <= urgency.max_days_to_renewal
        ), 1.0) as urgency_multiplier
    from group_scores
    cross join group_weights
),

adjusted as {{ materialized_cte() }} (
    select
        raw_scores.*,
        raw_sum * urgency_multiplier as adjusted_sum
    from raw_scores
),

adjusted_scores as {{ materialized_cte() }} (
    select
        adjusted.*,
        {{ python_round('raw_sum', 1) }} as raw_score,
        {{ python_round('adjusted_sum', 1) }} as adjusted_rounded
    from adjusted
),

scored as {{ materialized_cte() }} (
    select
        adjusted_scores.*,
        {{ python_clamp('adjusted_rounded') }} as risk_score
    from adjusted_scores
),

tiered as {{ materialized_cte() }} (
    select
        scored.customer_index,
        coalesce((
            select {{ arg_min('tiers.risk_tier', 'tiers.search_order') }}
            from tiers
            where scored.risk_score between tiers.min_score and tiers.max_score
        ), (
            select min(tiers.risk_tier)
            from tiers
            where tiers.is_fallback
        )) as risk_tier
    from scored
),

final as (
    select
        scored.*,
        tiered.risk_tier,
        tiers.risk_label
    from scored
    inner join tiered
        on scored.customer_index = tiered.customer_index
    inner join tiers
        on tiered.risk_tier = tiers.risk_tier
)

select * from final
{% endmacro %}
