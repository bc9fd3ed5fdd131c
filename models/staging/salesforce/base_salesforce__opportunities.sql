{{ config(materialized='table') }}  {# many tests read it: triaged once per build #}
-- Every raw Salesforce opportunity row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id, account_id), orphaned_key (account not in the raw account table), unparseable_date,
-- future_date (created_date only: close dates are legitimately ahead), out_of_range (amount below
-- 0, probability outside 0-100), unknown_enum (type, stage_name).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'opportunity') }},
        {{ landed_row('salesforce', 'opportunity', ['id', 'account_id', 'contract_id_c', 'name', 'type', 'stage_name', 'amount', 'probability', 'is_closed', 'is_won', 'created_date', 'close_date', 'owner_id', 'is_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('salesforce', 'opportunity') }}
),

checked as {{ not_materialized() }} (
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
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_unparseable('created_date', 'date') }}
                or {{ is_unparseable('close_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when amount < 0 or probability < 0 or probability > 100 then 'out_of_range'
            when {{ is_unknown_value(clean_text('type'), 'salesforce.opportunity', 'type') }}
                or {{ is_unknown_value(clean_text('stage_name'), 'salesforce.opportunity', 'stage_name') }}
                then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['opportunity_id']) }}

select * from triaged
