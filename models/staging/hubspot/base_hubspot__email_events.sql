{{ config(materialized="incremental", unique_key=["email_event_id"]) }}  {# append-mostly and large: a run triages only what changed #}
-- Every raw HubSpot e-mail event row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id, email_campaign_id, recipient), orphaned_key (a campaign the raw campaign table does
-- not hold), future_date (created), unknown_enum (type). Events carry no deleted flag.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('hubspot', 'email_event') }},
        {{ landed_row('hubspot', 'email_event', ['id', 'email_campaign_id', 'recipient', 'type', 'created', 'filtered_event', '_fivetran_synced']) }} as raw_row
    from {{ source('hubspot', 'email_event') }}
),

checked as {{ not_materialized() }} (
    select
        id as email_event_id,
        email_campaign_id,
        nullif({{ clean_text('recipient') }}, '') as recipient_email,
        {{ clean_text('type') }} as event_type,
        created as created_at,
        coalesce(filtered_event, false) as is_filtered_event,
        false as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or email_campaign_id is null or nullif(trim(recipient), '') is null then 'null_key'
            when {{ is_orphaned('email_campaign_id', 'hubspot', 'email_campaign', dbt.type_bigint()) }} then 'orphaned_key'
            when {{ is_after_sync('created') }} then 'future_date'
            when {{ is_unknown_value(clean_text('type'), 'hubspot.email_event', 'type') }} then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['email_event_id']) }}

select * from triaged
