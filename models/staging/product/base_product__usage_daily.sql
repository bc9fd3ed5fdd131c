{{ config(materialized="incremental", unique_key=["account_id", "usage_date"]) }}  {# append-mostly and large: a run triages only what changed #}
-- Every raw product usage row (account x day), typed and checked, with what staging does with it.
-- Checks, first failing wins: unparseable_value (any typed column whose value does not parse as its
-- type), null_key (account_id, usage_date), orphaned_key (account not in the raw Salesforce account
-- table), future_date (usage_date), out_of_range (a negative count or seat number; more active
-- users than seats is over-use, not a defect).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('product', 'usage_daily') }},
        {{ landed_row('product', 'usage_daily', ['account_id', 'usage_date', 'active_users', 'logins', 'saved_searches', 'report_downloads', 'licensed_seats', '_fivetran_synced']) }} as raw_row
    from {{ source('product', 'usage_daily') }}
),

checked as {{ not_materialized() }} (
    select
        account_id,
        usage_date,
        active_users,
        logins,
        saved_searches,
        report_downloads,
        licensed_seats,
        false as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when account_id is null or usage_date is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_after_sync('usage_date') }} then 'future_date'
            when active_users < 0 or logins < 0 or saved_searches < 0 or report_downloads < 0
                or licensed_seats < 0
                then 'out_of_range'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['account_id', 'usage_date']) }}

select * from triaged
