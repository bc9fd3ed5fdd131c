-- The revenue bridge balances in every month and segment:
-- starting ARR + expansion − contraction − churn = ending ARR (to the cent).

select
    month_start,
    segment,
    starting_arr,
    expansion_arr,
    contraction_arr,
    churned_arr,
    ending_arr
from {{ ref('fct_revenue_retention') }}
where abs(starting_arr + expansion_arr - contraction_arr - churned_arr - ending_arr) > 0.01
