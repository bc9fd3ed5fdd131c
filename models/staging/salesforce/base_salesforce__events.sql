{{ config(materialized="incremental", unique_key=["event_id"]) }}  {# append-mostly and large: a run triages only what changed #}
-- Every raw Salesforce event row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id, account_id), orphaned_key (account not in the raw account table), unparseable_date,
-- future_date (activity_date, created_date), out_of_range (negative duration). Event type and the
-- custom classification are not checked (the classifier maps unknown values to 'other').

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'event') }},
        {{ landed_row('salesforce', 'event', ['id', 'account_id', 'owner_id', 'subject', 'type', 'activity_date', 'duration_in_minutes', 'activity_type_c', 'health_check_type_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('salesforce', 'event') }}
),

checked as {{ not_materialized() }} (
    select
        id as event_id,
        account_id,
        owner_id,
        trim(subject) as subject,
        {{ clean_text('type') }} as event_type,
        {{ safe_cast('activity_date', 'date') }} as activity_date,
        duration_in_minutes,
        nullif({{ clean_text('activity_type_c') }}, '') as activity_type_c,
        nullif({{ clean_text('health_check_type_c') }}, '') as health_check_type_c,
        {{ safe_cast('created_date', 'date') }} as created_date,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_unparseable('activity_date', 'date') }}
                or {{ is_unparseable('created_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('activity_date') }}
                or {{ is_after_sync('created_date') }}
                then 'future_date'
            when duration_in_minutes < 0 then 'out_of_range'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['event_id']) }}

select * from triaged
