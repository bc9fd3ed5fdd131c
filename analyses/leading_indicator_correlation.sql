-- The time-shift analysis: each leading indicator's correlation with churn when read 30, 60
-- and 90 days (var indicator_shift_days) before a contract's end. The indicators are the health
-- components and the composite as the nightly history recorded them (snap_account_health: what was
-- known then, never recomputed); the outcomes are the decided renewals (int_contracts__renewal_outcomes:
-- churned 1, renewed, expanded or contracted 0). Scores are high when healthy, so a predictor
-- correlates negatively; CS practice reads |r| > 0.5 as a predictor to include, below 0.3 as none.

{%- set indicators = var('health_components') | list %}

with

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
    where outcome <> 'pending'
),

history as (
    select * from {{ ref('snap_account_health') }}
),

shifts as (
    {%- for days in var('indicator_shift_days') %}
    select {{ days }} as shift_days
    {{- ' union all' if not loop.last }}
    {%- endfor %}
),

read_back as (
    select
        shifts.shift_days,
        outcomes.contract_id,
        case when outcomes.outcome = 'churned' then 1.0 else 0.0 end as churned,
        {%- for component in indicators %}
        history.{{ component }}_score,
        {%- endfor %}
        history.health_score
    from outcomes
    cross join shifts
    inner join history
        on outcomes.account_id = history.account_id
        and {{ snapshot_valid_on('cast(' ~ dbt.dateadd('day', '-shifts.shift_days', 'outcomes.end_date') ~ ' as date)', 'history') }}
),

indicator_values as (
    {%- for indicator in indicators + ['health'] %}
    select
        shift_days,
        '{{ indicator }}' as indicator,
        churned,
        cast({{ indicator }}_score as {{ type_double() }}) as indicator_value
    from read_back
    where {{ indicator }}_score is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        indicator,
        shift_days,
        count(*) as contracts,
        cast(sum(churned) as {{ dbt.type_int() }}) as churned,
        corr(indicator_value, churned) as correlation_with_churn,
        avg(case when churned = 1 then indicator_value end) as mean_when_churned,
        avg(case when churned = 0 then indicator_value end) as mean_when_retained
    from indicator_values
    group by indicator, shift_days
)

select * from final
order by shift_days asc, abs(correlation_with_churn) desc, indicator asc
