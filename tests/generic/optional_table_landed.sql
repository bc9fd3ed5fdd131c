-- A source table an export may not provide (meta optional: true), warn level: missing data is not
-- bad data. Fails with one row naming the table when the warehouse does not have it; staging then
-- reads it as empty (landed_source) and what needs it measures nothing (NULL).
-- Usage, on the source table: data_tests: [optional_table_landed]
{% test optional_table_landed(model) %}
{{ config(severity='warn') }}

select '{{ model }}' as missing_table
{%- if load_relation(model) is not none %}
where 1 = 0
{%- endif %}

{% endtest %}
