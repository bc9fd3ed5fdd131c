{{ config(materialized='table') }}  {# the score's tests, marts and snapshot read it: compute the components once #}
-- Every health component in long form: one row per customer and component with the raw measure
-- and the 0-100 score (NULL where the component does not apply). Components come from var
-- health_components, so a new component is a model plus its entries there and in the seeds.

with

{% for component in enabled_health_components() %}
{{ component }} as (
    select * from {{ ref('int_health__' ~ component) }}
),

{% endfor %}
unioned as (
    {% for component in enabled_health_components() %}
    select
        account_id,
        '{{ component }}' as component,
        cast(raw_value as {{ type_double() }}) as raw_value,
        cast(score as {{ type_double() }}) as score
    from {{ component }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select * from unioned
)

select * from final
