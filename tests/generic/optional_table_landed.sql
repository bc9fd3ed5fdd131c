-- A source table an export may not provide (meta optional: true), warn level: missing data is not
-- bad data. Fails with one row naming the table when the warehouse does not have it; staging then
-- reads it as empty (landed_source) and what needs it measures nothing (NULL). The table is named
-- by its arguments, not read through `model`: a nightly run narrows `model` to recent rows.
-- Usage, on the source table:
--   data_tests: [{optional_table_landed: {arguments: {source_name: product, table_name: user_activity_daily}}}]
{% test optional_table_landed(model, source_name, table_name) %}
{{ config(severity='warn') }}

select '{{ source_name }}.{{ table_name }}' as missing_table
{%- if source_landed(source_name, table_name) %}
where 1 = 0
{%- endif %}

{% endtest %}
