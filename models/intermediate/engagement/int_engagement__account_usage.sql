{{ config(materialized='table') }}  {# several tests and models read it: computed once per build #}
-- Per customer, the one home of active users, which the usage mart and the usage health component
-- read: over the last 7 and usage_window_days days and the windows just before them, active-user
-- days (the sum of each day's distinct active users), the peak day's active users (weekly and
-- monthly active users) and the activity counts; the average daily active users and seat
-- utilisation over the window; the week-over-week and month-over-month change of active-user days.
-- The only scan of the daily usage for these marts; reads the as-of date from the customers table.

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
        coalesce(windowed.report_downloads, 0) as report_downloads
    from customers
    left join windowed
        on customers.account_id = windowed.account_id
),

final as (
    select
        *,
        {{ safe_divide('active_user_days', month_days) }} as average_daily_active_users,
        100 * {{ safe_divide('active_user_days', month_days ~ ' * licensed_seats') }} as seat_utilisation_pct,
        100 * {{ safe_divide('active_user_days_7d - prior_active_user_days_7d', 'prior_active_user_days_7d') }}
            as wow_change_pct,
        100 * {{ safe_divide('active_user_days - prior_active_user_days', 'prior_active_user_days') }} as mom_change_pct
    from seated
)

select * from final
