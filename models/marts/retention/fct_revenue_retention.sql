-- Revenue and logo retention per month and segment (and 'all' segments), with the revenue bridge
-- of the accounts that were customers when the month began:
--   starting_arr + expansion_arr − contraction_arr − churned_arr = ending_arr
-- GRR = (starting − contraction − churn) / starting, NRR = ending / starting, logo retention =
-- starting customers still customers at the month's end / starting customers. ARR from accounts
-- that were not customers when the month began is new_arr, outside the bridge.

with

account_months as (
    select * from {{ ref('int_retention__account_months') }}
),

movements as (
    select
        segment,
        month_start,
        starting_arr,
        ending_arr,
        case when starting_arr > 0 then 1 else 0 end as is_starting_customer,
        case when starting_arr > 0 and ending_arr > 0 then 1 else 0 end as is_retained_customer,
        case when starting_arr > 0 and ending_arr = 0 then 1 else 0 end as is_churned_customer,
        case when starting_arr = 0 and ending_arr > 0 then 1 else 0 end as is_new_customer,
        case when starting_arr > 0 and ending_arr > starting_arr then ending_arr - starting_arr else 0 end as expansion_arr,
        case when ending_arr > 0 and ending_arr < starting_arr then starting_arr - ending_arr else 0 end as contraction_arr,
        case when starting_arr > 0 and ending_arr = 0 then starting_arr else 0 end as churned_arr,
        case when starting_arr = 0 then ending_arr else 0 end as new_arr
    from account_months
),

by_segment as (
    select * from movements
    union all
    select
        'all' as segment,
        month_start,
        starting_arr,
        ending_arr,
        is_starting_customer,
        is_retained_customer,
        is_churned_customer,
        is_new_customer,
        expansion_arr,
        contraction_arr,
        churned_arr,
        new_arr
    from movements
),

summed as (
    select
        month_start,
        segment,
        sum(is_starting_customer) as starting_customers,
        sum(is_retained_customer) as retained_customers,
        sum(is_churned_customer) as churned_customers,
        sum(is_new_customer) as new_customers,
        sum(starting_arr) as starting_arr,
        sum(expansion_arr) as expansion_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr,
        sum(case when is_starting_customer = 1 then ending_arr else 0 end) as ending_arr,
        sum(new_arr) as new_arr
    from by_segment
    group by month_start, segment
),

final as (
    select
        month_start,
        segment,
        cast(starting_customers as {{ dbt.type_int() }}) as starting_customers,
        cast(retained_customers as {{ dbt.type_int() }}) as retained_customers,
        cast(churned_customers as {{ dbt.type_int() }}) as churned_customers,
        cast(new_customers as {{ dbt.type_int() }}) as new_customers,
        cast(starting_arr as {{ type_double() }}) as starting_arr,
        cast(expansion_arr as {{ type_double() }}) as expansion_arr,
        cast(contraction_arr as {{ type_double() }}) as contraction_arr,
        cast(churned_arr as {{ type_double() }}) as churned_arr,
        cast(ending_arr as {{ type_double() }}) as ending_arr,
        cast(new_arr as {{ type_double() }}) as new_arr,
        {{ safe_divide('starting_arr - contraction_arr - churned_arr', 'starting_arr') }} as grr,
        {{ safe_divide('ending_arr', 'starting_arr') }} as nrr,
        {{ safe_divide('retained_customers', 'starting_customers') }} as logo_retention
    from summed
)

select * from final
