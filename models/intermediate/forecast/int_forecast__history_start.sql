-- The first day of churn-probability snapshot history (the as-of date while there is none yet), and
-- the first contract end date with forecast_lookback_days of history behind it: the day forecast
-- cohorts become eligible.

with

probabilities as (
    select * from {{ ref('snap_churn_probability') }}
),

first_day as (
    select coalesce(min(cast(dbt_valid_from as date)), {{ as_of_date() }}) as history_start_date
    from probabilities
),

final as (
    select
        history_start_date,
        cast({{ dbt.dateadd('day', var('forecast_lookback_days'), 'history_start_date') }} as date) as eligible_from_date
    from first_day
)

select * from final
