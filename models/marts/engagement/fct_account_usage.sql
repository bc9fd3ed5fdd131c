-- Per customer, product usage as of the as-of date, read from the one home of active users
-- (int_engagement__account_usage): weekly and monthly active users (distinct users over the last 7
-- and usage_window_days days), average daily active users, DAU/MAU and seat utilisation over the
-- window, dormant seats and power users, days since the last login, week-over-week and
-- month-over-month change of active-user days, and a flag for a decline of usage_decline_pct or
-- more month over month.

with

usage as (
    select * from {{ ref('int_engagement__account_usage') }}
),

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

final as (
    select
        usage.account_id,
        customers.account_name,
        usage.segment,
        customers.csm_owner_id,
        cast(usage.licensed_seats as {{ dbt.type_int() }}) as licensed_seats,
        cast(usage.weekly_active_users as {{ dbt.type_int() }}) as weekly_active_users,
        cast(usage.monthly_active_users as {{ dbt.type_int() }}) as monthly_active_users,
        cast(usage.average_daily_active_users as {{ type_double() }}) as average_daily_active_users,
        cast(usage.dau_mau_ratio as {{ type_double() }}) as dau_mau_ratio,
        cast(usage.dormant_seats as {{ dbt.type_int() }}) as dormant_seats,
        cast(usage.dormant_seat_pct as {{ type_double() }}) as dormant_seat_pct,
        cast(usage.power_users as {{ dbt.type_int() }}) as power_users,
        cast(usage.power_user_pct as {{ type_double() }}) as power_user_pct,
        usage.last_login_date,
        cast(usage.days_since_last_login as {{ dbt.type_int() }}) as days_since_last_login,
        cast(usage.active_user_days_7d as {{ dbt.type_int() }}) as active_user_days_7d,
        cast(usage.prior_active_user_days_7d as {{ dbt.type_int() }}) as prior_active_user_days_7d,
        cast(usage.active_user_days as {{ dbt.type_int() }}) as active_user_days,
        cast(usage.prior_active_user_days as {{ dbt.type_int() }}) as prior_active_user_days,
        cast(usage.seat_utilisation_pct as {{ type_double() }}) as seat_utilisation_pct,
        cast(usage.wow_change_pct as {{ type_double() }}) as wow_change_pct,
        cast(usage.mom_change_pct as {{ type_double() }}) as mom_change_pct,
        coalesce(usage.mom_change_pct <= -{{ var('usage_decline_pct') }}, false) as is_usage_declining,
        usage.as_of_date
    from usage
    inner join customers
        on usage.account_id = customers.account_id
)

select * from final
