-- The statistics of the validation marts: how they slice the validated renewals, rank them by risk,
-- and the confidence intervals every rate carries, at the normal quantile var
-- validation_confidence_z (1.96: 95 %). Bounds are rounded to 4 decimals (no interval on a few
-- hundred renewals is finer) and NULL where the interval is undefined (no observations, a
-- correlation of ±1, too few contracts).

-- The slices every validation mart reports: each cohort quarter and 'All' of them, each crossed with
-- each segment and 'all' of them. `columns` are the other columns to carry from `relation`.
{% macro validation_scopes(relation, columns) -%}
    {%- for cohort, segment in [('cohort_quarter', 'segment'), ('cohort_quarter', "'all'"), ("'All'", 'segment'), ("'All'", "'all'")] %}
    select
        {{ column_as(cohort, 'cohort_quarter') }},
        {{ column_as('cohort_quarter_start' if cohort == 'cohort_quarter' else 'cast(null as date)', 'cohort_quarter_start') }},
        {{ column_as(segment, 'segment') }},
        {{ columns | join(', ') }}
    from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

-- The mid-rank of a score by risk within a partition: the highest score ranks 1, the lowest ranks
-- last, and tied scores share the mean of their ranks. The rank sum of the churned then gives the AUC.
{% macro risk_mid_rank(score, partition_by) -%}
    cast(
        rank() over (partition by {{ partition_by }} order by {{ score }} desc)
        + (count(*) over (partition by {{ partition_by }}, {{ score }}) - 1) / 2.0
    as {{ type_double() }})
{%- endmacro %}

-- The AUC from the risk mid-ranks (Mann-Whitney): the probability that a churned contract scored
-- below a renewed one, ties counting half.
{% macro rank_sum_auc(churned_rank_sum, churned, contracts) -%}
    {{ safe_divide(churned_rank_sum ~ ' - ' ~ churned ~ ' * (' ~ churned ~ ' + 1) / 2.0',
                   churned ~ ' * (' ~ contracts ~ ' - ' ~ churned ~ ')') }}
{%- endmacro %}

-- A bound ('low' or 'high') of the Wilson score interval of the proportion successes / trials.
{% macro wilson_bound(successes, trials, bound) -%}
    {%- set z = var('validation_confidence_z') | float -%}
    {%- set bound_value -%}
        (cast({{ successes }} as {{ type_double() }}) + {{ z * z / 2 }}
            {{ '-' if bound == 'low' else '+' }} {{ z }} * sqrt(
                cast({{ successes }} as {{ type_double() }}) * ({{ trials }} - {{ successes }}) / nullif({{ trials }}, 0)
                + {{ z * z / 4 }}
            ))
        / ({{ trials }} + {{ z * z }})
    {%- endset -%}
    {{ round_double(bound_value, 4) }}
{%- endmacro %}

-- A bound of the AUC's interval: AUC ± z·SE with Hanley and McNeil's (1982) standard error from the
-- numbers of churned (positives) and renewed (negatives) contracts, kept within [0, 1].
{% macro auc_bound(auc, positives, negatives, bound) -%}
    {%- set z = var('validation_confidence_z') | float -%}
    {%- set se -%}
        sqrt(
            ({{ auc }} * (1 - {{ auc }})
            + ({{ positives }} - 1) * ({{ auc }} / (2 - {{ auc }}) - {{ auc }} * {{ auc }})
            + ({{ negatives }} - 1) * (2 * {{ auc }} * {{ auc }} / (1 + {{ auc }}) - {{ auc }} * {{ auc }}))
            / nullif(cast({{ positives }} as {{ type_double() }}) * {{ negatives }}, 0)
        )
    {%- endset -%}
    {{ round_double(clamped(auc ~ (' - ' if bound == 'low' else ' + ') ~ z ~ ' * ' ~ se, 0, 1), 4) }}
{%- endmacro %}

-- A bound of a Pearson correlation's interval by Fisher's z-transform: tanh(atanh(r) ± z / √(n − 3)),
-- written with ln and exp (portable); NULL for n ≤ 3 or |r| = 1.
{% macro correlation_bound(r, n, bound) -%}
    {%- set z = var('validation_confidence_z') | float -%}
    {%- set fisher -%}
        (0.5 * ln((1 + {{ r }}) / (1 - {{ r }})) {{ '-' if bound == 'low' else '+' }} {{ z }} / sqrt({{ n }} - 3))
    {%- endset -%}
    {{ round_double('cast(case when ' ~ n ~ ' > 3 and abs(' ~ r ~ ') < 1 then (exp(2 * ' ~ fisher ~ ') - 1) / (exp(2 * '
                    ~ fisher ~ ') + 1) end as ' ~ type_double() ~ ')', 4) }}
{%- endmacro %}

-- A bound of the average precision's (PR-AUC's) logit interval (Boyd, Eng and Page, 2013):
-- expit(logit(ap) ± z / √(positives · ap · (1 − ap))); NULL when ap is 0 or 1.
{% macro average_precision_bound(ap, positives, bound) -%}
    {%- set z = var('validation_confidence_z') | float -%}
    {%- set logit -%}
        (ln({{ ap }} / (1 - {{ ap }})) {{ '-' if bound == 'low' else '+' }} {{ z }} / sqrt({{ positives }} * {{ ap }} * (1 - {{ ap }})))
    {%- endset -%}
    {{ round_double('cast(case when ' ~ ap ~ ' > 0 and ' ~ ap ~ ' < 1 and ' ~ positives ~ ' > 0 then 1 / (1 + exp(-'
                    ~ logit ~ ')) end as ' ~ type_double() ~ ')', 4) }}
{%- endmacro %}

-- A bound of a mean's normal interval, mean ± z · sd / √n, kept at or above `low`.
{% macro mean_bound(mean, sd, n, bound, low=0) -%}
    {%- set z = var('validation_confidence_z') | float -%}
    {{ round_double(clamped(mean ~ (' - ' if bound == 'low' else ' + ') ~ z ~ ' * ' ~ sd ~ ' / sqrt(nullif(' ~ n ~ ', 0))', low), 4) }}
{%- endmacro %}

-- `value` kept within [low, high] (either may be none), NULL when it is NULL (greatest and least
-- skip NULLs on PostgreSQL and Spark).
{% macro clamped(value, low=none, high=none) -%}
    cast(
        case
            {%- if low is not none %}
            when ({{ value }}) < {{ low }} then {{ low }}
            {%- endif %}
            {%- if high is not none %}
            when ({{ value }}) > {{ high }} then {{ high }}
            {%- endif %}
            else ({{ value }})
        end
    as {{ type_double() }})
{%- endmacro %}
