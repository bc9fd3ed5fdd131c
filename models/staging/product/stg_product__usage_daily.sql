-- Product usage: one row per account and day.

with

usage_daily as (
    select * from {{ ref('base_product__usage_daily') }}
    where disposition = 'staged'
),

final as (
    select
        account_id,
        usage_date,
        active_users,
        logins,
        saved_searches,
        report_downloads,
        licensed_seats,
        _fivetran_synced
    from usage_daily
)

select * from final
