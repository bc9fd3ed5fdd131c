-- Per CSM (the accounts' Salesforce owner, named from the user table): the customers they own,
-- their health-check coverage and share of onboardings kicked off on time (the CS Operations KPIs
-- per owner: met / due, as fct_cs_kpis divides), the average health score, the ARR they own and
-- its revenue at risk.

with

account_kpis as (
    select * from {{ ref('int_cs_operations__account_kpis') }}
),

account_health as (
    select * from {{ ref('fct_account_health') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

per_owner as (
    select
        coalesce(account_kpis.csm_owner_id, 'unassigned') as csm_owner_id,
        count(*) as accounts,  -- noqa: RF04
        sum(account_kpis.health_check_met) as health_checks_met,
        sum(account_kpis.health_check_due) as health_checks_due,
        sum(account_kpis.kickoff_due) as onboardings_due,
        sum(account_kpis.kickoff_met) as onboardings_on_time,
        avg(account_health.health_score) as average_health_score,
        sum(account_health.arr) as arr_owned,
        sum(coalesce(account_health.revenue_at_risk, 0)) as revenue_at_risk
    from account_kpis
    left join account_health
        on account_kpis.account_id = account_health.account_id
    group by coalesce(account_kpis.csm_owner_id, 'unassigned')
),

final as (
    select
        per_owner.csm_owner_id,
        coalesce(users.user_name, 'Unassigned') as csm_name,
        cast(per_owner.accounts as {{ dbt.type_int() }}) as accounts,  -- noqa: RF04
        {{ safe_divide('per_owner.health_checks_met', 'per_owner.health_checks_due') }} as health_check_coverage,
        {{ safe_divide('per_owner.onboardings_on_time', 'per_owner.onboardings_due') }} as onboarded_on_time,
        cast(per_owner.onboardings_due as {{ dbt.type_int() }}) as onboardings_due,
        {{ round_double('cast(per_owner.average_health_score as ' ~ type_double() ~ ')', 2) }} as average_health_score,
        cast(per_owner.arr_owned as {{ type_double() }}) as arr_owned,
        cast(per_owner.revenue_at_risk as {{ type_double() }}) as revenue_at_risk,
        {{ as_of_date() }} as as_of_date
    from per_owner
    left join users
        on per_owner.csm_owner_id = users.user_id
)

select * from final
