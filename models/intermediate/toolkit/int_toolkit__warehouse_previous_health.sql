{{ config(materialized="table") }}
-- The toolkit's health score of every customer account as it stood one toolkit period ago (the
-- current period's previous_period), by the same rules as a portfolio file's
-- (macros/toolkit/toolkit_health_scores.sql).

{{ toolkit_health_scores(ref('int_toolkit__warehouse_previous_customers')) }}
