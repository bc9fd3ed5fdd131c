-- The monthly distribution of the recorded health scores (ten bins of ten points) and of the
-- computed bands, per segment and over all of them ('all'), beside the same bucket's share in the
-- reference month (var score_drift_reference_month, or the first month of the history) and its
-- term of the population stability index: (share − reference) · ln(share / reference), each share
-- floored at var psi_min_share so an empty bucket counts without dividing by zero.
-- fct_score_drift sums the terms. Terms are rounded to 6 decimals.

{%- set reference_month = var('score_drift_reference_month') %}
{%- set min_share = var('psi_min_share') %}

with

monthly_scores as (
    select * from {{ ref('int_validation__monthly_scores') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

series as (
    {{ dbt.generate_series(10) }}
),

bins as (
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as bucket_order
    from series
),

band_orders as (
    select
        band,
        min(band_rank) as bucket_order
    from bands
    group by band
),

bucketed as (
    select
        month_start,
        segment,
        'score' as bucket_type,
        cast(case when health_score >= 90 then 9 else floor(health_score / 10) end as {{ dbt.type_int() }}) as bucket_order
    from monthly_scores
    union all
    select
        monthly_scores.month_start,
        monthly_scores.segment,
        'band' as bucket_type,
        band_orders.bucket_order
    from monthly_scores
    inner join band_orders
        on monthly_scores.computed_band = band_orders.band
),

populations as (
    select
        month_start,
        reading_date,
        segment,
        count(*) as accounts
    from monthly_scores
    group by month_start, reading_date, segment
),

buckets as (
    select
        'score' as bucket_type,
        bucket_order,
        cast(bucket_order * 10 as {{ dbt.type_string() }}) || '-' || cast(bucket_order * 10 + 10 as {{ dbt.type_string() }}) as bucket
    from bins
    union all
    select
        'band' as bucket_type,
        bucket_order,
        band as bucket
    from band_orders
),

counted as (
    select
        month_start,
        segment,
        bucket_type,
        bucket_order,
        count(*) as accounts
    from bucketed
    group by month_start, segment, bucket_type, bucket_order
),

shares as (
    select
        populations.month_start,
        populations.reading_date,
        populations.segment,
        buckets.bucket_type,
        buckets.bucket,
        buckets.bucket_order,
        coalesce(counted.accounts, 0) as accounts,
        {{ safe_divide('coalesce(counted.accounts, 0)', 'populations.accounts') }} as share
    from populations
    cross join buckets
    left join counted
        on populations.month_start = counted.month_start
        and populations.segment = counted.segment
        and buckets.bucket_type = counted.bucket_type
        and buckets.bucket_order = counted.bucket_order
),

reference_month as (
    {%- if reference_month %}
    select cast({{ dbt.date_trunc('month', "cast('" ~ reference_month ~ "' as date)") }} as date) as month_start
    {%- else %}
    select min(month_start) as month_start
    from populations
    {%- endif %}
),

reference as (
    select
        shares.month_start,
        shares.segment,
        shares.bucket_type,
        shares.bucket_order,
        shares.share
    from shares
    inner join reference_month
        on shares.month_start = reference_month.month_start
),

final as (
    select
        shares.month_start,
        shares.reading_date,
        shares.segment,
        shares.bucket_type,
        shares.bucket,
        cast(shares.bucket_order as {{ dbt.type_int() }}) as bucket_order,
        cast(shares.accounts as {{ dbt.type_int() }}) as accounts,
        cast(shares.share as {{ type_double() }}) as share,
        reference.month_start as reference_month_start,
        cast(reference.share as {{ type_double() }}) as reference_share,
        {{ round_double(
            '(shares.share - reference.share) * ln('
            ~ 'case when shares.share > ' ~ min_share ~ ' then shares.share else ' ~ min_share ~ ' end / '
            ~ 'case when reference.share > ' ~ min_share ~ ' then reference.share else ' ~ min_share ~ ' end)', 6) }} as psi_term
    from shares
    left join reference
        on shares.segment = reference.segment
        and shares.bucket_type = reference.bucket_type
        and shares.bucket_order = reference.bucket_order
)

select * from final
