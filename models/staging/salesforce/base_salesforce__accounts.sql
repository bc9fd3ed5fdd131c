{{ config(materialized="view") }}  {# a sync overwrites this table nightly: read it fresh, never keep a copy #}
-- Every raw Salesforce account row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key, unparseable_date, future_date, out_of_range, unknown_enum
-- (accounts have no parent, so no orphaned_key check).

with

source as (
    select
        {{ source_columns('salesforce', 'account') }}
    from {{ source('salesforce', 'account') }}
),

typed as (
    -- The declared types whatever the loader landed (a CSV lands text); dates stay text until checked.
    select
        cast(id as {{ dbt.type_string() }}) as id,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(type as {{ dbt.type_string() }}) as type,
        cast(industry as {{ dbt.type_string() }}) as industry,
        cast(website as {{ dbt.type_string() }}) as website,
        cast(billing_country as {{ dbt.type_string() }}) as billing_country,
        cast(number_of_employees as {{ dbt.type_int() }}) as number_of_employees,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(segment_c as {{ dbt.type_string() }}) as segment_c,
        cast(is_insider_c as {{ dbt.type_boolean() }}) as is_insider_c,
        cast(csm_sentiment_c as {{ dbt.type_string() }}) as csm_sentiment_c,
        cast(account_status_c as {{ dbt.type_string() }}) as account_status_c,
        cast(arr_c as {{ type_double() }}) as arr_c,
        cast(created_date as {{ dbt.type_string() }}) as created_date,
        cast(is_deleted as {{ dbt.type_boolean() }}) as is_deleted,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced
    from source
),

checked as (
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
        coalesce(is_insider_c, false) as is_insider,
        nullif({{ clean_text('csm_sentiment_c') }}, '') as csm_sentiment,
        {{ clean_text('account_status_c') }} as account_status,
        arr_c as arr,
        {{ safe_cast('created_date', 'date') }} as created_date,
        coalesce(is_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'name', 'type', 'industry', 'website', 'billing_country', 'number_of_employees', 'owner_id', 'segment_c', 'is_insider_c', 'csm_sentiment_c', 'account_status_c', 'arr_c', 'created_date', 'is_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null then 'null_key'
            when {{ is_unparseable('created_date', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('created_date') }} then 'future_date'
            when arr_c < 0 or number_of_employees < 0 then 'out_of_range'
            when {{ is_unknown_value(clean_text('segment_c'), 'salesforce.account', 'segment_c') }}
                or {{ is_unknown_value(clean_text('account_status_c'), 'salesforce.account', 'account_status_c') }}
                or {{ is_unknown_value('nullif(' ~ clean_text('csm_sentiment_c') ~ ", '')", 'salesforce.account', 'csm_sentiment_c') }}
                then 'unknown_enum'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['account_id']) }}

select * from triaged
