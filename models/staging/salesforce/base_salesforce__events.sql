{{ config(materialized="table") }}
-- Every raw Salesforce event row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id, account_id), orphaned_key (account not in the raw
-- account table), unparseable_date, future_date (activity_date, created_date), out_of_range
-- (negative duration). Event type and the custom classification are not checked (the classifier
-- maps unknown values to 'other').

with

source as (
    select
        {{ source_columns('salesforce', 'event') }}
    from {{ source('salesforce', 'event') }}
),

known_accounts as (
    -- Every account id the raw table holds, deleted or quarantined or not: only a key missing here is orphaned.
    select distinct cast(id as {{ dbt.type_string() }}) as account_id
    from {{ source('salesforce', 'account') }}
    where id is not null
),

typed as (
    -- The declared types whatever the loader landed (a CSV lands text); dates stay text until checked.
    select
        cast(source.id as {{ dbt.type_string() }}) as id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(source.subject as {{ dbt.type_string() }}) as subject,
        cast(source.type as {{ dbt.type_string() }}) as type,
        cast(source.activity_date as {{ dbt.type_string() }}) as activity_date,
        cast(source.duration_in_minutes as {{ dbt.type_int() }}) as duration_in_minutes,
        cast(source.activity_type_c as {{ dbt.type_string() }}) as activity_type_c,
        cast(source.health_check_type_c as {{ dbt.type_string() }}) as health_check_type_c,
        cast(source.created_date as {{ dbt.type_string() }}) as created_date,
        cast(source.is_deleted as {{ dbt.type_boolean() }}) as is_deleted,
        cast(source._fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
        known_accounts.account_id is not null as is_known_account
    from source
    left join known_accounts
        on cast(source.account_id as {{ dbt.type_string() }}) = known_accounts.account_id
),

checked as (
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
        {{ json_object_of(['id', 'account_id', 'owner_id', 'subject', 'type', 'activity_date', 'duration_in_minutes', 'activity_type_c', 'health_check_type_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null or account_id is null then 'null_key'
            when not is_known_account then 'orphaned_key'
            when {{ is_unparseable('activity_date', 'date') }}
                or {{ is_unparseable('created_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('activity_date') }}
                or {{ is_after_sync('created_date') }}
                then 'future_date'
            when duration_in_minutes < 0 then 'out_of_range'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['event_id']) }}

select * from triaged
