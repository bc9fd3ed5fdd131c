-- The scoring grid resolved per segment: a segment's own rows where it has them for a metric,
-- the 'all' rows otherwise, so component models join on the account's segment alone.

with

grid as (
    select * from {{ ref('health_scoring_grid') }}
),

segments as (
    select distinct segment from {{ ref('health_bands') }}
),

segment_specific as (
    select distinct
        component,
        metric,
        segment
    from grid
    where segment <> 'all'
),

resolved as (
    select
        segments.segment,
        grid.component,
        grid.metric,
        grid.lower_bound,
        grid.upper_bound,
        grid.score_at_lower,
        grid.score_at_upper
    from grid
    cross join segments
    -- the segment's own rows for this metric, if any (a join, not a correlated subquery in the
    -- join condition: Spark refuses that)
    left join segment_specific
        on grid.component = segment_specific.component
        and grid.metric = segment_specific.metric
        and segments.segment = segment_specific.segment
    where
        grid.segment = segments.segment
        or (grid.segment = 'all' and segment_specific.segment is null)
),

final as (
    select * from resolved
)

select * from final
