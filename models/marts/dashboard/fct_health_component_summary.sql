-- Each health component over the portfolio (fct_account_health_components): its label and weight,
-- how many customers it applies to (has a score for), their average score and the points it costs
-- a customer on average (0 where it does not apply).

with

components as (
    select * from {{ ref('fct_account_health_components') }}
),

summarised as (
    select
        component,
        label,
        weight,
        count(score) as customers_applied,
        avg(score) as average_score,
        avg(points_lost) as average_points_lost
    from components
    group by component, label, weight
),

final as (
    select
        component,
        label,
        weight,
        cast(customers_applied as {{ dbt.type_int() }}) as customers_applied,
        {{ round_double('cast(average_score as ' ~ type_double() ~ ')', 2) }} as average_score,
        {{ round_double('cast(average_points_lost as ' ~ type_double() ~ ')', 2) }} as average_points_lost,
        {{ as_of_date() }} as as_of_date
    from summarised
)

select * from final
