-- Every alert that needs an action (its type and severity have a playbook in
-- seeds/alerts/alert_playbooks): the recommended action and its SLA, the first CS activity logged
-- on the account on or after the alert's date, and the SLA's status as of the as-of date: met (an
-- action by the due date), missed (none by then) or open (none yet, still in time). With the CSM's
-- acknowledgement or snooze (`csi alerts ack`) and whether it escalated: the score not improved
-- alert_escalation_days after the alert, not acknowledged (or snoozed to a date passed). The CSM's queue.

with

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

playbooks as (
    select * from {{ ref('alert_playbooks') }}
),

actions as (
    select * from {{ ref('int_alerts__cs_actions') }}
),

acknowledgements as (
    select * from {{ alerting_table('acknowledgements') }}
),

health as (
    select * from {{ ref('fct_account_health') }}
),

actionable as (
    select
        alerts.*,
        playbooks.recommended_action,
        playbooks.sla_days,
        cast({{ dbt.dateadd('day', 'playbooks.sla_days', 'alerts.alert_date') }} as date) as sla_due_date
    from alerts
    inner join playbooks
        on alerts.alert_type = playbooks.alert_type
        and alerts.severity = playbooks.severity
),

first_actions as (
    select
        actionable.alert_id,
        min(actions.action_date) as first_action_date
    from actionable
    inner join actions
        on actionable.account_id = actions.account_id
        and actions.action_date >= actionable.alert_date
    group by actionable.alert_id
),

first_action_types as (
    select
        first_actions.alert_id,
        min(actions.action_type) as first_action_type
    from first_actions
    inner join actionable
        on first_actions.alert_id = actionable.alert_id
    inner join actions
        on actionable.account_id = actions.account_id
        and first_actions.first_action_date = actions.action_date
    group by first_actions.alert_id
),

latest_acknowledgements as (
    select
        alert_id,
        max(acknowledged_at) as acknowledged_at
    from acknowledgements
    group by alert_id
),

acknowledged as (
    select acknowledgements.*
    from acknowledgements
    inner join latest_acknowledgements
        on acknowledgements.alert_id = latest_acknowledgements.alert_id
        and acknowledgements.acknowledged_at = latest_acknowledgements.acknowledged_at
),

final as (
    select
        actionable.alert_id,
        actionable.account_id,
        actionable.account_name,
        actionable.segment,
        actionable.csm_owner_id,
        actionable.csm_name,
        actionable.alert_date,
        actionable.alert_type,
        actionable.severity,
        actionable.detail,
        actionable.top_driver_1,
        actionable.recommended_action,
        actionable.sla_days,
        actionable.sla_due_date,
        first_actions.first_action_date,
        first_action_types.first_action_type,
        cast({{ dbt.datediff('actionable.alert_date', 'first_actions.first_action_date', 'day') }} as {{ dbt.type_int() }})
            as days_to_action,
        case
            when first_actions.first_action_date <= actionable.sla_due_date then 'met'
            when actionable.sla_due_date < {{ as_of_date() }} then 'missed'
            else 'open'
        end as sla_status,
        cast(case
            when first_actions.first_action_date is null
                then {{ dbt.datediff(as_of_date(), 'actionable.sla_due_date', 'day') }}
        end as {{ dbt.type_int() }}) as sla_days_left,
        cast(acknowledged.acknowledged_at as {{ dbt.type_timestamp() }}) as acknowledged_at,
        acknowledged.snoozed_until,
        -- Escalated: no improvement of the score alert_escalation_days after the alert escalates it,
        -- unless the CSM acknowledged it (a snooze holds the escalation until its date)
        health.health_score as current_health_score,
        coalesce(
            {{ dbt.dateadd('day', var('alert_escalation_days'), 'actionable.alert_date') }} <= {{ as_of_date() }}
            and health.health_score <= actionable.health_score_at_alert
            and (acknowledged.alert_id is null or acknowledged.snoozed_until <= {{ as_of_date() }}),
            false
        ) as is_escalated,
        {{ as_of_date() }} as as_of_date
    from actionable
    left join first_actions
        on actionable.alert_id = first_actions.alert_id
    left join first_action_types
        on actionable.alert_id = first_action_types.alert_id
    left join acknowledged
        on actionable.alert_id = acknowledged.alert_id
    left join health
        on actionable.account_id = health.account_id
)

select * from final
