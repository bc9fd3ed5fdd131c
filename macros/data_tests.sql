-- Staging's data tests carry the placeholder `__recent_syncs__` as their whole `where`
-- (dbt_project.yml). dbt renders `where` when it parses, before a run's vars are known, so the
-- placeholder is filled in here, when the test runs: on a nightly run (var
-- data_tests_recent_syncs_only) the tests check the rows synced in the incremental lookback
-- window before the as-of date, the night's new rows, so their cost follows the night's data, not
-- the history; otherwise they check every row. A test with a `where` of its own keeps it.
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where == '__recent_syncs__' -%}
        {%- if not var('data_tests_recent_syncs_only') -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- set where = '_fivetran_synced >= ' ~ dbt.dateadd('day', -(var('incremental_lookback_days') + 1), as_of_date()) -%}
    {%- endif -%}
    {%- if where -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
