-- The at-risk table: customers at risk (their band is at risk: macro is_at_risk_band) or at one of
-- the churn model's risk levels at_risk_risk_levels, with name, health, revenue (ARR), risk level,
-- revenue at risk, top drivers, tenure, band, whether the band is at risk and CSM, ordered by
-- revenue at risk, the CSAT trend (the csat component's survey CSAT now and csat_trend_days
-- earlier), and the health score as it stood at
-- each of the last 12 weekly points back from the as-of date (snap_account_health) for a sparkline:
-- health_score_week_01 is 11 weeks before the as-of date, health_score_week_12 the as-of date.

{%- set risk_levels = var('at_risk_risk_levels') %}

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

-- The csat component's survey CSAT, none when the component is off (its source switched off).
csat as (
    {%- if health_component_enabled('csat') %}
    select
        account_id,
        training_csat,
        previous_training_csat
    from {{ ref('int_health__csat') }}
    {%- else %}
    select
        account_id,
        cast(null as {{ type_double() }}) as training_csat,
        cast(null as {{ type_double() }}) as previous_training_csat
    from account_health
    where false
    {%- endif %}
),

classified as (
    select
        *,
        {{ is_at_risk_band('score_band') }} as is_at_risk
    from account_health
),

at_risk as (
    select * from classified
    where is_at_risk
        or risk_level in ('{{ risk_levels | join("', '") }}')
),

week_numbers as (
    select 1 as week_number
    union all
    select 2 as week_number
    union all
    select 3 as week_number
    union all
    select 4 as week_number
    union all
    select 5 as week_number
    union all
    select 6 as week_number
    union all
    select 7 as week_number
    union all
    select 8 as week_number
    union all
    select 9 as week_number
    union all
    select 10 as week_number
    union all
    select 11 as week_number
    union all
    select 12 as week_number
),

weekly_points as (
    select
        week_number,
        cast({{ dbt.dateadd('day', '-7 * (12 - week_number)', as_of_date()) }} as date) as point_date
    from week_numbers
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
        and cast(history.dbt_valid_from as date) <= weekly_points.point_date
        and (history.dbt_valid_to is null or cast(history.dbt_valid_to as date) > weekly_points.point_date)
),

sparklines as (
    select
        account_id,
        max(case when week_number = 1 then health_score end) as health_score_week_01,
        max(case when week_number = 2 then health_score end) as health_score_week_02,
        max(case when week_number = 3 then health_score end) as health_score_week_03,
        max(case when week_number = 4 then health_score end) as health_score_week_04,
        max(case when week_number = 5 then health_score end) as health_score_week_05,
        max(case when week_number = 6 then health_score end) as health_score_week_06,
        max(case when week_number = 7 then health_score end) as health_score_week_07,
        max(case when week_number = 8 then health_score end) as health_score_week_08,
        max(case when week_number = 9 then health_score end) as health_score_week_09,
        max(case when week_number = 10 then health_score end) as health_score_week_10,
        max(case when week_number = 11 then health_score end) as health_score_week_11,
        max(case when week_number = 12 then health_score end) as health_score_week_12
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
        at_risk.top_driver_1,
        at_risk.top_driver_2,
        at_risk.top_driver_3,
        at_risk.tenure_months,
        at_risk.computed_band,
        at_risk.score_band,
        at_risk.is_at_risk,
        at_risk.segment,
        at_risk.csm_owner_id,
        users.user_name as csm_name,
        csat.training_csat as survey_csat,
        csat.previous_training_csat as previous_survey_csat,
        csat.training_csat - csat.previous_training_csat as survey_csat_change,
        sparklines.health_score_week_01,
        sparklines.health_score_week_02,
        sparklines.health_score_week_03,
        sparklines.health_score_week_04,
        sparklines.health_score_week_05,
        sparklines.health_score_week_06,
        sparklines.health_score_week_07,
        sparklines.health_score_week_08,
        sparklines.health_score_week_09,
        sparklines.health_score_week_10,
        sparklines.health_score_week_11,
        sparklines.health_score_week_12,
        at_risk.as_of_date,
        cast(row_number() over (order by coalesce(at_risk.revenue_at_risk, 0) desc, at_risk.account_id) as {{ dbt.type_int() }})
            as revenue_at_risk_rank,
        {{ dbt.concat([
            "coalesce(at_risk.top_driver_1, '')",
            "case when at_risk.top_driver_2 is null then '' else " ~ dbt.concat(["', '", "at_risk.top_driver_2"]) ~ " end",
            "case when at_risk.top_driver_3 is null then '' else " ~ dbt.concat(["', '", "at_risk.top_driver_3"]) ~ " end",
        ]) }} as top_drivers
    from at_risk
    left join users
        on at_risk.csm_owner_id = users.user_id
    left join sparklines
        on at_risk.account_id = sparklines.account_id
    left join csat
        on at_risk.account_id = csat.account_id
)

select * from final
order by revenue_at_risk_rank
