-- Every notification the alerts call for, one row per alert, event, channel and recipient: the
-- alert itself on its date, and its escalation (fct_alert_actions.is_escalated). Recipients by alert_routes: e-mail to the account's CSM (the
-- Salesforce owner), the CSM's manager or the CS leader (the active user titled
-- alert_cs_leader_title); Slack to the channel of the account's segment. A recipient without an
-- address is kept (recipient NULL): `csi alerts send` reports it as failed, never drops it. Holds
-- e-mail addresses: stays in the warehouse, never published.

with

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

routes as (
    select * from {{ ref('alert_routes') }}
),

playbooks as (
    select * from {{ ref('alert_playbooks') }}
),

channels as (
    select * from {{ ref('alert_slack_channels') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

actions as (
    select * from {{ ref('fct_alert_actions') }}
),

escalations as (
    select
        alert_id,
        'escalation' as event,
        cast({{ dbt.dateadd('day', var('alert_escalation_days'), 'alert_date') }} as date) as due_on,
        current_health_score
    from actions
    where is_escalated
),

events as (
    select
        alert_id,
        'alert' as event,
        alert_date as due_on,
        cast(null as {{ type_double() }}) as current_health_score
    from alerts
    union all
    select * from escalations
),

leaders as (
    select * from users
    where title = '{{ var("alert_cs_leader_title") }}'
        and is_active
),

notified as (
    select
        events.*,
        alerts.account_id,
        alerts.account_name,
        alerts.segment,
        alerts.csm_owner_id,
        alerts.csm_name,
        alerts.alert_date,
        alerts.alert_type,
        alerts.severity,
        alerts.detail,
        alerts.health_score_at_alert,
        alerts.top_driver_1,
        alerts.top_driver_2,
        alerts.top_driver_3,
        playbooks.recommended_action,
        playbooks.sla_days
    from events
    inner join alerts
        on events.alert_id = alerts.alert_id
    left join playbooks
        on alerts.alert_type = playbooks.alert_type
        and alerts.severity = playbooks.severity
),

emails as (
    select
        notified.*,
        routes.recipient_role,
        routes.channel,
        case routes.recipient_role
            when 'csm' then owners.email
            when 'csm_manager' then managers.email
            else leaders.email
        end as recipient,
        case routes.recipient_role
            when 'csm' then owners.user_name
            when 'csm_manager' then managers.user_name
            else leaders.user_name
        end as recipient_name,
        cast(null as {{ dbt.type_string() }}) as webhook_env
    from notified
    inner join routes
        on notified.severity = routes.severity
        and notified.event = routes.event
        and routes.channel = 'email'
    left join users as owners
        on notified.csm_owner_id = owners.user_id
    left join users as managers
        on owners.manager_id = managers.user_id
    left join leaders
        on routes.recipient_role = 'cs_leader'
),

slack_routes as (
    select distinct
        severity,
        event
    from routes
    where channel = 'slack'
),

slack as (
    select
        notified.*,
        'channel' as recipient_role,
        'slack' as channel,
        channels.slack_channel as recipient,
        channels.slack_channel as recipient_name,
        channels.webhook_env
    from notified
    inner join slack_routes
        on notified.severity = slack_routes.severity
        and notified.event = slack_routes.event
    left join channels
        on notified.segment = channels.segment
),

deliveries as (
    select * from emails
    union all
    select * from slack
),

final as (
    select
        {{ dbt.hash("alert_id || '|' || event || '|' || channel || '|' || recipient_role || '|' || coalesce(recipient, '')") }}
            as delivery_id,
        alert_id,
        event,
        due_on,
        due_on > {{ dbt.dateadd('day', '-' ~ var('alert_send_backfill_days'), as_of_date()) }} as is_recent,
        account_id,
        account_name,
        segment,
        csm_name,
        alert_date,
        alert_type,
        severity,
        detail,
        health_score_at_alert,
        current_health_score,
        top_driver_1,
        top_driver_2,
        top_driver_3,
        recommended_action,
        sla_days,
        '{{ var("dashboard_base_url") }}' || '/?tab=Account+drill&account=' || account_id as link,
        recipient_role,
        channel,
        recipient,
        recipient_name,
        webhook_env
    from deliveries
)

select * from final
