{{ config(tags=['health_component'], enabled=health_component_enabled('usage'), materialized='table') }}
-- Product usage over the last usage_window_days: seat utilisation (average daily active users per
-- licensed seat), logins, saved searches and report downloads per seat, and the trend of
-- active-user days against the window before (month over month), all from
-- int_engagement__account_usage, which the usage mart shares. Accounts without seats or
-- telemetry: the metric does not apply.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

windowed as (
    select * from {{ ref('int_engagement__account_usage') }}
),

measured as (
    select
        customers.account_id,
        customers.segment,
        windowed.licensed_seats,
        coalesce(windowed.active_user_days, 0) as active_user_days,
        coalesce(windowed.prior_active_user_days, 0) as prior_active_user_days,
        windowed.seat_utilisation_pct,
        {{ safe_divide('coalesce(windowed.logins, 0)', 'windowed.licensed_seats') }} as logins_per_seat,
        {{ safe_divide('coalesce(windowed.saved_searches, 0)', 'windowed.licensed_seats') }} as saved_searches_per_seat,
        {{ safe_divide('coalesce(windowed.report_downloads, 0)', 'windowed.licensed_seats') }} as report_downloads_per_seat,
        windowed.mom_change_pct as usage_trend_pct
    from customers
    left join windowed
        on customers.account_id = windowed.account_id
),

{{ component_metric_scores('measured', 'usage', [
    'seat_utilisation_pct', 'logins_per_seat', 'saved_searches_per_seat', 'report_downloads_per_seat', 'usage_trend_pct'
]) }},

final as (
    select
        measured.account_id,
        measured.licensed_seats,
        measured.active_user_days,
        measured.prior_active_user_days,
        measured.seat_utilisation_pct,
        measured.logins_per_seat,
        measured.saved_searches_per_seat,
        measured.report_downloads_per_seat,
        measured.usage_trend_pct,
        measured.seat_utilisation_pct as raw_value,
        case when component_scores.score is null then 'no licensed seats to measure usage against, and no earlier usage to compare' end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
