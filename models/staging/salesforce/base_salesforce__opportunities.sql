{{ config(materialized="view") }}  {# a sync overwrites this table nightly: read it fresh, never keep a copy #}
-- Every raw Salesforce opportunity row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id, account_id), orphaned_key (account not in the raw
-- account table), unparseable_date, future_date (created_date only: close dates are legitimately
-- ahead), out_of_range (amount below 0, probability outside 0-100), unknown_enum (type, stage_name).

with

source as (
    select
        {{ source_columns('salesforce', 'opportunity') }}
    from {{ source('salesforce', 'opportunity') }}
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
        cast(source.contract_id_c as {{ dbt.type_string() }}) as contract_id_c,
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.type as {{ dbt.type_string() }}) as type,
        cast(source.stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(source.amount as {{ type_double() }}) as amount,
        cast(source.probability as {{ type_double() }}) as probability,
        cast(source.is_closed as {{ dbt.type_boolean() }}) as is_closed,
        cast(source.is_won as {{ dbt.type_boolean() }}) as is_won,
        cast(source.created_date as {{ dbt.type_string() }}) as created_date,
        cast(source.close_date as {{ dbt.type_string() }}) as close_date,
        cast(source.owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(source.is_deleted as {{ dbt.type_boolean() }}) as is_deleted,
        cast(source._fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
        known_accounts.account_id is not null as is_known_account
    from source
    left join known_accounts
        on cast(source.account_id as {{ dbt.type_string() }}) = known_accounts.account_id
),

checked as (
    select
        id as opportunity_id,
        account_id,
        nullif(trim(contract_id_c), '') as renewed_contract_id,
        name as opportunity_name,
        {{ clean_text('type') }} as opportunity_type,
        {{ clean_text('stage_name') }} as stage_name,
        amount,
        probability,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        {{ safe_cast('created_date', 'date') }} as created_date,
        {{ safe_cast('close_date', 'date') }} as close_date,
        owner_id,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'account_id', 'contract_id_c', 'name', 'type', 'stage_name', 'amount', 'probability', 'is_closed', 'is_won', 'created_date', 'close_date', 'owner_id', 'is_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null or account_id is null then 'null_key'
            when not is_known_account then 'orphaned_key'
            when {{ is_unparseable('created_date', 'date') }}
                or {{ is_unparseable('close_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when amount < 0 or probability < 0 or probability > 100 then 'out_of_range'
            when {{ is_unknown_value(clean_text('type'), 'salesforce.opportunity', 'type') }}
                or {{ is_unknown_value(clean_text('stage_name'), 'salesforce.opportunity', 'stage_name') }}
                then 'unknown_enum'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['opportunity_id']) }}

select * from triaged
