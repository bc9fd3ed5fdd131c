-- The portfolio's health by segment and band, and over every segment or every band ('all'): the
-- customers, their ARR, revenue at risk and average health score (fct_account_health). The row
-- whose segment and score_band are both 'all' is the whole portfolio.

with

account_health as (
    select * from {{ ref('fct_account_health') }}
),

summarised as (
    select
        as_of_date,
        weights_version,
        segment,
        score_band,
        grouping(segment) as is_every_segment,
        grouping(score_band) as is_every_band,
        count(*) as customers,
        sum(arr) as arr,
        sum(revenue_at_risk) as revenue_at_risk,
        avg(health_score) as average_health_score
    from account_health
    group by as_of_date, weights_version, cube(segment, score_band)
),

final as (
    select
        cast(case when is_every_segment = 1 then 'all' else segment end as {{ type_varchar() }}) as segment,
        cast(case when is_every_band = 1 then 'all' else score_band end as {{ type_varchar() }}) as score_band,
        cast(customers as {{ dbt.type_int() }}) as customers,
        cast(arr as {{ type_double() }}) as arr,
        cast(revenue_at_risk as {{ type_double() }}) as revenue_at_risk,
        {{ round_double('cast(average_health_score as ' ~ type_double() ~ ')', 2) }} as average_health_score,
        weights_version,
        as_of_date
    from summarised
)

select * from final
