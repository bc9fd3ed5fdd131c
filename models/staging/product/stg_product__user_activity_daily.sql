-- Product activity per user: one row per user and day with any activity.

with

user_activity_daily as (
    select * from {{ ref('base_product__user_activity_daily') }}
    where disposition = 'staged'
),

final as (
    select
        user_id,
        account_id,
        activity_date,
        events,
        _fivetran_synced
    from user_activity_daily
)

select * from final
