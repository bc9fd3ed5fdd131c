-- Helpers for reading outcomes against history: quarter labels, snapshot validity, candidate weightings.

-- A quarter as text, '2026-Q2', from a date expression (portable: extract and string concatenation).
{% macro quarter_label(date_expression) -%}
    cast(cast(extract(year from {{ date_expression }}) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
    || '-Q'
    || cast(cast(extract(quarter from {{ date_expression }}) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
{%- endmacro %}

-- The half-open validity of a snapshot version, [dbt_valid_from, dbt_valid_to), as dates: the
-- version that stood on a day is the one with valid_from <= day < valid_to.
{% macro snapshot_valid_on(day_expression, snapshot_alias) -%}
    cast({{ snapshot_alias }}.dbt_valid_from as date) <= {{ day_expression }}
    and {{ day_expression }} < cast(coalesce({{ snapshot_alias }}.dbt_valid_to, cast('9999-12-31' as date)) as date)
{%- endmacro %}

-- Terms of a weighted sum over a snapshot's component score columns, for a candidate weighting
-- {component: weight}: what='score' gives ' + w * <c>_score' for each applying component,
-- what='weight' gives ' + w' for each applying component (the divisor of the composite).
{% macro candidate_weighted_sum(weights, what) -%}
    {%- for component, weight in weights.items() -%}
        {%- if what == 'score' %} + coalesce({{ weight | float }} * {{ component }}_score, 0)
        {%- else %} + case when {{ component }}_score is not null then {{ weight | float }} else 0 end
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
