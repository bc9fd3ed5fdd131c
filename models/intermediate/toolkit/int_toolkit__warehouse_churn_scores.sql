{{ config(materialized="table") }}
-- The toolkit's churn risk of every customer account as of the as-of date (signal-group scores,
-- raw score, days to renewal and urgency multiplier, risk score and tier), by the same rules as a
-- portfolio file's (macros/toolkit/toolkit_churn_scores.sql); days to renewal count from the
-- as-of date.

{{ toolkit_churn_scores(
    ref('int_toolkit__warehouse_customers'),
    'select ' ~ as_of_date() ~ ' as as_of_date'
) }}
