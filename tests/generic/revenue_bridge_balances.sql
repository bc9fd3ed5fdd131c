-- A revenue bridge balances on every row: starting ARR + expansion − contraction − churn = ending
-- ARR (to the cent). Fails with the rows that do not.
-- Usage: data_tests: [revenue_bridge_balances]
{% test revenue_bridge_balances(model) %}

select *
from {{ model }}
where abs(starting_arr + expansion_arr - contraction_arr - churned_arr - ending_arr) > 0.01

{% endtest %}
