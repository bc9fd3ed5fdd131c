{{ config(severity='warn') }}
-- Score-distribution check: warns when more than max_band_share (validation_targets, half by
-- default) of the scored accounts sit in one band; the model may be miscalibrated.

with

accounts as (
    select * from {{ ref('fct_account_health') }}
),

threshold as (
    select target from {{ ref('validation_targets') }}
    where metric = 'max_band_share'
),

shares as (
    select
        score_band,
        {{ safe_divide('count(*)', '(select count(*) from accounts)') }} as band_share
    from accounts
    group by score_band
)

select
    shares.score_band,
    shares.band_share
from shares
cross join threshold
where shares.band_share > threshold.target
