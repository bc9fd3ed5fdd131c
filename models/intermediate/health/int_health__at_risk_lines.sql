-- Per segment, the at-risk line: the health score below which a score falls in an at-risk band
-- (var at_risk_bands, read through is_at_risk_band): the lowest score of the segment's bands that
-- are not at risk (seeds/health/health_bands.csv). The at-risk bands are the lowest ones.

with

bands as (
    select * from {{ ref('health_bands') }}
),

final as (
    select
        segment,
        min(min_score) as at_risk_below_score
    from bands
    where not {{ is_at_risk_band('band') }}
    group by segment
)

select * from final
