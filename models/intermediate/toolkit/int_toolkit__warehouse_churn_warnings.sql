{{ config(materialized="table") }}
-- The churn risk analyzer's warning signals for every customer account, one row per warning in
-- the analyzer's order, by the same rules as a portfolio file's
-- (macros/toolkit/toolkit_churn_warnings.sql).

{{ toolkit_churn_warnings(ref('int_toolkit__warehouse_customers'), ref('int_toolkit__warehouse_churn_scores')) }}
