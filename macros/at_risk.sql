-- "At risk", the one definition the validation, the at-risk list, the alerts and the dashboard
-- read: a health band is at risk when var at_risk_bands lists it. An account is at risk when its
-- band (score_band, after the CSM's override) is; a score on its own (the validation's history, a
-- backtest's rescoring) when it falls in an at-risk band of its segment, i.e. below the segment's
-- line in int_health__at_risk_lines.
{% macro is_at_risk_band(band) -%}
    ({{ band }} in ('{{ var("at_risk_bands") | join("', '") }}'))
{%- endmacro %}
