{{ config(materialized="incremental", unique_key=["user_id", "activity_date"]) }}  {# append-only and the largest product table: a run triages only what changed #}
-- Every raw user activity row (user x day), typed and checked, with what staging does with it.
-- Checks, first failing wins: unparseable_value (any typed column whose value does not parse as its
-- type), null_key (user_id, activity_date, account_id), orphaned_key (account not in the raw
-- Salesforce account table), future_date (activity_date), out_of_range (negative events). An
-- optional table: a warehouse without it stages no rows (landed_source).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('product', 'user_activity_daily') }},
        {{ landed_row('product', 'user_activity_daily', ['user_id', 'account_id', 'activity_date', 'events', '_fivetran_synced']) }} as raw_row
    from {{ landed_source('product', 'user_activity_daily') }}
),

checked as {{ not_materialized() }} (
    select
        user_id,
        account_id,
        activity_date,
        events,
        false as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when user_id is null or activity_date is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_after_sync('activity_date') }} then 'future_date'
            when events < 0 then 'out_of_range'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['user_id', 'activity_date']) }}

select * from triaged
