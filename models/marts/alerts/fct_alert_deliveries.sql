-- What `csi alerts send` did with each alert and event (the alert itself, an escalation), from its
-- delivery ledger, without the addresses: deliveries by their latest status, when it was first
-- sent, and whether the alert still holds. An alert sent and later no longer raised (a night
-- rebuilt after a correction) is withdrawn: it is not retracted by mail, the dashboard shows it.

with

ledger as (
    select * from {{ alerting_table('delivery_ledger') }}
),

alerts as (
    select * from {{ ref('fct_health_alerts') }}
),

latest_attempts as (
    select
        delivery_id,
        max(attempt) as attempt
    from ledger
    group by delivery_id
),

latest as (
    select ledger.*
    from ledger
    inner join latest_attempts
        on ledger.delivery_id = latest_attempts.delivery_id
        and ledger.attempt = latest_attempts.attempt
),

per_alert as (
    select
        alert_id,
        event,
        max(account_id) as account_id,
        max(alert_date) as alert_date,
        max(alert_type) as alert_type,
        count(*) as deliveries,
        sum(case when status = 'sent' then 1 else 0 end) as sent,
        sum(case when status = 'pending' then 1 else 0 end) as pending,
        sum(case when status = 'failed' then 1 else 0 end) as failed,
        sum(case when status = 'backfilled' then 1 else 0 end) as backfilled,
        min(case when status = 'sent' then attempted_at end) as first_sent_at
    from latest
    group by alert_id, event
),

final as (
    select
        per_alert.alert_id,
        per_alert.event,
        per_alert.account_id,
        per_alert.alert_date,
        per_alert.alert_type,
        cast(per_alert.deliveries as {{ dbt.type_int() }}) as deliveries,
        cast(per_alert.sent as {{ dbt.type_int() }}) as sent,
        cast(per_alert.pending as {{ dbt.type_int() }}) as pending,
        cast(per_alert.failed as {{ dbt.type_int() }}) as failed,
        cast(per_alert.backfilled as {{ dbt.type_int() }}) as backfilled,
        per_alert.first_sent_at,
        alerts.alert_id is null as is_withdrawn
    from per_alert
    left join alerts
        on per_alert.alert_id = alerts.alert_id
    where per_alert.alert_date <= {{ as_of_date() }}
)

select * from final
