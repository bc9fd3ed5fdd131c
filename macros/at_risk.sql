-- "At risk", the one definition the validation, the at-risk list, the alerts and the dashboard
-- read: a health band is at risk when var at_risk_bands lists it. An account is at risk when its
-- band (score_band, after the CSM's override) is; a score on its own (the validation's history, a
-- backtest's rescoring) when it falls in an at-risk band of its segment, i.e. below the segment's
-- line in int_health__at_risk_lines.
{% macro is_at_risk_band(band) -%}
    ({{ band }} in ('{{ var("at_risk_bands") | join("', '") }}'))
{%- endmacro %}

-- The at-risk line of each segment of a bands relation shaped like seeds/health/health_bands.csv
-- (segment, band, min_score): the lowest min_score of the segment's bands that are not at risk
-- (the at-risk bands are the lowest ones). int_health__at_risk_lines applies it to the seed, a
-- backtest to a candidate's bands.
{% macro at_risk_lines(bands) -%}
    select
        segment,
        min(min_score) as at_risk_below_score
    from {{ bands }}
    where not {{ is_at_risk_band('band') }}
    group by segment
{%- endmacro %}
