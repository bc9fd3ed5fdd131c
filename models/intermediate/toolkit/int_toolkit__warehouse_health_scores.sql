{{ config(materialized="table") }}
-- The toolkit's health score of every customer account as of the as-of date (dimension and
-- overall scores, classifications, trends against the previous period, fired recommendation
-- rules), by the same rules as a portfolio file's (macros/toolkit/toolkit_health_scores.sql).

{{ toolkit_health_scores(ref('int_toolkit__warehouse_customers')) }}
