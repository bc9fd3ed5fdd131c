-- Every decided renewal outcome with the churn model's probability for the contract as it stood
-- forecast_lookback_days before the end date, read from the snapshot history (never recomputed),
-- and whether it was at or above the flag threshold. The probability is NULL when the history does
-- not reach back that far.

with

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
    where outcome <> 'pending'
),

probabilities as (
    select * from {{ ref('snap_churn_probability') }}
),

looked_back as (
    select
        contract_id,
        account_id,
        end_date,
        cohort_quarter_start,
        cohort_quarter,
        outcome,
        is_churned,
        cast({{ dbt.dateadd('day', -var('forecast_lookback_days'), 'end_date') }} as date) as lookback_date
    from outcomes
),

final as (
    select
        looked_back.contract_id,
        looked_back.account_id,
        looked_back.end_date,
        looked_back.cohort_quarter_start,
        looked_back.cohort_quarter,
        looked_back.outcome,
        looked_back.is_churned,
        looked_back.lookback_date,
        cast(probabilities.churn_probability as {{ type_double() }}) as churn_probability,
        probabilities.churn_probability >= {{ var('churn_flag_threshold') }} as is_flagged
    from looked_back
    left join probabilities
        on looked_back.contract_id = probabilities.contract_id
        and {{ snapshot_valid_on('looked_back.lookback_date', 'probabilities') }}
)

select * from final
