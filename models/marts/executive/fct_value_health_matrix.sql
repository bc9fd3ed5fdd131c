-- The value × health matrix: per ARR tier (int_segmentation__arr_tiers) and health band, and over
-- every tier or every band ('all'), the customers on the as-of date (fct_account_health: tier by
-- their ARR, band after the CSM's override) and their ARR, beside how contracts in that cell
-- renewed: every decided renewal outcome by the tier of the contract's ARR and the band the account
-- was in forecast_lookback_days before the contract's end, as the score history recorded it then
-- (snap_account_health, read as int_validation__contract_scores reads it), never today's band, which
-- the outcome itself would have moved. A contract whose lookback precedes the history has no band
-- then and counts in no cell; an ARR no tier holds (none recorded) counts only in the 'all' tiers.

{#- Each cell's grouping: by tier and band, by tier over every band, by band over every tier, over all
    (a constant is never grouped by: PostgreSQL rejects it). #}
{%- set groupings = [['arr_tier', 'score_band'], ['arr_tier'], ['score_band'], []] %}

with

account_health as (
    select * from {{ ref('fct_account_health') }}
),

tiers as (
    select * from {{ ref('int_segmentation__arr_tiers') }}
),

bands as (
    select distinct band from {{ ref('health_bands') }}
),

outcomes as (
    select * from {{ ref('int_contracts__renewal_outcomes') }}
),

predictions as (
    select * from {{ ref('int_forecast__contract_predictions') }}
),

history as (
    select * from {{ ref('snap_account_health') }}
),

customers as (
    select
        tiers.arr_tier,
        account_health.score_band,
        account_health.arr
    from account_health
    left join tiers
        on account_health.arr >= tiers.min_arr
        and (tiers.max_arr is null or account_health.arr < tiers.max_arr)
),

contracts as (
    select
        tiers.arr_tier,
        history.score_band,
        case when predictions.is_churned then 1 else 0 end as is_churned
    from predictions
    inner join outcomes
        on predictions.contract_id = outcomes.contract_id
    inner join history
        on predictions.account_id = history.account_id
        and {{ snapshot_valid_on('predictions.lookback_date', 'history') }}
    left join tiers
        on outcomes.arr >= tiers.min_arr
        and (tiers.max_arr is null or outcomes.arr < tiers.max_arr)
),

customer_cells as (
    {%- for grouped in groupings %}
    select
        {{ column_as('arr_tier' if 'arr_tier' in grouped else "'all'", 'arr_tier') }},
        {{ column_as('score_band' if 'score_band' in grouped else "'all'", 'score_band') }},
        count(*) as customers,
        sum(arr) as arr
    from customers
    {%- if grouped %}
    group by {{ grouped | join(', ') }}
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

contract_cells as (
    {%- for grouped in groupings %}
    select
        {{ column_as('arr_tier' if 'arr_tier' in grouped else "'all'", 'arr_tier') }},
        {{ column_as('score_band' if 'score_band' in grouped else "'all'", 'score_band') }},
        count(*) as contracts_decided,
        sum(is_churned) as contracts_churned
    from contracts
    {%- if grouped %}
    group by {{ grouped | join(', ') }}
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

cells as (
    select
        tiers.arr_tier,
        tiers.tier_rank,
        bands.band as score_band
    from tiers
    cross join bands
    union all
    select
        arr_tier,
        tier_rank,
        'all' as score_band
    from tiers
    union all
    select
        'all' as arr_tier,
        cast(null as {{ dbt.type_int() }}) as tier_rank,
        band as score_band
    from bands
    union all
    select
        'all' as arr_tier,
        cast(null as {{ dbt.type_int() }}) as tier_rank,
        'all' as score_band
),

final as (
    select
        cells.arr_tier,
        cast(cells.tier_rank as {{ dbt.type_int() }}) as tier_rank,
        cells.score_band,
        cast(coalesce(customer_cells.customers, 0) as {{ dbt.type_int() }}) as customers,
        cast(coalesce(customer_cells.arr, 0) as {{ type_double() }}) as arr,
        cast(coalesce(contract_cells.contracts_decided, 0) as {{ dbt.type_int() }}) as contracts_decided,
        cast(coalesce(contract_cells.contracts_churned, 0) as {{ dbt.type_int() }}) as contracts_churned,
        {{ safe_divide('contract_cells.contracts_churned', 'contract_cells.contracts_decided') }} as churn_rate,
        {{ as_of_date() }} as as_of_date
    from cells
    left join customer_cells
        on cells.arr_tier = customer_cells.arr_tier
        and cells.score_band = customer_cells.score_band
    left join contract_cells
        on cells.arr_tier = contract_cells.arr_tier
        and cells.score_band = contract_cells.score_band
)

select * from final
