-- A Salesforce custom field the org may not have (warn level: missing data is not bad data).
-- Fails with the rows that lack the value, so the warning counts them: for a field every row
-- carries (`expected: every_row`), each row without it; for a field set on some rows only
-- (`expected: some_rows`), every row when none carries it, i.e. the org does not have the field.
-- Usage: data_tests: [{custom_field_landed: {arguments: {field: segment_c, expected: every_row}, config: {severity: warn}}}]
{% test custom_field_landed(model, column_name, field, expected='every_row') %}
{{ config(severity='warn') }}
{%- if expected not in ('every_row', 'some_rows') -%}
    {{ exceptions.raise_compiler_error("custom_field_landed: expected must be every_row or some_rows, got " ~ expected) }}
{%- endif %}

select '{{ field }}' as custom_field
from {{ model }}
where {{ column_name }} is null
{%- if expected == 'some_rows' %}
    and not exists (select 1 from {{ model }} where {{ column_name }} is not null)
{%- endif %}

{% endtest %}
