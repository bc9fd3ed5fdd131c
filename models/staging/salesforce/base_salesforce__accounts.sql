{{ config(materialized='table') }}  {# many tests read it: triaged once per build #}
-- Every raw Salesforce account row, typed and checked, with what staging does with it. Checks,
-- first failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key, unparseable_date, future_date, out_of_range, unknown_enum (accounts have no parent, so
-- no orphaned_key check).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'account') }},
        {{ landed_row('salesforce', 'account', ['id', 'name', 'type', 'industry', 'website', 'billing_country', 'number_of_employees', 'owner_id', 'segment_c', 'is_insider_c', 'csm_sentiment_c', 'account_status_c', 'arr_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('salesforce', 'account') }}
),

checked as {{ not_materialized() }} (
    select
        id as account_id,
        name as account_name,
        {{ clean_text('type') }} as account_type,
        industry,
        {{ clean_text('website') }} as website,
        billing_country,
        number_of_employees,
        owner_id,
        {{ clean_text('segment_c') }} as segment,
        is_insider_c as is_insider,
        nullif({{ clean_text('csm_sentiment_c') }}, '') as csm_sentiment,
        {{ clean_text('account_status_c') }} as account_status,
        arr_c as arr,
        {{ safe_cast('created_date', 'date') }} as created_date,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
            when {{ is_unparseable('created_date', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when arr_c < 0 or number_of_employees < 0 then 'out_of_range'
            when {{ is_unknown_value(clean_text('segment_c'), 'salesforce.account', 'segment_c') }}
                or {{ is_unknown_value(clean_text('account_status_c'), 'salesforce.account', 'account_status_c') }}
                or {{ is_unknown_value('nullif(' ~ clean_text('csm_sentiment_c') ~ ", '')", 'salesforce.account', 'csm_sentiment_c') }}
                then 'unknown_enum'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['account_id']) }}

select * from triaged
