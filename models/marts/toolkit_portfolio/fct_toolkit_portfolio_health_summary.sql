-- The health score calculator's portfolio summary for the loaded portfolio: one row.

with

scores as (
    select * from {{ ref('int_toolkit_portfolio__health_scores') }}
),

totals as (
    select
        count(*) as total_customers,
        {{ python_float_sum('overall_score', 'customer_index') }} as overall_score_sum,
        sum(case when overall_classification = 'green' then 1 else 0 end) as green_count,
        sum(case when overall_classification = 'yellow' then 1 else 0 end) as yellow_count,
        sum(case when overall_classification = 'red' then 1 else 0 end) as red_count
    from scores
),

averaged as (
    select
        totals.*,
        case when total_customers = 0 then 0.0 else overall_score_sum / total_customers end as average_sum
    from totals
),

final as (
    select
        total_customers,
        {{ python_round('average_sum', 1) }} as average_score,
        green_count,
        yellow_count,
        red_count
    from averaged
)

select * from final
