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
    inner join segments
        on grid.segment = segments.segment
        or (
            grid.segment = 'all'
            and not exists (
                select 1
                from segment_specific
                where segment_specific.component = grid.component
                    and segment_specific.metric = grid.metric
                    and segment_specific.segment = segments.segment
            )
        )
),

final as (
    select * from resolved
)

select * from final
