-- The toolkit's churn risk for each customer of the loaded portfolio: the five signal-group
-- scores, the weighted raw score, the days to renewal (from the portfolio's as-of date) and their
-- urgency multiplier, the adjusted risk score and its tier.
-- The rules are in macros/toolkit/toolkit_churn_scores.sql, shared with the warehouse's accounts.

{{ toolkit_churn_scores(
    ref('int_toolkit_portfolio__customers'),
    'select as_of_date from ' ~ ref('stg_toolkit__portfolio')
) }}
