{{ config(materialized="table") }}
-- Every expansion opportunity the toolkit finds for every customer account (seats, tier upgrade;
-- no modules or departments: our sources hold neither), by the same rules as a portfolio file's
-- (macros/toolkit/toolkit_expansion_opportunities.sql).

{{ toolkit_expansion_opportunities(
    ref('int_toolkit__warehouse_customers'),
    ref('int_toolkit__warehouse_list_members'),
    ref('int_toolkit__warehouse_product_modules')
) }}
