{{ config(materialized='table') }}  {# many tests read it: triaged once per build #}
-- Every raw churn prediction row, typed and checked, with what staging does with it. Checks, first
-- failing wins: unparseable_value (any typed column whose value does not parse as its type),
-- null_key (contract_id, account_id), orphaned_key (a contract or an account the raw Salesforce
-- tables do not hold), out_of_range (probability outside 0-1). The model's output has no sync
-- column: scored_at plays _fivetran_synced (the latest score wins) and nothing is ever marked
-- deleted.

with

source as {{ not_materialized() }} (
    select
        {{ source_columns('ml', 'churn_prediction') }},
        {{ landed_row('ml', 'churn_prediction', ['contract_id', 'account_id', 'churn_probability', 'model_version', 'scored_at']) }} as raw_row
    from {{ source('ml', 'churn_prediction') }}
),

checked as {{ not_materialized() }} (
    select
        contract_id,
        account_id,
        churn_probability,
        trim(model_version) as model_version,
        scored_at,
        false as is_deleted_at_source,
        scored_at as _fivetran_synced,
        unparseable_columns,
        raw_row,
        case
            when unparseable_columns is not null then 'unparseable_value'
            when contract_id is null or account_id is null then 'null_key'
            when {{ is_orphaned('account_id', 'salesforce', 'account', dbt.type_string()) }}
                or {{ is_orphaned('contract_id', 'salesforce', 'contract', dbt.type_string()) }} then 'orphaned_key'
            when churn_probability < 0 or churn_probability > 1 then 'out_of_range'
        end as quarantine_rule
    from source
),

{{ triage('checked', ['contract_id']) }}

select * from triaged
