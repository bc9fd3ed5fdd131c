-- Support tickets: one row per live ticket.

with

tickets as (
    select * from {{ ref('base_support__tickets') }}
    where disposition = 'staged'
),

final as (
    select
        ticket_id,
        account_id,
        subject,
        priority,
        ticket_status,
        created_at,
        solved_at,
        is_escalated,
        csat_score,
        _fivetran_synced
    from tickets
)

select * from final
