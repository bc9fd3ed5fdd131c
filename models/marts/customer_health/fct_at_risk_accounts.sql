-- The at-risk table: customers whose churn risk level is in at_risk_risk_levels or whose health
-- band is in at_risk_bands, with name, health, revenue (ARR), risk level, revenue at risk, top
-- drivers, tenure, band and CSM, ordered by revenue at risk, and the health score as it stood at
-- each of the last 12 weekly points back from the as-of date (snap_account_health) for a sparkline:
-- health_score_week_01 is 11 weeks before the as-of date, health_score_week_12 the as-of date.

{%- set weeks = 12 %}

with

account_health as (
    select * from {{ ref('fct_account_health') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

at_risk as (
    select *
    from account_health
    where risk_level in ('{{ var("at_risk_risk_levels") | join("', '") }}')
        or score_band in ('{{ var("at_risk_bands") | join("', '") }}')
),

weekly_points as (
    {% for week in range(1, weeks + 1) %}
    select
        {{ week }} as week_number,
        {{ dbt.dateadd('day', -7 * (weeks - week), as_of_date()) }} as point_date
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

weekly_scores as (
    select
        at_risk.account_id,
        weekly_points.week_number,
        history.health_score
    from at_risk
    cross join weekly_points
    inner join history
        on at_risk.account_id = history.account_id
        and cast(history.dbt_valid_from as date) <= cast(weekly_points.point_date as date)
        and (history.dbt_valid_to is null or cast(history.dbt_valid_to as date) > cast(weekly_points.point_date as date))
),

sparklines as (
    select
        account_id,
        {% for week in range(1, weeks + 1) %}
        max(case when week_number = {{ week }} then health_score end) as health_score_week_{{ '%02d' % week }}{{ ',' if not loop.last }}
        {% endfor %}
    from weekly_scores
    group by account_id
),

final as (
    select
        at_risk.account_id,
        at_risk.account_name,
        at_risk.health_score,
        at_risk.arr,
        at_risk.risk_level,
        at_risk.churn_probability,
        at_risk.revenue_at_risk,
        cast(row_number() over (order by coalesce(at_risk.revenue_at_risk, 0) desc, at_risk.account_id) as {{ dbt.type_int() }})
            as revenue_at_risk_rank,
        {{ dbt.concat([
            "coalesce(at_risk.top_driver_1, '')",
            "case when at_risk.top_driver_2 is null then '' else " ~ dbt.concat(["', '", "at_risk.top_driver_2"]) ~ " end",
            "case when at_risk.top_driver_3 is null then '' else " ~ dbt.concat(["', '", "at_risk.top_driver_3"]) ~ " end",
        ]) }} as top_drivers,
        at_risk.top_driver_1,
        at_risk.top_driver_2,
        at_risk.top_driver_3,
        at_risk.tenure_months,
        at_risk.computed_band,
        at_risk.score_band,
        at_risk.segment,
        at_risk.csm_owner_id,
        users.user_name as csm_name,
        {% for week in range(1, weeks + 1) %}
        sparklines.health_score_week_{{ '%02d' % week }},
        {% endfor %}
        at_risk.as_of_date
    from at_risk
    left join users
        on at_risk.csm_owner_id = users.user_id
    left join sparklines
        on at_risk.account_id = sparklines.account_id
)

select * from final
order by revenue_at_risk_rank
