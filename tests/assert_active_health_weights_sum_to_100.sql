-- The weights of the version the marts score with must sum to 100.
select
    weights_version,
    sum(weight) as total_weight
from {{ ref('health_weights') }}
where weights_version = '{{ var("weights_version") }}'
group by weights_version
having sum(weight) <> 100

union all

select
    '{{ var("weights_version") }}' as weights_version,
    0 as total_weight
where
    not exists (
        select 1
        from {{ ref('health_weights') }}
        where weights_version = '{{ var("weights_version") }}'
    )
