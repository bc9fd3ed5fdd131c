-- Score measured metrics against the resolved scoring grid. A band's score is interpolated
-- linearly between score_at_lower and score_at_upper (equal for step grids); lower bounds are
-- inclusive, upper bounds exclusive. A NULL measure scores NULL (the metric does not apply).
{% macro grid_score(raw_value, grid_alias='grid') -%}
    {{ grid_alias }}.score_at_lower
    + ({{ grid_alias }}.score_at_upper - {{ grid_alias }}.score_at_lower)
    * ({{ raw_value }} - {{ grid_alias }}.lower_bound)
    / ({{ grid_alias }}.upper_bound - {{ grid_alias }}.lower_bound)
{%- endmacro %}

-- Long-form metric scores for one component: one row per account and metric with its raw value
-- and grid score. `measured_cte` must have account_id, segment and one column per metric.
-- `missing_as` scores a NULL measure as a value (e.g. never held a QBR = longest ago) instead of
-- leaving the metric out.
{% macro component_metric_scores(measured_cte, component, metrics, missing_as={}) -%}
metric_values as (
    {% for metric in metrics -%}
    select
        account_id,
        segment,
        '{{ metric }}' as metric,
        cast({{ 'coalesce(' ~ metric ~ ', ' ~ missing_as[metric] ~ ')' if metric in missing_as else metric }} as {{ type_double() }}) as raw_value
    from {{ measured_cte }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

metric_scores as (
    select
        metric_values.account_id,
        metric_values.metric,
        metric_values.raw_value,
        {{ grid_score('metric_values.raw_value') }} as metric_score
    from metric_values
    left join {{ ref('int_health__scoring_grid') }} as grid
        on grid.component = '{{ component }}'
        and grid.metric = metric_values.metric
        and grid.segment = metric_values.segment
        and metric_values.raw_value >= grid.lower_bound
        and metric_values.raw_value < grid.upper_bound
),

component_scores as (
    select
        account_id,
        avg(metric_score) as score
    from metric_scores
    group by account_id
)
{%- endmacro %}

-- The health components whose source is switched on, in the order dbt_project.yml lists them.
{% macro enabled_health_components() -%}
    {%- set enabled = [] -%}
    {%- for component, source_name in var('health_components').items() -%}
        {%- if source_name in enabled_sources() -%}{%- do enabled.append(component) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(enabled) }}
{%- endmacro %}

-- A component model is enabled when its source is.
{% macro health_component_enabled(component) -%}
    {{ return(component in enabled_health_components()) }}
{%- endmacro %}
