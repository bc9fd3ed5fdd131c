-- The churn risk analyzer's portfolio summary for the loaded portfolio: one row. ARR at risk adds
-- the ARR of critical and high customers in portfolio order, as Python's sum() does: exactly while
-- every ARR is an integer, in floating point from the first float on.

with

risk as (
    select * from {{ ref('fct_toolkit_portfolio_churn_risk') }}
),

at_risk as (
    select
        customer_index,
        arr_type,
        coalesce(arr, 0) as arr,
        min(case when arr_type = 'DOUBLE' then customer_index end) over () as first_float_index
    from risk
    where risk_tier in ('critical', 'high')
),

integer_prefix as (
    select coalesce(sum(cast(arr as hugeint)), 0) as integer_part
    from at_risk
    where first_float_index is null or customer_index < first_float_index
),

float_sequence as (
    select
        0 as customer_index,
        cast(integer_prefix.integer_part as double) as arr
    from integer_prefix
    union all
    select
        customer_index,
        arr
    from at_risk
    where customer_index >= first_float_index
),

totals as (
    select
        (select count(*) from risk) as total_customers,
        {%- for tier in ['critical', 'high', 'medium', 'low'] %}
        (
            select count(*)
            from risk
            where risk_tier = '{{ tier }}'
        ) as {{ tier }}_count,
        {%- endfor %}
        (select max(first_float_index) from at_risk) is not null as arr_at_risk_is_float,
        (select integer_part from integer_prefix) as integer_part,
        (select {{ python_float_sum('arr', 'customer_index') }} from float_sequence) as float_sum
    from (select 1 as one) as one_row
),

final as (
    select
        total_customers,
        critical_count,
        high_count,
        medium_count,
        low_count,
        arr_at_risk_is_float,
        case when arr_at_risk_is_float then null else integer_part end as total_arr_at_risk_integer,
        case when arr_at_risk_is_float then float_sum end as total_arr_at_risk_float
    from totals
)

select * from final
