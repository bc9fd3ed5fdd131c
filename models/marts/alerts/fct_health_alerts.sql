-- Alerts from the snapshot history, one row per account, day and alert: a band transition (e.g.
-- Healthy → Watch, worsened or improved), the churn probability up alert_probability_rise or more
-- since the version before, and stale components: one of alert_always_applying_components that
-- stopped applying (it applies to every customer while its source delivers), or the churn model no
-- longer rescoring a contract for alert_stale_days. Each alert says whether the account was at risk
-- that day (its band then, snap_account_health, is at risk: macro is_at_risk_band).

with

changes as (
    select * from {{ ref('int_alerts__health_changes') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

probabilities as (
    select * from {{ ref('snap_churn_probability') }}
),

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

band_transitions as (
    select
        changes.account_id,
        changes.changed_on as alert_date,
        'band_transition' as alert_type,
        case when now_band.band_rank > before_band.band_rank then 'worsened' else 'improved' end as direction,
        cast(null as {{ dbt.type_string() }}) as component,
        changes.previous_score_band as from_value,
        changes.score_band as to_value,
        changes.previous_score_band || ' → ' || changes.score_band as detail
    from changes
    inner join bands as now_band
        on changes.segment = now_band.segment
        and changes.score_band = now_band.band
    inner join bands as before_band
        on changes.segment = before_band.segment
        and changes.previous_score_band = before_band.band
    where changes.score_band <> changes.previous_score_band
),

probability_rises as (
    select
        account_id,
        changed_on as alert_date,
        'churn_probability_rise' as alert_type,
        'worsened' as direction,
        cast(null as {{ dbt.type_string() }}) as component,
        cast(previous_churn_probability as {{ dbt.type_string() }}) as from_value,
        cast(churn_probability as {{ dbt.type_string() }}) as to_value,
        'churn probability up '
        || cast(cast(round(100 * (churn_probability - previous_churn_probability)) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
        || ' points' as detail
    from changes
    where churn_probability - previous_churn_probability >= {{ var('alert_probability_rise') }}
),

lost_components as (
    {%- for component in var('alert_always_applying_components') %}
    select
        account_id,
        changed_on as alert_date,
        'component_stale' as alert_type,
        'worsened' as direction,
        '{{ component }}' as component,
        cast(previous_{{ component }}_score as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value,
        '{{ component }} stopped applying: its source delivered no data' as detail
    from changes
    where previous_{{ component }}_score is not null
        and {{ component }}_score is null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

scoring_gaps as (
    select
        account_id,
        contract_id,
        cast(dbt_valid_from as date) as scored_on,
        cast(coalesce(dbt_valid_to, {{ as_of_date() }}) as date) as rescored_on
    from probabilities
),

stale_scores as (
    select
        scoring_gaps.account_id,
        cast({{ dbt.dateadd('day', var('alert_stale_days'), 'scoring_gaps.scored_on') }} as date) as alert_date,
        'component_stale' as alert_type,
        'worsened' as direction,
        'churn_risk' as component,
        cast(scoring_gaps.scored_on as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value,
        'the churn model has not rescored contract ' || scoring_gaps.contract_id
        || ' for {{ var("alert_stale_days") }} days' as detail
    from scoring_gaps
    inner join customers
        on scoring_gaps.contract_id = customers.current_contract_id
    where {{ dbt.datediff('scoring_gaps.scored_on', 'scoring_gaps.rescored_on', 'day') }} > {{ var('alert_stale_days') }}
),

alerts as (
    select * from band_transitions
    union all
    select * from probability_rises
    union all
    select * from lost_components
    union all
    select * from stale_scores
),

final as (
    select
        alerts.account_id || '|' || cast(alerts.alert_date as {{ dbt.type_string() }}) || '|' || alerts.alert_type
        || '|' || coalesce(alerts.component, '') as alert_id,
        alerts.account_id,
        alerts.alert_date,
        alerts.alert_type,
        alerts.direction,
        alerts.component,
        alerts.from_value,
        alerts.to_value,
        alerts.detail,
        {{ is_at_risk_band('history.score_band') }} as is_at_risk
    from alerts
    left join history
        on alerts.account_id = history.account_id
        and {{ snapshot_valid_on('alerts.alert_date', 'history') }}
)

select * from final
