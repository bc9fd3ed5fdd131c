-- Every Salesforce account with its ids across Salesforce and HubSpot, names, segment, owner and
-- cohort flags, and whether it is a customer (a contract in force) on the as-of date, with the ARR
-- tier of its ARR then (int_segmentation__arr_tiers).

with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

customers as (
    select * from {{ ref('int_accounts__customers') }}
),

arr_tiers as (
    select * from {{ ref('int_segmentation__arr_tiers') }}
),

{% if 'hubspot' in enabled_sources() %}
companies as (
    select * from {{ ref('int_identity__hubspot_companies') }}
),

hubspot_links as (
    select
        account_id,
        min(company_id) as hubspot_company_id,
        count(*) as hubspot_companies
    from companies
    where account_id is not null
    group by account_id
),
{% else %}
hubspot_links as (
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_bigint() }}) as hubspot_company_id,
        cast(null as {{ dbt.type_bigint() }}) as hubspot_companies
    where 1 = 0
),
{% endif %}

final as (
    select
        accounts.account_id,
        hubspot_links.hubspot_company_id,
        cast(coalesce(hubspot_links.hubspot_companies, 0) as {{ dbt.type_int() }}) as hubspot_companies,
        accounts.account_name,
        accounts.industry,
        accounts.website,
        coalesce(accounts.segment, '{{ var("default_segment") }}') as segment,
        accounts.owner_id as csm_owner_id,
        users.user_name as csm_name,
        accounts.is_insider,
        customers.account_id is not null as is_customer,
        customers.current_contract_id,
        customers.first_contract_start_date,
        cast(customers.arr as {{ type_double() }}) as arr,
        arr_tiers.arr_tier,
        accounts.created_date as account_created_date,
        {{ as_of_date() }} as as_of_date
    from accounts
    left join users
        on accounts.owner_id = users.user_id
    left join customers
        on accounts.account_id = customers.account_id
    left join hubspot_links
        on accounts.account_id = hubspot_links.account_id
    left join arr_tiers
        on customers.arr >= arr_tiers.min_arr
        and (arr_tiers.max_arr is null or customers.arr < arr_tiers.max_arr)
)

select * from final
