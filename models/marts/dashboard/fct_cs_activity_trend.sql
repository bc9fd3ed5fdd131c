-- The activity index by month for every segment and for all of them together ('all'): the rows of
-- fct_cs_activity_monthly beside their sum over the segments, and how many months before the as-of
-- date's month each one is. An account has one segment in a month (its month is recomputed whole),
-- so the accounts touched add up across segments.

with

monthly as (
    select * from {{ ref('fct_cs_activity_monthly') }}
),

summarised as (
    select
        activity_month,
        activity_type,
        segment,
        grouping(segment) as is_every_segment,
        sum(activities) as activities,
        sum(accounts_touched) as accounts_touched
    from monthly
    group by activity_month, activity_type, rollup(segment)
),

final as (
    select
        activity_month,
        activity_type,
        cast(case when is_every_segment = 1 then 'all' else segment end as {{ type_varchar() }}) as segment,
        cast(activities as {{ dbt.type_int() }}) as activities,
        cast(accounts_touched as {{ dbt.type_int() }}) as accounts_touched,
        cast({{ dbt.datediff('activity_month', as_of_date(), 'month') }} as {{ dbt.type_int() }}) as months_before_as_of
    from summarised
)

select * from final
