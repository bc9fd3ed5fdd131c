{{ config(materialized="table") }}
-- Every raw HubSpot e-mail campaign row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id). Campaigns carry no deleted flag.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('hubspot', 'email_campaign') }},
        {{ landed_row('hubspot', 'email_campaign', ['id', 'app_id', 'app_name', 'name', 'subject', 'type', '_fivetran_synced']) }} as raw_row
    from {{ source('hubspot', 'email_campaign') }}
),

checked as {{ not_materialized() }} (
    select
        id as email_campaign_id,
        app_id,
        app_name,
        trim(name) as campaign_name,
        subject,
        {{ clean_text('type') }} as campaign_type,
        false as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['email_campaign_id']) }}

select * from triaged
