{{ config(materialized="incremental", unique_key=["ticket_id"]) }}  {# append-mostly and large: a run triages only what changed #}
-- Every raw support ticket row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id, account_id), orphaned_key (account not in the raw Salesforce account table),
-- unparseable_date (created_at, solved_at), future_date (created_at), out_of_range (CSAT outside
-- 1-5), unknown_enum (priority, status). An open ticket has no solved_at.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('support', 'ticket') }},
        {{ landed_row('support', 'ticket', ['id', 'account_id', 'subject', 'priority', 'status', 'created_at', 'solved_at', 'is_escalated', 'csat_score', '_fivetran_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('support', 'ticket') }}
),

checked as {{ not_materialized() }} (
    select
        id as ticket_id,
        account_id,
        subject,
        {{ clean_text('priority') }} as priority,
        {{ clean_text('status') }} as ticket_status,
        {{ safe_cast('created_at', 'timestamp') }} as created_at,
        {{ safe_cast('solved_at', 'timestamp') }} as solved_at,
        coalesce(is_escalated, false) as is_escalated,
        csat_score,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_unparseable('created_at', 'timestamp') }}
                or {{ is_unparseable('solved_at', 'timestamp') }}
                then 'unparseable_date'
            when {{ is_after_sync('created_at') }} then 'future_date'
            when csat_score < 1 or csat_score > 5 then 'out_of_range'
            when {{ is_unknown_value(clean_text('priority'), 'support.ticket', 'priority') }}
                or {{ is_unknown_value(clean_text('status'), 'support.ticket', 'status') }}
                then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['ticket_id']) }}

select * from triaged
