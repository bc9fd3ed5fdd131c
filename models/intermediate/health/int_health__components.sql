{{ config(materialized='table') }}  {# the score's tests, marts and snapshot read it: compute the components once #}
-- Every health component in long form: one row per customer and component with the raw measure,
-- the 0-100 score and, where the score is NULL, why the component does not apply. A component
-- whose requirements (seeds/health/health_component_requirements.csv) the org's data does not meet
-- applies to no customer: missing data is not scored as bad data. Components come from var
-- health_components, so a new component is a model plus its entries there and in the seeds.

with

{% for component in enabled_health_components() %}
{{ component }} as (
    select * from {{ ref('int_health__' ~ component) }}
),

{% endfor %}
requirements as (
    select * from {{ ref('health_component_requirements') }}
),

requirements_met as (
    select * from {{ ref('int_health__requirements') }}
),

unmeasurable as (
    select
        requirements.component,
        {{ dbt.listagg('requirements.needs', "'; '", 'order by requirements.requirement') }} as missing
    from requirements
    left join requirements_met
        on requirements.requirement = requirements_met.requirement
    where not coalesce(requirements_met.is_met, false)
    group by requirements.component
),

unioned as (
    {% for component in enabled_health_components() %}
    select
        account_id,
        '{{ component }}' as component,
        cast(raw_value as {{ type_double() }}) as raw_value,
        cast(score as {{ type_double() }}) as score,
        cast(not_applicable_reason as {{ dbt.type_string() }}) as not_applicable_reason
    from {{ component }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        unioned.account_id,
        unioned.component,
        unioned.raw_value,
        case when unmeasurable.component is null then unioned.score end as score,
        case
            when unmeasurable.component is not null
                then {{ dbt.concat(["'this org''s data cannot measure it: missing '", 'unmeasurable.missing']) }}
            else unioned.not_applicable_reason
        end as not_applicable_reason
    from unioned
    left join unmeasurable
        on unioned.component = unmeasurable.component
)

select * from final
