{{ config(materialized="table") }}
-- Every raw Alchemer survey response row, typed and checked, with what staging does with it.
-- Checks, first failing wins: unparseable_value (any typed column whose value does not parse as its
-- type), null_key (id, respondent_email), unparseable_date, future_date (submitted_at),
-- out_of_range (NPS outside 0-10, CSAT outside 1-5), unknown_enum (status). Test submissions are
-- kept and flagged; the models that score responses leave them out.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('alchemer', 'survey_response') }},
        {{ landed_row('alchemer', 'survey_response', ['id', 'survey_id', 'survey_title', 'respondent_email', 'status', 'submitted_at', 'nps_score', 'csat_score', 'is_test_data', '_fivetran_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('alchemer', 'survey_response') }}
),

checked as {{ not_materialized() }} (
    select
        id as survey_response_id,
        survey_id,
        trim(survey_title) as survey_title,
        nullif({{ clean_text('respondent_email') }}, '') as respondent_email,
        {{ clean_text('status') }} as response_status,
        {{ safe_cast('submitted_at', 'timestamp') }} as submitted_at,
        nps_score,
        csat_score,
        coalesce(is_test_data, false) as is_test_data,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or nullif(trim(respondent_email), '') is null then 'null_key'
            when {{ is_unparseable('submitted_at', 'timestamp') }} then 'unparseable_date'
            when {{ is_after_sync('submitted_at') }} then 'future_date'
            when nps_score < 0 or nps_score > 10 or csat_score < 1 or csat_score > 5 then 'out_of_range'
            when {{ is_unknown_value(clean_text('status'), 'alchemer.survey_response', 'status') }} then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['survey_response_id']) }}

select * from triaged
