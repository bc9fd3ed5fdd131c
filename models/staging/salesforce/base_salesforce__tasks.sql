{{ config(materialized="table") }}
-- Every raw Salesforce task row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id, account_id), orphaned_key (account not in the raw
-- account table), unparseable_date, future_date (activity_date, created_date). Task type, status
-- and the custom classification are free enough that unknown values pass (the classifier maps
-- them to 'other').

with

source as (
    select
        {{ source_columns('salesforce', 'task') }}
    from {{ source('salesforce', 'task') }}
),

known_accounts as (
    {{ raw_parent_keys('salesforce', 'account', 'account_id', dbt.type_string()) }}
),

linked as (
    -- Each row with whether its parent keys exist in the raw parent tables.
    select
        source.*,
        known_accounts.account_id is not null as is_known_account
    from source
    left join known_accounts
        on source.account_id = known_accounts.account_id
),

checked as (
    select
        id as task_id,
        account_id,
        owner_id,
        trim(subject) as subject,
        {{ clean_text('type') }} as task_type,
        {{ clean_text('status') }} as task_status,
        {{ safe_cast('activity_date', 'date') }} as activity_date,
        nullif({{ clean_text('activity_type_c') }}, '') as activity_type_c,
        nullif({{ clean_text('health_check_type_c') }}, '') as health_check_type_c,
        {{ safe_cast('created_date', 'date') }} as created_date,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'account_id', 'owner_id', 'subject', 'type', 'status', 'activity_date', 'activity_type_c', 'health_check_type_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null or account_id is null then 'null_key'
            when not is_known_account then 'orphaned_key'
            when {{ is_unparseable('activity_date', 'date') }}
                or {{ is_unparseable('created_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('activity_date') }}
                or {{ is_after_sync('created_date') }}
                then 'future_date'
        end as quarantine_rule
    from linked
),

{{ triage('checked', ['task_id']) }}

select * from triaged
