-- The outcome of every contract whose end date has passed by the as-of date: renewed, expanded or
-- contracted (by the ARR of the follow-on contract that starts within the grace period after the
-- end) or churned (no follow-on by the end of the grace period); pending while the grace period
-- runs. The contracts that count as of the as-of date: int_contracts__signed.

with

contracts as (
    select * from {{ ref('int_contracts__signed') }}
    where counted_from_date <= {{ as_of_date() }}
),

ended as (
    select * from contracts
    where end_date < {{ as_of_date() }}
),

follow_on_candidates as (
    select
        ended.contract_id,
        follow_on.contract_id as renewal_contract_id,
        follow_on.start_date as renewal_start_date,
        follow_on.arr as renewal_arr,
        row_number() over (
            partition by ended.contract_id
            order by follow_on.start_date, follow_on.contract_id
        ) as follow_on_rank
    from ended
    inner join contracts as follow_on
        on ended.account_id = follow_on.account_id
        and ended.start_date < follow_on.start_date
        and {{ dbt.dateadd('day', var('renewal_grace_days'), 'ended.end_date') }} >= follow_on.start_date
        and ended.contract_id <> follow_on.contract_id
),

follow_ons as (
    select * from follow_on_candidates
    where follow_on_rank = 1
),

classified as (
    select
        ended.contract_id,
        ended.account_id,
        ended.start_date,
        ended.end_date,
        cast(ended.arr as {{ type_double() }}) as arr,
        follow_ons.renewal_contract_id,
        follow_ons.renewal_start_date,
        cast(follow_ons.renewal_arr as {{ type_double() }}) as renewal_arr,
        {{ dbt.dateadd('day', var('renewal_grace_days'), 'ended.end_date') }} as grace_period_end_date,
        case
            when follow_ons.renewal_contract_id is null
                and {{ dbt.dateadd('day', var('renewal_grace_days'), 'ended.end_date') }} < {{ as_of_date() }}
                then 'churned'
            when follow_ons.renewal_contract_id is null then 'pending'
            when follow_ons.renewal_arr > ended.arr then 'expanded'
            when follow_ons.renewal_arr < ended.arr then 'contracted'
            else 'renewed'
        end as outcome
    from ended
    left join follow_ons
        on ended.contract_id = follow_ons.contract_id
),

final as (
    select
        contract_id,
        account_id,
        start_date,
        end_date,
        arr,
        renewal_contract_id,
        renewal_start_date,
        renewal_arr,
        cast(grace_period_end_date as date) as grace_period_end_date,
        outcome,
        case when outcome <> 'pending' then outcome = 'churned' end as is_churned,
        cast({{ dbt.date_trunc('quarter', 'end_date') }} as date) as cohort_quarter_start,
        {{ quarter_label('end_date') }} as cohort_quarter
    from classified
)

select * from final
