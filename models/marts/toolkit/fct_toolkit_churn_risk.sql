-- The toolkit's churn risk for every customer account as of the as-of date, computed from the
-- warehouse's own measures by the churn risk analyzer's rules (int_toolkit__warehouse_*): the five
-- signal-group scores, the raw score, the renewal-urgency multiplier, the risk score and tier, and
-- the warnings the analyzer raises (how many, and the first in its order).

with

accounts as (
    select * from {{ ref('int_accounts__customers') }}
),

customers as (
    select * from {{ ref('int_toolkit__warehouse_customers') }}
),

scores as (
    select * from {{ ref('int_toolkit__warehouse_churn_scores') }}
),

warnings as (
    select * from {{ ref('int_toolkit__warehouse_churn_warnings') }}
),

warning_summary as (
    select
        customer_index,
        count(*) as warnings_count,
        max(case when warning_number = 1 then severity end) as top_warning_severity,
        max(case when warning_number = 1 then signal end) as top_warning
    from warnings
    group by customer_index
),

final as (
    select
        cast(accounts.account_id as {{ type_varchar() }}) as account_id,
        cast(accounts.account_name as {{ type_varchar() }}) as account_name,
        cast(accounts.segment as {{ type_varchar() }}) as segment,
        cast(accounts.as_of_date as date) as as_of_date,
        cast(accounts.arr as {{ type_double() }}) as arr,
        cast(accounts.contract_end_date as date) as contract_end_date,
        cast(scores.risk_score as {{ type_double() }}) as risk_score,
        cast(scores.risk_tier as {{ type_varchar() }}) as risk_tier,
        cast(scores.risk_label as {{ type_varchar() }}) as risk_label,
        cast(scores.raw_score as {{ type_double() }}) as raw_score,
        cast(scores.urgency_multiplier as {{ type_double() }}) as urgency_multiplier,
        cast(scores.days_to_renewal as {{ dbt.type_int() }}) as days_to_renewal,
        cast(scores.usage_decline_score as {{ type_double() }}) as usage_decline_score,
        cast(scores.engagement_drop_score as {{ type_double() }}) as engagement_drop_score,
        cast(scores.support_issues_score as {{ type_double() }}) as support_issues_score,
        cast(scores.relationship_signals_score as {{ type_double() }}) as relationship_signals_score,
        cast(scores.commercial_factors_score as {{ type_double() }}) as commercial_factors_score,
        cast(coalesce(warning_summary.warnings_count, 0) as {{ dbt.type_int() }}) as warnings_count,
        cast(warning_summary.top_warning_severity as {{ type_varchar() }}) as top_warning_severity,
        cast(warning_summary.top_warning as {{ type_varchar() }}) as top_warning
    from scores
    inner join customers
        on scores.customer_index = customers.customer_index
    inner join accounts
        on customers.customer_id = accounts.account_id
    left join warning_summary
        on scores.customer_index = warning_summary.customer_index
)

select * from final
