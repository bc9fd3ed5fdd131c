-- The ARR tiers as ranges [min_arr, max_arr): each tier of seeds/segmentation/arr_tiers.csv runs up to
-- the next tier's minimum (the top tier has no ceiling). An ARR belongs to the tier whose range holds it.

with

tiers as (
    select * from {{ ref('arr_tiers') }}
),

final as (
    select
        arr_tier,
        tier_rank,
        cast(min_arr as {{ type_double() }}) as min_arr,
        cast(lead(min_arr) over (order by min_arr) as {{ type_double() }}) as max_arr
    from tiers
)

select * from final
