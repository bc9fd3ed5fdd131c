-- HubSpot engagements: one row per live meeting, call, e-mail, note or task.

with

engagements as (
    select * from {{ ref('base_hubspot__engagements') }}
    where disposition = 'staged'
),

final as (
    select
        engagement_id,
        engagement_type,
        company_id,
        owner_id,
        meeting_title,
        occurred_at,
        engagement_date,
        _fivetran_synced
    from engagements
)

select * from final
