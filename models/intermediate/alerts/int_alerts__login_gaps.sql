{{ config(materialized='table') }}  {# the alerts and its uniqueness test both read it: the window over every login day runs once #}
-- Each stretch without a login that reached alert_no_login_days by the as-of date, at an account
-- with seats (the product's licensed seats on its last login day: a login cannot be expected where
-- nobody holds a seat): the login day it began after and the next login day (NULL while it lasts),
-- what the no-login alerts read; the last login on the as-of date alone lives in int_engagement__account_usage. The as-of
-- date is the customers table's.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

usage_daily as (
    select * from {{ ref('stg_product__usage_daily') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

login_days as (
    select
        usage_daily.account_id,
        usage_daily.usage_date as login_date,
        usage_daily.licensed_seats
    from usage_daily
    cross join as_of
    where usage_daily.logins > 0
        and usage_daily.usage_date <= as_of.as_of_date
),

next_logins as (
    select
        account_id,
        login_date,
        licensed_seats,
        lead(login_date) over (partition by account_id order by login_date) as next_login_date
    from login_days
),

final as (
    select
        next_logins.account_id,
        next_logins.login_date as last_login_date,
        next_logins.next_login_date
    from next_logins
    cross join as_of
    where next_logins.licensed_seats > 0
        and {{ dbt.datediff(
            'next_logins.login_date',
            'coalesce(next_logins.next_login_date, ' ~ dbt.dateadd('day', 1, 'as_of.as_of_date') ~ ')',
            'day') }} > {{ var('alert_no_login_days') }}
)

select * from final
