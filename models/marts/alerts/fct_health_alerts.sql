-- Alerts from the snapshot history worth a CSM's attention, one row per account, day and alert:
--   band_transition        the account moved to a worse band (or was in one worse than the best when
--                          the history began) and held it alert_band_hold_nights consecutive nights, clear
--                          of the band's edges by alert_band_margin_points (a score wobbling across
--                          an edge does not alert);
--   score_drop             the health score more than alert_score_drop_points below its highest of
--   severe_score_drop      the alert_score_drop_days before (more than alert_severe_score_drop_points);
--   churn_probability_rise the churn probability up alert_probability_rise or more since the version before;
--   component_stale        one of alert_always_applying_components stopped applying, or the churn
--                          model has not rescored the account's contract for alert_stale_days;
--   no_login               no login for alert_no_login_days (extended_no_login: alert_extended_no_login_days)
--   extended_no_login      while a customer, on the day the stretch reached it.
-- Band and drop alerts compare only versions scored with the same configuration, so the night a
-- new configuration is adopted raises none by itself. Severity from seeds/alerts/alert_severities,
-- route from alert_routes; the CSM is the account's owner. Each alert says whether the account was
-- at risk that day (its band then is at risk: macro is_at_risk_band).

with

versions as (
    select * from {{ ref('int_alerts__health_versions') }}
),

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

accounts as (
    select * from {{ ref('dim_accounts') }}
),

severities as (
    select * from {{ ref('alert_severities') }}
),

routes as (
    select * from {{ ref('alert_routes') }}
),

login_gaps as (
    select * from {{ ref('int_alerts__login_gaps') }}
),

-- A version whose score lies within the margin of one of its segment's band edges is not clear of
-- its band: it keeps the band the account held before (hysteresis).
near_edges as (
    select distinct
        versions.account_id,
        versions.valid_from
    from versions
    inner join bands
        on versions.segment = bands.segment
        and bands.min_score > 0
        and versions.health_score > bands.min_score - {{ var('alert_band_margin_points') }}
        and versions.health_score < bands.min_score + {{ var('alert_band_margin_points') }}
),

clear_versions as (
    select
        versions.*,
        case when near_edges.account_id is null then versions.score_band end as clear_band
    from versions
    left join near_edges
        on versions.account_id = near_edges.account_id
        and versions.valid_from = near_edges.valid_from
),

carried as (
    select
        *,
        count(clear_band) over (
            partition by account_id, episode order by valid_from rows between unbounded preceding and current row
        ) as clear_group
    from clear_versions
),

held_bands as (
    select
        *,
        max(clear_band) over (partition by account_id, episode, clear_group) as held_band
    from carried
),

run_starts as (
    select
        *,
        case
            when lag(held_band) over (partition by account_id, episode order by valid_from) = held_band
                and lag(configuration_version) over (partition by account_id, episode order by valid_from)
                = configuration_version
                then 0
            else 1
        end as is_run_start
    from held_bands
),

numbered_runs as (
    select
        *,
        sum(is_run_start) over (
            partition by account_id, episode order by valid_from rows between unbounded preceding and current row
        ) as run_number
    from run_starts
),

band_runs as (
    select
        account_id,
        episode,
        run_number,
        max(segment) as segment,
        max(held_band) as band,
        max(configuration_version) as configuration_version,
        min(valid_from) as started_on,
        max(valid_to) as ended_on
    from numbered_runs
    group by account_id, episode, run_number
),

held_runs as (
    select
        *,
        min(started_on) over (partition by account_id, episode) as episode_started_on,
        min(started_on) over () as history_started_on,
        lag(band) over (partition by account_id, episode order by started_on) as previous_band,
        lag(configuration_version) over (partition by account_id, episode order by started_on)
            as previous_configuration_version
    from band_runs
    where band is not null
        and {{ dbt.datediff('started_on', 'ended_on', 'day') }} >= {{ var('alert_band_hold_nights') }}
),

-- A held band worse than the one held before. An account already in a band worse than its
-- segment's best when the history begins alerts once (a new customer's first band does not: a
-- customer in onboarding scores low by design).
band_transitions as (
    select
        held_runs.account_id,
        cast({{ dbt.dateadd('day', var('alert_band_hold_nights') ~ ' - 1', 'held_runs.started_on') }} as date) as alert_date,
        'band_transition' as alert_type,
        'worsened' as direction,
        cast(null as {{ dbt.type_string() }}) as component,
        held_runs.previous_band as from_value,
        held_runs.band as to_value,
        coalesce(held_runs.previous_band || ' → ', 'first held band: ') || held_runs.band
        || ' (held {{ var("alert_band_hold_nights") }} nights)' as detail
    from held_runs
    inner join bands as now_band
        on held_runs.segment = now_band.segment
        and held_runs.band = now_band.band
    left join bands as before_band
        on held_runs.segment = before_band.segment
        and held_runs.previous_band = before_band.band
    where (
        held_runs.previous_band is not null
        and now_band.band_rank > before_band.band_rank
        and held_runs.configuration_version = held_runs.previous_configuration_version
    ) or (
        held_runs.previous_band is null
        and now_band.band_rank > 1
        and held_runs.episode_started_on = held_runs.history_started_on
    )
),

-- Each version against the highest score of the versions of the window before it (same episode,
-- same configuration): the drop level it reached, and the level of the version before.
peaks as (
    select
        versions.account_id,
        versions.episode,
        versions.valid_from,
        versions.health_score,
        max(earlier.health_score) as peak_score
    from versions
    inner join versions as earlier
        on versions.account_id = earlier.account_id
        and versions.episode = earlier.episode
        and versions.configuration_version = earlier.configuration_version
        and earlier.valid_from < versions.valid_from
        and earlier.valid_to > {{ dbt.dateadd('day', '-' ~ var('alert_score_drop_days'), 'versions.valid_from') }}
    group by versions.account_id, versions.episode, versions.valid_from, versions.health_score
),

drop_levels as (
    select
        versions.account_id,
        versions.episode,
        versions.valid_from,
        versions.health_score,
        peaks.peak_score,
        case
            when peaks.peak_score - versions.health_score > {{ var('alert_severe_score_drop_points') }} then 2
            when peaks.peak_score - versions.health_score > {{ var('alert_score_drop_points') }} then 1
            else 0
        end as drop_level
    from versions
    left join peaks
        on versions.account_id = peaks.account_id
        and versions.valid_from = peaks.valid_from
),

drops as (
    select
        *,
        coalesce(lag(drop_level) over (partition by account_id, episode order by valid_from), 0) as previous_drop_level
    from drop_levels
),

score_drops as (
    -- scores as text through decimal(5, 1): one decimal on every engine (PostgreSQL prints a double 90 as "90")
    select
        account_id,
        valid_from as alert_date,
        case when drop_level = 2 then 'severe_score_drop' else 'score_drop' end as alert_type,
        'worsened' as direction,
        cast(null as {{ dbt.type_string() }}) as component,
        cast(cast(peak_score as decimal(5, 1)) as {{ dbt.type_string() }}) as from_value,
        cast(cast(health_score as decimal(5, 1)) as {{ dbt.type_string() }}) as to_value,
        'health score down '
        || cast(cast(round(peak_score - health_score) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
        || ' points in {{ var("alert_score_drop_days") }} days' as detail
    from drops
    where drop_level > previous_drop_level
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
        cast(cast(previous_{{ component }}_score as decimal(5, 1)) as {{ dbt.type_string() }}) as from_value,
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

-- A stretch without a login alerts on the day it reaches each length, if the account was a customer
-- (scored) that day.
login_stretches as (
    {%- for alert_type, days in [('no_login', var('alert_no_login_days')), ('extended_no_login', var('alert_extended_no_login_days'))] %}
    select
        account_id,
        last_login_date,
        next_login_date,
        '{{ alert_type }}' as alert_type,
        {{ days }} as stretch_days,
        cast({{ dbt.dateadd('day', days, 'last_login_date') }} as date) as alert_date
    from login_gaps
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

no_logins as (
    select
        login_stretches.account_id,
        login_stretches.alert_date,
        login_stretches.alert_type,
        'worsened' as direction,
        'usage' as component,
        cast(login_stretches.last_login_date as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value,
        'no login for ' || cast(login_stretches.stretch_days as {{ dbt.type_string() }}) || ' days (last login '
        || cast(login_stretches.last_login_date as {{ dbt.type_string() }}) || ')' as detail
    from login_stretches
    inner join versions
        on login_stretches.account_id = versions.account_id
        and login_stretches.alert_date >= versions.valid_from
        and login_stretches.alert_date < versions.valid_to
    where login_stretches.alert_date
        < coalesce(login_stretches.next_login_date, {{ dbt.dateadd('day', 1, as_of_date()) }})
),

alerts as (
    select * from band_transitions
    union all
    select * from score_drops
    union all
    select * from probability_rises
    union all
    select * from lost_components
    union all
    select * from stale_scores
    union all
    select * from no_logins
),

dated_alerts as (
    select * from alerts
    where alert_date <= {{ as_of_date() }}
),

routed as (
    select
        severities.severity,
        {{ dbt.listagg("routes.recipient_role || ' by ' || routes.channel", "', '", "order by routes.recipient_role, routes.channel") }} as route
    from severities
    inner join routes
        on severities.severity = routes.severity
        and routes.event = 'alert'
    group by severities.severity
),

graded as (
    select
        dated_alerts.*,
        coalesce(banded.severity, typed.severity) as severity
    from dated_alerts
    left join severities as banded
        on dated_alerts.alert_type = banded.alert_type
        and dated_alerts.to_value = banded.to_band
    left join severities as typed
        on dated_alerts.alert_type = typed.alert_type
        and typed.to_band is null
),

final as (
    select
        graded.account_id || '|' || cast(graded.alert_date as {{ dbt.type_string() }}) || '|' || graded.alert_type
        || '|' || coalesce(graded.component, '') as alert_id,
        graded.account_id,
        graded.alert_date,
        graded.alert_type,
        graded.direction,
        graded.component,
        graded.from_value,
        graded.to_value,
        graded.detail,
        graded.severity,
        coalesce(routed.route, 'dashboard only') as route,
        {{ is_at_risk_band('at_alert.score_band') }} as is_at_risk,
        at_alert.health_score as health_score_at_alert,
        at_alert.top_driver_1,
        at_alert.top_driver_2,
        at_alert.top_driver_3,
        accounts.account_name,
        accounts.segment,
        accounts.csm_owner_id,
        accounts.csm_name
    from graded
    left join routed
        on graded.severity = routed.severity
    left join versions as at_alert
        on graded.account_id = at_alert.account_id
        and graded.alert_date >= at_alert.valid_from
        and graded.alert_date < at_alert.valid_to
    left join accounts
        on graded.account_id = accounts.account_id
)

select * from final
