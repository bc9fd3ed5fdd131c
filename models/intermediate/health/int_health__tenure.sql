{{ config(tags=['health_component'], enabled=health_component_enabled('tenure')) }}
-- Tenure: months since the first contract started.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

measured as (
    select
        account_id,
        segment,
        tenure_months
    from customers
),

{{ component_metric_scores('measured', 'tenure', ['tenure_months']) }},

final as (
    select
        measured.account_id,
        measured.tenure_months,
        measured.tenure_months as raw_value,
        cast(null as {{ dbt.type_string() }}) as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
