-- Salesforce users: one row per user (CSMs and their managers).

with

users as (
    select * from {{ ref('base_salesforce__users') }}
    where disposition = 'staged'
),

final as (
    select
        user_id,
        user_name,
        email,
        title,
        manager_id,
        is_active,
        _fivetran_synced
    from users
)

select * from final
