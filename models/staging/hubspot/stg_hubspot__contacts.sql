-- HubSpot contacts: one row per live contact, e-mail trimmed and lower-cased.

with

contacts as (
    select * from {{ ref('base_hubspot__contacts') }}
    where disposition = 'staged'
),

final as (
    select
        contact_id,
        email,
        first_name,
        last_name,
        job_title,
        company_id,
        created_date,
        _fivetran_synced
    from contacts
)

select * from final
