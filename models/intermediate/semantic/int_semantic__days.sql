{{ config(materialized='table') }}
-- The semantic layer's time spine (MetricFlow needs one): every day from 2000-01-01 to a year after
-- the as-of date, so a metric query can place any day of the history and of the contracts running.

with

days as (
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", dbt.dateadd('year', 1, as_of_date())) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
