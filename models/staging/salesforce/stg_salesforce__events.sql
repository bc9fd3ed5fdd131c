-- Salesforce calendar events: one row per live meeting, with the fields the activity classifier reads.

with

events as (
    select * from {{ ref('base_salesforce__events') }}
    where disposition = 'staged'
),

final as (
    select
        event_id,
        account_id,
        owner_id,
        subject,
        event_type,
        activity_date,
        duration_in_minutes,
        activity_type_c,
        health_check_type_c,
        created_date,
        _fivetran_synced
    from events
)

select * from final
