-- The health score calculator's recommendations for each customer of the loaded portfolio, one
-- row per recommendation, numbered in the order the calculator lists them.

with

scores as (
    select * from {{ ref('int_toolkit_portfolio__health_scores') }}
),

rules as (
    select * from {{ ref('toolkit_health_recommendations') }}
),

fired as (
    select
        scores.customer_index,
        rules.position,
        rules.rule,
        rules.message
    from scores
    inner join rules
        on case rules.rule
            {%- for rule in [
                'login_frequency_low', 'feature_adoption_low', 'dau_mau_low', 'meeting_attendance_low', 'nps_low',
                'csat_low', 'open_tickets_high', 'escalation_rate_high', 'resolution_time_high', 'exec_sponsor_weak',
                'single_threaded', 'sentiment_negative'] %}
            when '{{ rule }}' then scores.fires_{{ rule }}
            {%- endfor %}
            else false
        end
),

final as (
    select
        customer_index,
        row_number() over (partition by customer_index order by position) as recommendation_number,
        rule,
        message as recommendation
    from fired
)

select * from final
