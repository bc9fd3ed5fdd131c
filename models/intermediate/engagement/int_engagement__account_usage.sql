{{ config(materialized='table') }}  {# several tests and models read it: computed once per build #}
-- Per customer, the one home of active users, which the usage mart and the usage health component
-- read: over the last 7 and usage_window_days days and the windows just before them, active-user
-- days (the sum of each day's distinct active users), the peak day's active users and the activity
-- counts; the average daily active users and seat utilisation over the window; the week-over-week
-- and month-over-month change of active-user days. From the user-level export: weekly and monthly
-- active users (distinct users in the last 7 and usage_window_days days), DAU/MAU (their average
-- daily active users over the monthly ones), dormant seats (licensed seats no user was active on in
-- the window) and power users (active on at least power_user_min_active_days of its days); NULL
-- where the export does not reach back over the whole window (it began later, or the warehouse has
-- none). The last day anyone logged in and the days since, over the whole history. Reads the as-of
-- date from the customers table.

{%- set month_days = var('usage_window_days') %}

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

usage as (
    select * from {{ ref('stg_product__usage_daily') }}
),

user_activity as (
    select * from {{ ref('stg_product__user_activity_daily') }}
),

usage_in_windows as (
    select
        usage.account_id,
        usage.active_users,
        usage.logins,
        usage.saved_searches,
        usage.report_downloads,
        usage.licensed_seats,
        {{ dbt.datediff('usage.usage_date', 'as_of.as_of_date', 'day') }} as days_ago
    from usage
    cross join as_of
    where usage.usage_date > {{ dbt.dateadd('day', -2 * [month_days, 7] | max, 'as_of.as_of_date') }}
        and usage.usage_date <= as_of.as_of_date
),

windowed as (
    select
        account_id,
        sum(case when days_ago < 7 then active_users else 0 end) as active_user_days_7d,
        sum(case when days_ago >= 7 and days_ago < 14 then active_users else 0 end) as prior_active_user_days_7d,
        max(case when days_ago < 7 then active_users end) as peak_active_users_7d,
        max(case when days_ago >= 7 and days_ago < 14 then active_users end) as prior_peak_active_users_7d,
        sum(case when days_ago < {{ month_days }} then active_users else 0 end) as active_user_days,
        sum(case when days_ago >= {{ month_days }} and days_ago < {{ 2 * month_days }} then active_users else 0 end)
            as prior_active_user_days,
        max(case when days_ago < {{ month_days }} then active_users end) as peak_active_users,
        max(case when days_ago >= {{ month_days }} and days_ago < {{ 2 * month_days }} then active_users end)
            as prior_peak_active_users,
        sum(case when days_ago < {{ month_days }} then logins else 0 end) as logins,
        sum(case when days_ago < {{ month_days }} then saved_searches else 0 end) as saved_searches,
        sum(case when days_ago < {{ month_days }} then report_downloads else 0 end) as report_downloads,
        max(case when days_ago < {{ month_days }} then licensed_seats end) as product_licensed_seats
    from usage_in_windows
    group by account_id
),

last_logins as (
    select
        usage.account_id,
        max(usage.usage_date) as last_login_date
    from usage
    cross join as_of
    where usage.logins > 0
        and usage.usage_date <= as_of.as_of_date
    group by usage.account_id
),

-- The first day the user-level export holds: its measures need it to cover their whole window.
export_start as (
    select min(activity_date) as first_day from user_activity
),

user_days as (
    select
        user_activity.account_id,
        user_activity.user_id,
        -- A user has one staged row per day (the staging key, tested): counting rows counts days,
        -- without the distinct aggregate's hash table over every user-day of the window.
        count(*) as active_days,
        max(user_activity.activity_date) as last_active_date
    from user_activity
    cross join as_of
    where user_activity.activity_date > {{ dbt.dateadd('day', -month_days, 'as_of.as_of_date') }}
        and user_activity.activity_date <= as_of.as_of_date
    group by user_activity.account_id, user_activity.user_id
),

users_measured as (
    select
        user_days.account_id,
        count(*) as monthly_active_users,
        sum(user_days.active_days) as user_active_days,
        sum(case when user_days.last_active_date > {{ dbt.dateadd('day', -7, 'as_of.as_of_date') }} then 1 else 0 end)
            as weekly_active_users,
        sum(case when user_days.active_days >= {{ var('power_user_min_active_days') }} then 1 else 0 end) as power_users
    from user_days
    cross join as_of
    group by user_days.account_id
),

seated as (
    select
        customers.account_id,
        customers.segment,
        -- The contract's seats; where the org has no seats field (licensed_seats_c), the seats the
        -- product reports in the window.
        coalesce(customers.licensed_seats, windowed.product_licensed_seats) as licensed_seats,
        customers.as_of_date,
        coalesce(windowed.active_user_days_7d, 0) as active_user_days_7d,
        coalesce(windowed.prior_active_user_days_7d, 0) as prior_active_user_days_7d,
        coalesce(windowed.peak_active_users_7d, 0) as peak_active_users_7d,
        coalesce(windowed.prior_peak_active_users_7d, 0) as prior_peak_active_users_7d,
        coalesce(windowed.active_user_days, 0) as active_user_days,
        coalesce(windowed.prior_active_user_days, 0) as prior_active_user_days,
        coalesce(windowed.peak_active_users, 0) as peak_active_users,
        coalesce(windowed.prior_peak_active_users, 0) as prior_peak_active_users,
        coalesce(windowed.logins, 0) as logins,
        coalesce(windowed.saved_searches, 0) as saved_searches,
        coalesce(windowed.report_downloads, 0) as report_downloads,
        case when export_start.first_day <= {{ dbt.dateadd('day', -6, 'customers.as_of_date') }}
                then coalesce(users_measured.weekly_active_users, 0)
        end as weekly_active_users,
        case when export_start.first_day <= {{ dbt.dateadd('day', 1 - month_days, 'customers.as_of_date') }}
                then coalesce(users_measured.monthly_active_users, 0)
        end as monthly_active_users,
        case when export_start.first_day <= {{ dbt.dateadd('day', 1 - month_days, 'customers.as_of_date') }}
                then coalesce(users_measured.user_active_days, 0)
        end as user_active_days,
        case when export_start.first_day <= {{ dbt.dateadd('day', 1 - month_days, 'customers.as_of_date') }}
                then coalesce(users_measured.power_users, 0)
        end as power_users,
        last_logins.last_login_date,
        {{ dbt.datediff('last_logins.last_login_date', 'customers.as_of_date', 'day') }} as days_since_last_login
    from customers
    cross join export_start
    left join windowed
        on customers.account_id = windowed.account_id
    left join users_measured
        on customers.account_id = users_measured.account_id
    left join last_logins
        on customers.account_id = last_logins.account_id
),

-- Seats beyond the monthly active users (NULL where either is unknown; GREATEST would skip a NULL).
dormant as (
    select
        *,
        case
            when licensed_seats < monthly_active_users then 0
            else licensed_seats - monthly_active_users
        end as dormant_seats
    from seated
),

final as (
    select
        *,
        {{ safe_divide('active_user_days', month_days) }} as average_daily_active_users,
        100 * {{ safe_divide('active_user_days', month_days ~ ' * licensed_seats') }} as seat_utilisation_pct,
        100 * {{ safe_divide('active_user_days_7d - prior_active_user_days_7d', 'prior_active_user_days_7d') }}
            as wow_change_pct,
        100 * {{ safe_divide('active_user_days - prior_active_user_days', 'prior_active_user_days') }} as mom_change_pct,
        {{ safe_divide(safe_divide('user_active_days', month_days), 'monthly_active_users') }} as dau_mau_ratio,
        100 * {{ safe_divide('dormant_seats', 'licensed_seats') }} as dormant_seat_pct,
        100 * {{ safe_divide('power_users', 'monthly_active_users') }} as power_user_pct
    from dormant
)

select * from final
