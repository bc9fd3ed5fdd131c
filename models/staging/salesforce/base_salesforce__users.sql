{{ config(materialized="table") }}
-- Every raw Salesforce user row, typed and checked, with what staging does with it.
-- Checks: null_key (id). Users carry no deleted flag (an inactive user is still a user).

with

source as (
    select
        {{ source_columns('salesforce', 'user') }}
    from {{ source('salesforce', 'user') }}
),

typed as (
    -- The declared types whatever the loader landed (a CSV lands text).
    select
        cast(id as {{ dbt.type_string() }}) as id,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(manager_id as {{ dbt.type_string() }}) as manager_id,
        cast(is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced
    from source
),

checked as (
    select
        id as user_id,
        name as user_name,
        nullif({{ clean_text('email') }}, '') as email,
        title,
        manager_id,
        coalesce(is_active, false) as is_active,
        false as is_deleted_at_source,
        _fivetran_synced,
        {{ json_object_of(['id', 'name', 'email', 'title', 'manager_id', 'is_active', '_fivetran_synced']) }} as row_fingerprint,
        case
            when id is null then 'null_key'
        end as quarantine_rule
    from typed
),

{{ triage('checked', ['user_id']) }}

select * from triaged
