-- Renewal forecast accuracy per cohort quarter of contract end date: of the contracts whose outcome
-- is known and that the churn model had scored forecast_lookback_days before their end, how many
-- churned, how many of those were flagged then (early warning), and the predicted vs the actual
-- churn rate. Quarters whose contracts have no such history yet are warming up, with the date
-- from which contracts are measured; their rates are NULL, never zero.

with

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
),

predictions as (
    select * from {{ ref('int_forecast__contract_predictions') }}
),

history as (
    select * from {{ ref('int_forecast__history_start') }}
),

targets as (
    select * from {{ ref('validation_targets') }}
),

cohorts as (
    select
        outcomes.cohort_quarter_start,
        outcomes.cohort_quarter,
        count(case when outcomes.outcome <> 'pending' then 1 end) as contracts_ended,
        count(case when outcomes.outcome = 'pending' then 1 end) as contracts_pending
    from outcomes
    cross join history
    -- Quarters that end before the history starts can never be measured: left out.
    where {{ dbt.dateadd('month', 3, 'outcomes.cohort_quarter_start') }} > history.history_start_date
    group by outcomes.cohort_quarter_start, outcomes.cohort_quarter
),

scored as (
    select
        cohort_quarter_start,
        count(*) as contracts,
        sum(case when is_churned then 1 else 0 end) as actually_churned,
        sum(case when is_churned and is_flagged then 1 else 0 end) as flagged_60d,
        avg(churn_probability) as predicted_churn_rate,
        avg(case when is_churned then 1.0 else 0.0 end) as actual_churn_rate
    from predictions
    where churn_probability is not null
    group by cohort_quarter_start
),

measured as (
    select
        cohorts.cohort_quarter_start,
        cohorts.cohort_quarter,
        case when scored.contracts > 0 then 'eligible' else 'warming_up' end as status,
        history.eligible_from_date,
        cohorts.contracts_ended,
        cohorts.contracts_pending,
        coalesce(scored.contracts, 0) as contracts,
        scored.actually_churned,
        scored.flagged_60d,
        {{ safe_divide('scored.flagged_60d', 'scored.actually_churned') }} as early_warning_rate,
        cast(scored.predicted_churn_rate as {{ type_double() }}) as predicted_churn_rate,
        cast(scored.actual_churn_rate as {{ type_double() }}) as actual_churn_rate,
        cast(100 * (scored.predicted_churn_rate - scored.actual_churn_rate) as {{ type_double() }}) as variance_pp
    from cohorts
    cross join history
    left join scored
        on cohorts.cohort_quarter_start = scored.cohort_quarter_start
),

final as (
    select
        measured.cohort_quarter,
        measured.cohort_quarter_start,
        measured.status,
        measured.eligible_from_date,
        cast(measured.contracts as {{ dbt.type_int() }}) as contracts,
        cast(measured.contracts_ended as {{ dbt.type_int() }}) as contracts_ended,
        cast(measured.contracts_pending as {{ dbt.type_int() }}) as contracts_pending,
        cast(measured.actually_churned as {{ dbt.type_int() }}) as actually_churned,
        cast(measured.flagged_60d as {{ dbt.type_int() }}) as flagged_60d,
        measured.early_warning_rate,
        measured.predicted_churn_rate,
        measured.actual_churn_rate,
        measured.variance_pp,
        early_warning.target as early_warning_target,
        variance.target as variance_target_pp,
        measured.early_warning_rate >= early_warning.target as meets_early_warning_target,
        abs(measured.variance_pp) <= variance.target as meets_variance_target
    from measured
    left join targets as early_warning
        on early_warning.metric = 'early_warning_rate'
    left join targets as variance
        on variance.metric = 'forecast_variance_pp'
)

select * from final
