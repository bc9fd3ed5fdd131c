-- Alchemer survey responses: one row per live response, respondent e-mail trimmed and lower-cased.

with

survey_responses as (
    select * from {{ ref('base_alchemer__survey_responses') }}
    where disposition = 'staged'
),

final as (
    select
        survey_response_id,
        survey_id,
        survey_title,
        respondent_email,
        response_status,
        submitted_at,
        nps_score,
        csat_score,
        is_test_data,
        _fivetran_synced
    from survey_responses
)

select * from final
