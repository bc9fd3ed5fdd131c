-- Date arithmetic that differs between DuckDB, PostgreSQL and Spark.

-- True on Monday to Friday.
{% macro is_weekday(day) -%}
    {{ return(adapter.dispatch('is_weekday', 'client_success_intelligence')(day)) }}
{%- endmacro %}

{% macro default__is_weekday(day) -%}
    extract(dow from {{ day }}) not in (0, 6)
{%- endmacro %}

{% macro spark__is_weekday(day) -%}
    dayofweek({{ day }}) not in (1, 7)
{%- endmacro %}

-- dbt.datediff in months on Spark as DuckDB and PostgreSQL count them, the calendar month
-- boundaries crossed: dbt-spark's counts one too many when both dates end their month and the
-- later one's day is smaller (2022-05-31 to 2026-06-30: 50, not 49). Other dateparts are dbt-spark's.
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart | lower == 'month' -%}
    ((year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }}))
    {%- else -%}
    {{ dbt.spark__datediff(first_date, second_date, datepart) }}
    {%- endif -%}
{%- endmacro %}
