-- The executive revenue bridge balances in every month and segment over the trailing window:
-- starting ARR + expansion − contraction − churn = ending ARR (to the cent).

select
    month_start,
    segment,
    starting_arr,
    expansion_arr,
    contraction_arr,
    churned_arr,
    ending_arr
from {{ ref('fct_executive_summary') }}
where abs(starting_arr + expansion_arr - contraction_arr - churned_arr - ending_arr) > 0.01
