{{ config(materialized="table") }}
-- Every raw HubSpot contact row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (id), orphaned_key (a company id that the raw company table
-- does not hold), unparseable_date, future_date (property_createdate). A contact with no company
-- is staged: it is unmatched, not broken.

with

source as (
    select
        {{ source_columns('hubspot', 'contact') }}
    from {{ source('hubspot', 'contact') }}
),

known_companies as (
    {{ raw_parent_keys('hubspot', 'company', 'company_id', dbt.type_bigint()) }}
),

linked as (
    -- Each row with whether its parent keys exist in the raw parent tables.
    select
        source.*,
        known_companies.company_id is not null as is_known_company
    from source
    left join known_companies
        on source.property_associatedcompanyid = known_companies.company_id
),

checked as (
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
        {{ json_object_of(['id', 'property_email', 'property_firstname', 'property_lastname', 'property_jobtitle', 'property_associatedcompanyid', 'property_createdate', '_fivetran_deleted', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null then 'null_key'
            when property_associatedcompanyid is not null and not is_known_company then 'orphaned_key'
            when {{ is_unparseable('property_createdate', 'date') }} then 'unparseable_date'
            when {{ is_after_sync('property_createdate') }} then 'future_date'
        end as quarantine_rule
    from linked
),

{{ triage('checked', ['contact_id']) }}

select * from triaged
