-- Threshold calibration: how churn divides across each segment's health bands when the
-- score is read forecast_lookback_days (60) before a contract's end. The score as the nightly
-- history recorded it then is placed in the bands seeds/health/health_bands.csv sets now (the
-- thresholds under review). Per segment and band: the decided renewals, the churned, the churn rate
-- and its lift over the segment's, and from the worst band up to this one the share of the
-- segment's churns caught (recall) and the churn rate among them (precision). Bands whose churn
-- rates do not fall towards Healthy, or a line that catches few churns, are the thresholds to move.

with

predictions as (
    select * from {{ ref('int_forecast__contract_predictions') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

scored as (
    select
        predictions.contract_id,
        history.segment,
        history.health_score,
        case when predictions.is_churned then 1 else 0 end as churned
    from predictions
    inner join history
        on predictions.account_id = history.account_id
        and {{ snapshot_valid_on('predictions.lookback_date', 'history') }}
),

banded as (
    select
        scored.contract_id,
        scored.segment,
        scored.churned,
        min(bands.band_rank) as band_rank
    from scored
    inner join bands
        on scored.segment = bands.segment
        and scored.health_score >= bands.min_score
    group by scored.contract_id, scored.segment, scored.churned
),

counted as (
    select
        bands.segment,
        bands.band_rank,
        bands.band,
        bands.min_score,
        count(banded.contract_id) as contracts,
        coalesce(sum(banded.churned), 0) as churned
    from bands
    left join banded
        on bands.segment = banded.segment
        and bands.band_rank = banded.band_rank
    group by bands.segment, bands.band_rank, bands.band, bands.min_score
),

cumulative as (
    select
        counted.*,
        sum(contracts) over (partition by segment) as segment_contracts,
        sum(churned) over (partition by segment) as segment_churned,
        sum(contracts) over (
            partition by segment order by band_rank desc rows between unbounded preceding and current row
        ) as contracts_at_or_below,
        sum(churned) over (
            partition by segment order by band_rank desc rows between unbounded preceding and current row
        ) as churned_at_or_below
    from counted
),

final as (
    select
        segment,
        band_rank,
        band,
        min_score,
        contracts,
        churned,
        {{ safe_divide('churned', 'contracts') }} as churn_rate,
        {{ safe_divide('churned', 'contracts') }} / nullif({{ safe_divide('segment_churned', 'segment_contracts') }}, 0)
            as lift,
        {{ safe_divide('churned_at_or_below', 'segment_churned') }} as churns_caught_at_or_below,
        {{ safe_divide('churned_at_or_below', 'contracts_at_or_below') }} as churn_rate_at_or_below
    from cumulative
)

select * from final
order by segment, band_rank
