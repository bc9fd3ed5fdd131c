-- HubSpot e-mail events: one row per event, recipient trimmed and lower-cased.

with

email_events as (
    select * from {{ ref('base_hubspot__email_events') }}
    where disposition = 'staged'
),

final as (
    select
        email_event_id,
        email_campaign_id,
        recipient_email,
        event_type,
        created_at,
        is_filtered_event,
        _fivetran_synced
    from email_events
)

select * from final
