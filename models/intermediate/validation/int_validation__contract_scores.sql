-- Every decided renewal outcome scored as it stood forecast_lookback_days before the contract's
-- end, per weights version: the account's health score then (from the score history) with its
-- segment, CSM, drivers and component scores then, the churn model's probability then, whether the
-- score flagged the account at risk (below its segment's at-risk line: in an at-risk band,
-- int_health__at_risk_lines, or a backtest candidate's own bands), and for a churned contract the
-- early-warning lead time: the days from which the score stayed below that line until the end date
-- (NULL if it was not at risk by then). The one pairing of contracts with the score before their
-- end that every validation mart reads. With var validation_from_date, only the renewals ending on
-- or after it (an out-of-time report).

{%- set components = var('health_components') %}

with

predictions as (
    select * from {{ ref('int_forecast__contract_predictions') }}
    {%- if var('validation_from_date') %}
    where end_date >= cast('{{ var("validation_from_date") }}' as date)
    {%- endif %}
),

score_history as (
    select * from {{ ref('int_validation__score_history') }}
),

scored_history as (
    select
        *,
        health_score < at_risk_below_score as is_at_risk
    from score_history
),

at_lookback as (
    select
        scored_history.weights_version,
        scored_history.is_rescored,
        predictions.contract_id,
        predictions.account_id,
        scored_history.segment,
        scored_history.csm_owner_id,
        predictions.end_date,
        predictions.cohort_quarter_start,
        predictions.cohort_quarter,
        predictions.is_churned,
        predictions.lookback_date,
        predictions.churn_probability,
        scored_history.health_score,
        scored_history.at_risk_below_score,
        scored_history.is_at_risk,
        scored_history.top_driver_1,
        scored_history.top_driver_2,
        scored_history.top_driver_3,
        -- noqa: disable=LT02
        {%- for component in components %}
        scored_history.{{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from predictions
    inner join scored_history
        on predictions.account_id = scored_history.account_id
        and predictions.lookback_date >= scored_history.valid_from_date
        and predictions.lookback_date < scored_history.valid_to_date
),

run_up as (
    select
        scored_history.weights_version,
        predictions.contract_id,
        min(scored_history.valid_from_date) as history_from_date,
        max(case when not scored_history.is_at_risk then scored_history.valid_to_date end) as last_not_at_risk_until
    from predictions
    inner join scored_history
        on predictions.account_id = scored_history.account_id
        and predictions.end_date >= scored_history.valid_from_date
    where predictions.is_churned
    group by scored_history.weights_version, predictions.contract_id
),

final as (
    select
        at_lookback.weights_version,
        at_lookback.is_rescored,
        at_lookback.contract_id,
        at_lookback.account_id,
        at_lookback.segment,
        at_lookback.csm_owner_id,
        at_lookback.end_date,
        at_lookback.cohort_quarter_start,
        at_lookback.cohort_quarter,
        at_lookback.is_churned,
        at_lookback.lookback_date,
        at_lookback.health_score,
        at_lookback.at_risk_below_score,
        at_lookback.churn_probability,
        at_lookback.is_at_risk as is_flagged_at_risk,
        case
            when coalesce(run_up.last_not_at_risk_until, run_up.history_from_date) <= at_lookback.end_date
                then {{ dbt.datediff('coalesce(run_up.last_not_at_risk_until, run_up.history_from_date)', 'at_lookback.end_date', 'day') }}
        end as lead_time_days,
        at_lookback.top_driver_1,
        at_lookback.top_driver_2,
        at_lookback.top_driver_3,
        -- noqa: disable=LT02
        {%- for component in components %}
        at_lookback.{{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from at_lookback
    left join run_up
        on at_lookback.weights_version = run_up.weights_version
        and at_lookback.contract_id = run_up.contract_id
)

select * from final
