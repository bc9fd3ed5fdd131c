-- The toolkit's health score for each customer of the loaded portfolio: the four dimension
-- scores (usage, engagement, support, relationship) against the segment's benchmarks, the weighted
-- overall score, the green/yellow/red classification against the segment's thresholds, the trend
-- of each against the previous period, and which recommendation rules fire.
-- The rules are in macros/toolkit/toolkit_health_scores.sql, shared with the warehouse's accounts.

{{ toolkit_health_scores(ref('int_toolkit_portfolio__customers')) }}
