-- The churn risk analyzer's warning signals for each customer of the loaded portfolio, one row per
-- warning, numbered in the analyzer's order: by severity, highest first, then as raised.
-- The rules are in macros/toolkit/toolkit_churn_warnings.sql, shared with the warehouse's accounts.

{{ toolkit_churn_warnings(ref('int_toolkit_portfolio__customers'), ref('int_toolkit_portfolio__churn_scores')) }}
