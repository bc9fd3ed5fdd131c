-- Did it work? One row per contract that reached its renewal with forecast_lookback_days of score
-- history behind its end: whether the account had a high or critical alert during the contract,
-- whether someone acted (the first CS activity after such an alert, fct_alert_actions) and within
-- the SLA, and the outcome. The synthetic generator has no causal effect of a CSM's action: on
-- demo data these figures show the measurement, not an effect.

with

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
    where outcome <> 'pending'
        and end_date <= {{ as_of_date() }}
),

versions as (
    select * from {{ ref('int_alerts__health_versions') }}
),

actions as (
    select * from {{ ref('fct_alert_actions') }}
    where severity in ('high', 'critical')
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

history as (
    select min(valid_from) as history_start_date
    from versions
),

eligible as (
    select outcomes.*
    from outcomes
    cross join history
    where outcomes.end_date >= {{ dbt.dateadd('day', var('forecast_lookback_days'), 'history.history_start_date') }}
),

alerted as (
    select
        eligible.contract_id,
        min(actions.alert_date) as first_alert_date,
        count(*) as alerts,
        max(case when actions.alert_date <= {{ dbt.dateadd('day', -30, 'eligible.end_date') }} then 1 else 0 end)
            as has_alert_30d_ahead,
        min(case when actions.first_action_date <= eligible.end_date then actions.first_action_date end) as first_action_date,
        max(case when actions.sla_status = 'met' then 1 else 0 end) as has_action_within_sla
    from eligible
    inner join actions
        on eligible.account_id = actions.account_id
        and actions.alert_date >= eligible.start_date
        and actions.alert_date < eligible.end_date
    group by eligible.contract_id
),

final as (
    select
        eligible.contract_id,
        eligible.account_id,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        eligible.start_date,
        eligible.end_date,
        eligible.cohort_quarter,
        eligible.outcome,
        eligible.is_churned,
        alerted.contract_id is not null as is_alerted,
        cast(coalesce(alerted.alerts, 0) as {{ dbt.type_int() }}) as alerts,
        alerted.first_alert_date,
        coalesce(alerted.has_alert_30d_ahead = 1, false) as is_alerted_30d_ahead,
        alerted.first_action_date,
        alerted.first_action_date is not null as is_acted,
        coalesce(alerted.has_action_within_sla = 1, false) as is_acted_within_sla,
        cast({{ dbt.datediff('alerted.first_alert_date', 'alerted.first_action_date', 'day') }} as {{ dbt.type_int() }})
            as days_to_detection
    from eligible
    left join alerted
        on eligible.contract_id = alerted.contract_id
    left join accounts
        on eligible.account_id = accounts.account_id
)

select * from final
