{{ config(materialized="table") }}
-- Every raw HubSpot company row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id), unparseable_date, future_date (property_createdate).

with

source as (
    select
        {{ source_columns('hubspot', 'company') }}
    from {{ source('hubspot', 'company') }}
),

typed as (
    -- The declared types whatever the loader landed (a CSV lands text); dates stay text until checked.
    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(property_name as {{ dbt.type_string() }}) as property_name,
        cast(property_domain as {{ dbt.type_string() }}) as property_domain,
        cast(property_salesforce_account_id as {{ dbt.type_string() }}) as property_salesforce_account_id,
        cast(property_industry as {{ dbt.type_string() }}) as property_industry,
        cast(property_createdate as {{ dbt.type_string() }}) as property_createdate,
        cast(_fivetran_deleted as {{ dbt.type_boolean() }}) as _fivetran_deleted,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced
    from source
),

checked as (
    select
        id as company_id,
        property_name as company_name,
        nullif({{ clean_text('property_domain') }}, '') as domain,
        nullif(trim(property_salesforce_account_id), '') as salesforce_account_id,
        property_industry as industry,
        {{ safe_cast('property_createdate', 'date') }} as created_date,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'property_name', 'property_domain', 'property_salesforce_account_id', 'property_industry', 'property_createdate', '_fivetran_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null then 'null_key'
            when {{ is_unparseable('property_createdate', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('property_createdate') }} then 'future_date'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['company_id']) }}

select * from triaged
