-- The listed columns together identify a row: fails with each combination that occurs more than once.
-- Usage (model level): data_tests: [{unique_combination: {arguments: {columns: [account_id, usage_date]}}}]
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
