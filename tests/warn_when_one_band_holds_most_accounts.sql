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

total as (
    select count(*) as scored_accounts from accounts
),

bands as (
    select
        score_band,
        count(*) as band_accounts
    from accounts
    group by score_band
)

select
    bands.score_band,
    {{ safe_divide('bands.band_accounts', 'total.scored_accounts') }} as band_share
from bands
cross join total
cross join threshold
where {{ safe_divide('bands.band_accounts', 'total.scored_accounts') }} > threshold.target
