{{ config(materialized="view") }}  {# a sync overwrites this table nightly: read it fresh, never keep a copy #}
-- Every raw churn prediction row, typed and checked, with what staging does with it.
-- Checks, first failing wins: null_key (contract_id, account_id), orphaned_key (a contract or an
-- account the raw Salesforce tables do not hold), out_of_range (probability outside 0-1).
-- The model's output has no sync column: scored_at plays _fivetran_synced (the latest score wins)
-- and nothing is ever marked deleted.

with

source as (
    select
        {{ source_columns('ml', 'churn_prediction') }}
    from {{ source('ml', 'churn_prediction') }}
),

known_accounts as (
    {{ raw_parent_keys('salesforce', 'account', 'account_id', dbt.type_string()) }}
),

known_contracts as (
    {{ raw_parent_keys('salesforce', 'contract', 'contract_id', dbt.type_string()) }}
),

linked as (
    -- Each row with whether its parent keys exist in the raw parent tables.
    select
        source.*,
        known_accounts.account_id is not null as is_known_account,
        known_contracts.contract_id is not null as is_known_contract
    from source
    left join known_accounts
        on source.account_id = known_accounts.account_id
    left join known_contracts
        on source.contract_id = known_contracts.contract_id
),

checked as (
    select
        contract_id,
        account_id,
        churn_probability,
        trim(model_version) as model_version,
        scored_at,
        false as is_deleted_at_source,
        scored_at as _fivetran_synced,
        {{ json_object_of(['contract_id', 'account_id', 'churn_probability', 'model_version', 'scored_at']) }} as row_fingerprint,
        case
            when contract_id is null or account_id is null then 'null_key'
            when not is_known_account or not is_known_contract then 'orphaned_key'
            when churn_probability < 0 or churn_probability > 1 then 'out_of_range'
        end as quarantine_rule
    from linked
),

{{ triage('checked', ['contract_id']) }}

select * from triaged
