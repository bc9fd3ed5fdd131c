{{ config(materialized="table") }}
-- Every raw Salesforce contract row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id, account_id), orphaned_key (account not in the raw
-- account table), unparseable_date, future_date (created_date only: terms legitimately end in the
-- future), out_of_range, unknown_enum (status).

with

source as (
    select
        {{ source_columns('salesforce', 'contract') }}
    from {{ source('salesforce', 'contract') }}
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
        cast(source.contract_number as {{ dbt.type_string() }}) as contract_number,
        cast(source.status as {{ dbt.type_string() }}) as status,
        cast(source.start_date as {{ dbt.type_string() }}) as start_date,
        cast(source.end_date as {{ dbt.type_string() }}) as end_date,
        cast(source.contract_term as {{ dbt.type_int() }}) as contract_term,
        cast(source.arr_c as {{ type_double() }}) as arr_c,
        cast(source.licensed_seats_c as {{ dbt.type_int() }}) as licensed_seats_c,
        cast(source.product_tier_c as {{ dbt.type_string() }}) as product_tier_c,
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
        id as contract_id,
        account_id,
        contract_number,
        {{ clean_text('status') }} as contract_status,
        {{ safe_cast('start_date', 'date') }} as start_date,
        {{ safe_cast('end_date', 'date') }} as end_date,
        contract_term as contract_term_months,
        arr_c as arr,
        licensed_seats_c as licensed_seats,
        {{ clean_text('product_tier_c') }} as product_tier,
        {{ safe_cast('created_date', 'date') }} as created_date,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'account_id', 'contract_number', 'status', 'start_date', 'end_date', 'contract_term', 'arr_c', 'licensed_seats_c', 'product_tier_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null or account_id is null then 'null_key'
            when not is_known_account then 'orphaned_key'
            when {{ is_unparseable('start_date', 'date') }}
                or {{ is_unparseable('end_date', 'date') }}
                or {{ is_unparseable('created_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when arr_c < 0 or licensed_seats_c < 0 or contract_term < 0 then 'out_of_range'
            when {{ is_unknown_value(clean_text('status'), 'salesforce.contract', 'status') }} then 'unknown_enum'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['contract_id']) }}

select * from triaged
