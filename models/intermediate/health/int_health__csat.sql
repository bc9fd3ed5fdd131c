{{ config(tags=['health_component'], enabled=health_component_enabled('csat'), materialized='table') }}
-- Survey sentiment over the last survey_window_days: the account's NPS (promoters minus
-- detractors, -100 to 100) and its average training CSAT (1 to 5), from Alchemer responses
-- attributed through the respondent's e-mail. No responses: not applicable. The same CSAT as it
-- stood csat_trend_days earlier (over the survey_window_days up to then), for its trend.

with

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

as_of as (
    select max(as_of_date) as as_of_date from customers
),

responses as (
    select * from {{ ref('stg_alchemer__survey_responses') }}
),

respondents as (
    select * from {{ ref('int_identity__survey_respondents') }}
),

reference_dates as (
    select
        0 as period_offset,
        as_of_date as reference_date
    from as_of
    union all
    select
        1 as period_offset,
        cast({{ dbt.dateadd('day', -var('csat_trend_days'), 'as_of_date') }} as date) as reference_date
    from as_of
),

responses_in_window as (
    select
        reference_dates.period_offset,
        responses.*
    from responses
    inner join reference_dates
        on cast(responses.submitted_at as date) <= reference_dates.reference_date
        and cast(responses.submitted_at as date)
        > {{ dbt.dateadd('day', -var('survey_window_days'), 'reference_dates.reference_date') }}
    where not responses.is_test_data
),

per_account as (
    select
        respondents.account_id,
        responses.period_offset,
        count(responses.nps_score) as nps_responses,
        100 * {{ safe_divide(
            'sum(case when responses.nps_score >= 9 then 1 when responses.nps_score <= 6 then -1 else 0 end)',
            'count(responses.nps_score)') }} as nps,
        count(responses.csat_score) as csat_responses,
        avg(cast(responses.csat_score as {{ type_double() }})) as training_csat
    from responses_in_window as responses
    inner join respondents
        on responses.survey_response_id = respondents.survey_response_id
    where respondents.account_id is not null
    group by respondents.account_id, responses.period_offset
),

measured as (
    select
        customers.account_id,
        customers.segment,
        coalesce(per_account.nps_responses, 0) as nps_responses,
        per_account.nps,
        coalesce(per_account.csat_responses, 0) as csat_responses,
        per_account.training_csat,
        earlier.training_csat as previous_training_csat
    from customers
    left join per_account
        on customers.account_id = per_account.account_id
        and per_account.period_offset = 0
    left join per_account as earlier
        on customers.account_id = earlier.account_id
        and earlier.period_offset = 1
),

{{ component_metric_scores('measured', 'csat', ['nps', 'training_csat']) }},

final as (
    select
        measured.account_id,
        measured.nps_responses,
        measured.nps,
        measured.csat_responses,
        measured.training_csat,
        measured.previous_training_csat,
        measured.nps as raw_value,
        case when component_scores.score is null then 'no survey answer in the last {{ var("survey_window_days") }} days' end as not_applicable_reason,
        component_scores.score
    from measured
    left join component_scores
        on measured.account_id = component_scores.account_id
)

select * from final
