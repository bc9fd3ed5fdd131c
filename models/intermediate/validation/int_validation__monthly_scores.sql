-- Each account's recorded health score and computed band as they stood at the end of every month of
-- the snapshot history (the as-of date for the month in progress), in its segment and once more in
-- 'all': the monthly populations whose drift fct_score_drift measures.

with

history as (
    select * from {{ ref('snap_account_health') }}
),

bounds as (
    select cast({{ dbt.date_trunc('month', 'min(dbt_valid_from)') }} as date) as first_month_start
    from history
),

month_spine as (
    {{ dbt.date_spine('month', "cast('2000-01-01' as date)", dbt.dateadd('month', 1, as_of_date())) }}
),

months as (
    select
        cast(month_spine.date_month as date) as month_start,
        cast({{ dbt.last_day('month_spine.date_month', 'month') }} as date) as month_end
    from month_spine
    cross join bounds
    where month_spine.date_month >= bounds.first_month_start
        and month_spine.date_month <= {{ as_of_date() }}
),

reading_dates as (
    select
        month_start,
        case when month_end > {{ as_of_date() }} then {{ as_of_date() }} else month_end end as reading_date
    from months
),

readings as (
    select
        reading_dates.month_start,
        reading_dates.reading_date,
        history.account_id,
        history.segment,
        cast(history.health_score as {{ type_double() }}) as health_score,
        history.computed_band
    from reading_dates
    inner join history
        on {{ snapshot_valid_on('reading_dates.reading_date', 'history') }}
),

final as (
    select * from readings
    union all
    select
        month_start,
        reading_date,
        account_id,
        'all' as segment,
        health_score,
        computed_band
    from readings
)

select * from final
