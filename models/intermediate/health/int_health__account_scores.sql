-- One row per customer as of the as-of date: the composite health score (the weighted mean of
-- the components that apply), its band before and after the CSM's sentiment override, the churn
-- model's risk, revenue at risk, the three components that cost the most points and every
-- component's score, weighed in this weights version or not (what a backtest of another weighting
-- rescores), stamped with the configuration version. The snapshot records each night's row, so it
-- keeps what explains a change of score: the unrounded composite and each component's score and
-- applied weight.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

components as (
    select * from {{ ref('int_health__weighted_components') }}
),

scores as (
    select * from {{ ref('int_health__components') }}
),

churn_risk as (
    select * from {{ ref('int_health__churn_risk') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

overrides as (
    select * from {{ ref('health_sentiment_overrides') }}
),

risk_levels as (
    select * from {{ ref('health_risk_levels') }}
),

configuration as (
    select * from {{ ref('int_health__configuration') }}
),

composite as (
    select
        account_id,
        -- Rounded in two steps: a parallel float sum may differ in its last bits between runs, and
        -- the band reads the rounded score, so a score at a band's edge cannot flip bands.
        {{ round_double(round_double('cast(100 - sum(points_lost) as ' ~ type_double() ~ ')', 6), 2) }} as health_score,
        cast(100 - sum(points_lost) as {{ type_double() }}) as health_score_unrounded,
        {% for component in enabled_health_components() %}
        max(case when component = '{{ component }}' and score is not null then weight end) as {{ component }}_weight,
        {% endfor %}
        count(score) as components_applied
    from components
    group by account_id
),

component_scores as (
    select
        {% for component in enabled_health_components() %}
        max(case when component = '{{ component }}' then score end) as {{ component }}_score,
        {% endfor %}
        account_id
    from scores
    group by account_id
),

ranked_drivers as (
    select
        account_id,
        label,
        row_number() over (partition by account_id order by points_lost desc, weight desc, component asc) as driver_rank
    from components
    where points_lost > 0
),

drivers as (
    select
        account_id,
        max(case when driver_rank = 1 then label end) as top_driver_1,
        max(case when driver_rank = 2 then label end) as top_driver_2,
        max(case when driver_rank = 3 then label end) as top_driver_3
    from ranked_drivers
    where driver_rank <= 3
    group by account_id
),

computed_bands as (
    select
        composite.account_id,
        min(bands.band_rank) as computed_band_rank
    from composite
    inner join customers
        on composite.account_id = customers.account_id
    inner join bands
        on customers.segment = bands.segment
        and composite.health_score >= bands.min_score
    group by composite.account_id
),

final_bands as (
    select
        computed_bands.account_id,
        computed_bands.computed_band_rank,
        least(
            greatest(computed_bands.computed_band_rank + coalesce(overrides.band_shift, 0), 1),
            (select max(band_rank) from bands)
        ) as final_band_rank
    from computed_bands
    inner join customers
        on computed_bands.account_id = customers.account_id
    left join overrides
        on customers.csm_sentiment = overrides.csm_sentiment
),

risk as (
    select
        churn_risk.account_id,
        churn_risk.churn_probability,
        min(risk_levels.risk_rank) as risk_rank
    from churn_risk
    left join risk_levels
        on churn_risk.churn_probability >= risk_levels.min_probability
    group by churn_risk.account_id, churn_risk.churn_probability
),

final as (
    select
        customers.account_id,
        customers.account_name,
        customers.segment,
        customers.csm_owner_id,
        cast(customers.arr as {{ type_double() }}) as arr,
        customers.as_of_date,
        configuration.weights_version,
        configuration.configuration_version,
        composite.health_score,
        composite.health_score_unrounded,
        computed.band as computed_band,
        final_band.band as score_band,
        customers.csm_sentiment,
        cast(risk.churn_probability as {{ type_double() }}) as churn_probability,
        risk_level.risk_level,
        cast(customers.arr * risk.churn_probability as {{ type_double() }}) as revenue_at_risk,
        drivers.top_driver_1,
        drivers.top_driver_2,
        drivers.top_driver_3,
        cast(customers.tenure_months as {{ dbt.type_int() }}) as tenure_months,
        cast(composite.components_applied as {{ dbt.type_int() }}) as components_applied,
        -- a column per component, from a jinja loop
        -- noqa: disable=LT02
        {% for component in var('health_components') %}
        {{ 'component_scores.' ~ component ~ '_score' if component in enabled_health_components()
            else 'cast(null as ' ~ type_double() ~ ') as ' ~ component ~ '_score' }},
        {% endfor %}
        -- the weight each component carries in the composite (NULL where it does not apply)
        {% for component in var('health_components') %}
        cast({{ 'composite.' ~ component ~ '_weight' if component in enabled_health_components() else 'null' }} as {{ type_double() }})
            as {{ component }}_weight{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from customers
    cross join configuration
    inner join composite
        on customers.account_id = composite.account_id
    inner join final_bands
        on customers.account_id = final_bands.account_id
    inner join bands as computed
        on customers.segment = computed.segment
        and final_bands.computed_band_rank = computed.band_rank
    inner join bands as final_band
        on customers.segment = final_band.segment
        and final_bands.final_band_rank = final_band.band_rank
    left join risk
        on customers.account_id = risk.account_id
    left join risk_levels as risk_level
        on risk.risk_rank = risk_level.risk_rank
    left join drivers
        on customers.account_id = drivers.account_id
    left join component_scores
        on customers.account_id = component_scores.account_id
)

select * from final
