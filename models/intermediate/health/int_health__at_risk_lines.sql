-- Per segment, the at-risk line: the health score below which a score falls in an at-risk band
-- (var at_risk_bands, read through is_at_risk_band): the lowest score of the segment's bands that
-- are not at risk (seeds/health/health_bands.csv, macro at_risk_lines).

with

bands as (
    select * from {{ ref('health_bands') }}
),

final as (
    {{ at_risk_lines('bands') }}
)

select * from final
