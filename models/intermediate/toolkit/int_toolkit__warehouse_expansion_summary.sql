{{ config(materialized="table") }}
-- The expansion potential of every customer account (seat utilisation, current tier, total
-- estimated revenue, opportunity count), by the same rules as a portfolio file's
-- (macros/toolkit/toolkit_expansion_summary.sql).

{{ toolkit_expansion_summary(
    ref('int_toolkit__warehouse_customers'),
    ref('int_toolkit__warehouse_expansion_opportunities'),
    ref('int_toolkit__warehouse_product_modules'),
    ref('int_toolkit__warehouse_list_members')
) }}
