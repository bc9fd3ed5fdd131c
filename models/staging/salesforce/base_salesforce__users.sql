{{ config(materialized="table") }}
-- Every raw Salesforce user row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (id). Users carry no deleted flag (an inactive user is still a user).

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('salesforce', 'user') }},
        {{ landed_row('salesforce', 'user', ['id', 'name', 'email', 'title', 'manager_id', 'is_active', '_fivetran_synced']) }} as raw_row
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
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when id is null then 'null_key'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['user_id']) }}

select * from triaged
