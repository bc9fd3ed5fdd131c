-- The at-risk list (fct_at_risk_accounts) summed for every choice of its filters: per CSM, segment,
-- band and risk level, and over every value of any of them ('all'), the accounts listed, their ARR
-- and their revenue at risk. The row with 'all' in the four is the whole list. An account without
-- a CSM or a risk level counts in the 'all' rows only of that column.

with

at_risk as (
    select * from {{ ref('fct_at_risk_accounts') }}
),

csms as (
    select distinct
        csm_owner_id,
        csm_name
    from at_risk
),

summarised as (
    select
        as_of_date,
        csm_owner_id,
        segment,
        score_band,
        risk_level,
        grouping(csm_owner_id) as is_every_csm,
        grouping(segment) as is_every_segment,
        grouping(score_band) as is_every_band,
        grouping(risk_level) as is_every_risk_level,
        count(*) as accounts,
        sum(arr) as arr,
        sum(revenue_at_risk) as revenue_at_risk
    from at_risk
    group by as_of_date, cube(csm_owner_id, segment, score_band, risk_level)
),

final as (
    select
        cast(
            case when summarised.is_every_csm = 1 then 'all' else summarised.csm_owner_id end as {{ type_varchar() }}
        ) as csm_owner_id,
        csms.csm_name,
        cast(case when summarised.is_every_segment = 1 then 'all' else summarised.segment end as {{ type_varchar() }})
            as segment,
        cast(case when summarised.is_every_band = 1 then 'all' else summarised.score_band end as {{ type_varchar() }})
            as score_band,
        cast(
            case when summarised.is_every_risk_level = 1 then 'all' else summarised.risk_level end as {{ type_varchar() }}
        ) as risk_level,
        cast(summarised.accounts as {{ dbt.type_int() }}) as accounts,
        cast(summarised.arr as {{ type_double() }}) as arr,
        cast(summarised.revenue_at_risk as {{ type_double() }}) as revenue_at_risk,
        summarised.as_of_date
    from summarised
    left join csms
        on summarised.csm_owner_id = csms.csm_owner_id
        and summarised.is_every_csm = 0
)

select * from final
