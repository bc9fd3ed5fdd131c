{{ config(materialized="incremental", unique_key=["engagement_id"]) }}  {# append-mostly and large: a run triages only what changed #}
-- Every raw HubSpot engagement row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id), orphaned_key (a company id the raw company table does not hold; no company at all
-- is allowed), unparseable_date, future_date (property_hs_timestamp), unknown_enum (type).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('hubspot', 'engagement') }},
        {{ landed_row('hubspot', 'engagement', ['id', 'type', 'company_id', 'owner_id', 'property_hs_meeting_title', 'property_hs_timestamp', '_fivetran_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('hubspot', 'engagement') }}
),

checked as {{ not_materialized() }} (
    select
        id as engagement_id,
        {{ clean_text('type') }} as engagement_type,
        company_id,
        owner_id,
        trim(property_hs_meeting_title) as meeting_title,
        {{ safe_cast('property_hs_timestamp', 'timestamp') }} as occurred_at,
        {{ safe_cast('property_hs_timestamp', 'date') }} as engagement_date,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
            when {{ is_orphaned('company_id', 'hubspot', 'company', dbt.type_bigint()) }} then 'orphaned_key'
            when {{ is_unparseable('property_hs_timestamp', 'timestamp') }} then 'unparseable_date'
            when {{ is_after_sync('property_hs_timestamp') }} then 'future_date'
            when {{ is_unknown_value(clean_text('type'), 'hubspot.engagement', 'type') }} then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['engagement_id']) }}

select * from triaged
