{{ config(materialized="table") }}
-- Every raw Salesforce user row, typed and checked, with what staging does with it.
-- Checks: null_key (id). Users carry no deleted flag (an inactive user is still a user).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'user') }}
    from {{ source('salesforce', 'user') }}
),

checked as {{ not_materialized() }} (
    select
        id as user_id,
        name as user_name,
        nullif({{ clean_text('email') }}, '') as email,
        title,
        manager_id,
        coalesce(is_active, false) as is_active,
        false as is_deleted_at_source,
        _fivetran_synced,
        {{ raw_row_of(['id', 'name', 'email', 'title', 'manager_id', 'is_active', '_fivetran_synced']) }} as raw_row,
        case
            when id is null then 'null_key'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['user_id']) }}

select * from triaged
