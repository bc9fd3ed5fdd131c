-- The date every window is measured back from. The CLI always passes var('as_of_date');
-- a bare `dbt build` without it measures from the run's start date, never the query's clock.
{% macro as_of_date() -%}
    {%- set as_of = var('as_of_date', none) or run_started_at.strftime('%Y-%m-%d') -%}
    cast('{{ as_of }}' as date)
{%- endmacro %}

-- The as-of date as a date value, for macros that compare dates.
{% macro as_of_day() -%}
    {{ return(modules.datetime.date.fromisoformat((var('as_of_date', none) or run_started_at.strftime('%Y-%m-%d')) | string)) }}
{%- endmacro %}
