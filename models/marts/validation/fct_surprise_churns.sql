-- Every surprise churn: a churned contract whose recorded health score forecast_lookback_days before
-- its end stood at or above its segment's at-risk line (not flagged at risk), with what the CSM saw
-- then: the score and the line, the churn model's probability, the top drivers and every component
-- score, and the CSM by name; and whether the score fell below the line later (the lead time it
-- finally gave). The cases to investigate, one by one, to learn what the score misses.

with

contract_scores as (
    select * from {{ ref('int_validation__contract_scores') }}
    where not is_rescored
        and is_churned
        and not is_flagged_at_risk
),

contracts as (
    select * from {{ ref('int_contracts__signed') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

final as (
    select
        contract_scores.contract_id,
        contract_scores.account_id,
        accounts.account_name,
        contract_scores.segment,
        contract_scores.csm_owner_id,
        users.user_name as csm_name,
        cast(contracts.arr as {{ type_double() }}) as arr,
        contract_scores.end_date,
        contract_scores.cohort_quarter,
        contract_scores.lookback_date,
        contract_scores.weights_version,
        contract_scores.health_score,
        contract_scores.at_risk_below_score,
        cast(contract_scores.health_score - contract_scores.at_risk_below_score as {{ type_double() }}) as points_above_line,
        contract_scores.churn_probability,
        cast(contract_scores.lead_time_days as {{ dbt.type_int() }}) as lead_time_days,
        contract_scores.top_driver_1,
        contract_scores.top_driver_2,
        contract_scores.top_driver_3,
        -- noqa: disable=LT02
        {%- for component in var('health_components') %}
        contract_scores.{{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from contract_scores
    left join contracts
        on contract_scores.contract_id = contracts.contract_id
    left join accounts
        on contract_scores.account_id = accounts.account_id
    left join users
        on contract_scores.csm_owner_id = users.user_id
)

select * from final
