{{ config(materialized="table") }}
-- Every raw HubSpot company row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id), unparseable_date, future_date (property_createdate).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('hubspot', 'company') }},
        {{ landed_row('hubspot', 'company', ['id', 'property_name', 'property_domain', 'property_salesforce_account_id', 'property_industry', 'property_createdate', '_fivetran_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('hubspot', 'company') }}
),

checked as {{ not_materialized() }} (
    select
        id as company_id,
        property_name as company_name,
        nullif({{ clean_text('property_domain') }}, '') as domain,
        nullif(trim(property_salesforce_account_id), '') as salesforce_account_id,
        property_industry as industry,
        {{ safe_cast('property_createdate', 'date') }} as created_date,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
            when {{ is_unparseable('property_createdate', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('property_createdate') }} then 'future_date'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['company_id']) }}

select * from triaged
