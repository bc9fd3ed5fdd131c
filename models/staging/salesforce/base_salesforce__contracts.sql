{{ config(materialized="table") }}
-- Every raw Salesforce contract row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id, account_id), orphaned_key (account not in the raw account table), unparseable_date,
-- future_date (created_date only: terms legitimately end in the future), out_of_range, unknown_enum
-- (status).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'contract') }},
        {{ landed_row('salesforce', 'contract', ['id', 'account_id', 'contract_number', 'status', 'start_date', 'end_date', 'contract_term', 'arr_c', 'licensed_seats_c', 'product_tier_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('salesforce', 'contract') }}
),

checked as {{ not_materialized() }} (
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
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }} then 'orphaned_key'
            when {{ is_unparseable('start_date', 'date') }}
                or {{ is_unparseable('end_date', 'date') }}
                or {{ is_unparseable('created_date', 'date') }}
                then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when arr_c < 0 or licensed_seats_c < 0 or contract_term < 0 then 'out_of_range'
            when {{ is_unknown_value(clean_text('status'), 'salesforce.contract', 'status') }} then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['contract_id']) }}

select * from triaged
