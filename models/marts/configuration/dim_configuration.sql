-- The configuration this build computed the marts with: one row per var a reader needs to read
-- their numbers (windows, thresholds, the at-risk bands and risk levels), its value as text (a
-- list's items joined by ', ') and what it sets. Built from var() at build time, so the dashboard's
-- labels and a BI tool's captions name the windows the marts were built with, not the defaults.

{%- set described = [
    ('weights_version', 'The weights version the health score was computed with (seeds/health/health_weights.csv).'),
    ('usage_window_days', 'Days of product usage the usage component and fct_account_usage measure: monthly active users, average daily active users, seat utilisation and the month-over-month change compare this many days with the same number before.'),
    ('power_user_min_active_days', 'fct_account_usage counts a power user as active on at least this many days of the last usage_window_days.'),
    ('usage_decline_pct', 'fct_account_usage flags usage as declining when active-user days fell by at least this percentage against the window before.'),
    ('health_check_window_days', 'Days the health_check_cadence component counts health checks over (fct_cs_account_summary.health_checks_in_cadence_window).'),
    ('health_check_coverage_days', 'Days the health-check coverage KPI and the CSM leaderboard look back for a health check (fct_cs_account_summary.health_checks_in_coverage_window).'),
    ('insider_calls_window_days', 'Days the insider_calls component counts Insider calls over (fct_cs_account_summary.insider_calls_in_window).'),
    ('onboarding_relevant_months', 'Months after the first contract starts during which onboarding counts for the score and the KPIs.'),
    ('onboarding_kickoff_days', 'The onboarding kickoff KPI: kicked off within this many days of the first contract start.'),
    ('onboarding_window_days', 'Training counts as completed on time within this many days of the first contract start.'),
    ('renewal_lead_days', 'The renewal opportunity should be open this many days before the contract ends (pipeline component and KPI).'),
    ('qbr_coverage_days', 'QBR coverage: a QBR (Salesforce or HubSpot) in the last this many days (KPI, fct_account_email_engagement.has_qbr_coverage).'),
    ('qbr_coverage_segments', 'The segments the QBR coverage KPI is due for.'),
    ('email_window_days', 'Days of HubSpot e-mail fct_account_email_engagement and the value-driven e-mail KPI count.'),
    ('survey_window_days', 'Days of survey answers the csat component reads.'),
    ('csat_trend_days', 'The CSAT trend of the at-risk list compares the survey CSAT with the one this many days earlier (fct_at_risk_accounts.previous_survey_csat).'),
    ('support_window_days', 'Days of support tickets the support component measures: tickets created per seat, escalated and solved in this many days, urgent tickets open on the as-of date.'),
    ('at_risk_bands', 'The health bands that are at risk: an account is at risk when its band is one of these, a score when it falls in one of them for its segment.'),
    ('at_risk_risk_levels', 'The churn risk levels that also put a customer on the at-risk list (fct_at_risk_accounts).'),
    ('forecast_lookback_days', 'The forecast and the validation read scores and probabilities as they stood this many days before a contract ends (fct_renewal_forecast_accuracy.flagged_60d is flagged this many days ahead).'),
    ('churn_flag_threshold', 'A churned contract counts as flagged when its churn probability then was at or above this.'),
    ('renewal_grace_days', 'A contract whose end passed without a follow-on contract starting within this many days churned.'),
    ('alert_probability_rise', 'A churn probability rise of at least this much (0 to 1) between snapshots raises an alert.'),
    ('alert_stale_days', 'A contract the churn model has not rescored for this many days raises a stale-component alert.'),
    ('alert_band_hold_nights', 'A band transition alerts once the worse band has held this many consecutive nights.'),
    ('alert_band_margin_points', 'A score within this many points of a band edge keeps the band held before (no band alert).'),
    ('alert_score_drop_days', 'Score drops are measured against the highest score of this many days before.'),
    ('alert_score_drop_points', 'A health score more than this many points below that highest raises a score_drop alert.'),
    ('alert_severe_score_drop_points', 'More than this many points below raises a severe_score_drop alert.'),
    ('alert_no_login_days', 'A customer without a login for this many days raises a no_login alert.'),
    ('alert_extended_no_login_days', 'Without a login for this many days it raises an extended_no_login alert.'),
    ('alert_escalation_days', 'An alert whose account has not improved this many days later escalates (fct_alert_actions.is_escalated).'),
    ('score_trend_windows', "fct_account_score_trend measures each customer's score change over the last this many days (each a window) up to the as-of date."),
    ('score_trend_flat_points', 'A score change over a window is a trend up or down when it reaches this many points, else flat.'),
    ('validation_min_count', 'A validation slice with fewer churned or renewed contracts than this (or fewer flagged at risk, for the metrics of the flag) withholds its metrics.'),
    ('validation_confidence_z', 'The normal quantile of the confidence intervals of the validation metrics (1.96: 95 %).'),
    ('executive_window_months', 'The trailing window, in months ending with each month, of the executive GRR, NRR, logo retention, expansion rate and time to value (fct_executive_summary, the semantic layer).'),
    ('renewal_due_near_days', 'fct_executive_summary.renewals_due_near: contracts in force at the month end that end within this many days.'),
    ('renewal_due_far_days', 'fct_executive_summary.renewals_due_far: contracts in force at the month end that end within this many days.'),
    ('usage_cohort_days', 'Behavioural cohorts (fct_cohort_retention.usage_cohort) read feature use over this many days after the first contract starts.'),
] %}

with

configured as (
    {%- for name, description in described %}
    {%- set value = var(name) %}
    {%- set text = value | join(', ') if value is iterable and value is not string else value | string %}
    select
        '{{ name }}' as var_name,
        '{{ text | replace("'", "''") }}' as var_value,
        '{{ description | replace("'", "''") }}' as var_description
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        cast(var_name as {{ type_varchar() }}) as name,
        cast(var_value as {{ type_varchar() }}) as value,  -- noqa: RF04
        cast(var_description as {{ type_varchar() }}) as description
    from configured
)

select * from final
