{{ config(materialized="table") }}
-- Every raw HubSpot contact row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id), orphaned_key (a company id that the raw company table does not hold),
-- unparseable_date, future_date (property_createdate). A contact with no company is staged: it is
-- unmatched, not broken.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('hubspot', 'contact') }},
        {{ landed_row('hubspot', 'contact', ['id', 'property_email', 'property_firstname', 'property_lastname', 'property_jobtitle', 'property_associatedcompanyid', 'property_createdate', '_fivetran_deleted', '_fivetran_synced']) }} as raw_row
    from {{ source('hubspot', 'contact') }}
),

checked as {{ not_materialized() }} (
    select
        id as contact_id,
        nullif({{ clean_text('property_email') }}, '') as email,
        property_firstname as first_name,
        property_lastname as last_name,
        property_jobtitle as job_title,
        property_associatedcompanyid as company_id,
        {{ safe_cast('property_createdate', 'date') }} as created_date,
        coalesce(_fivetran_deleted, false) as is_deleted_at_source,
        _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
            when {{ is_orphaned('property_associatedcompanyid', 'hubspot', 'company', dbt.type_bigint()) }} then 'orphaned_key'
            when {{ is_unparseable('property_createdate', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('property_createdate') }} then 'future_date'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['contact_id']) }}

select * from triaged
