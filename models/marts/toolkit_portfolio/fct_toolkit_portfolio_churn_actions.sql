-- The churn risk analyzer's recommended actions for each customer of the loaded portfolio: the
-- intervention playbook of the customer's risk tier, one row per step.

with

scores as (
    select * from {{ ref('int_toolkit_portfolio__churn_scores') }}
),

playbooks as (
    select * from {{ ref('toolkit_churn_playbooks') }}
),

final as (
    select
        scores.customer_index,
        scores.risk_tier,
        playbooks.step,
        playbooks.action
    from scores
    inner join playbooks
        on scores.risk_tier = playbooks.risk_tier
)

select * from final
