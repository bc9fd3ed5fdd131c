"""What the dashboard calls things: bands, risk levels, alert types, validation metrics, and every label
that names a window or threshold. Those windows and thresholds are dbt vars (dbt_project.yml) that the
marts compute with; a label here repeats one, so a changed var means a changed label, in this file only."""

from __future__ import annotations

# The value a summary mart puts in a column to mean "every value of it" (a rollup row).
EVERY = "all"

BAND_ORDER = ["Healthy", "Watch", "At Risk", "Critical"]
BAND_COLOURS = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"]
RISK_ORDER = ["Critical", "High", "Medium", "Low"]
SEGMENT_ORDER = ["enterprise", "mid-market", "smb"]

# The headline raw measure of each component (fct_account_health_components.raw_value) and how to read it.
MEASURES: dict[str, tuple[str, str]] = {
    "churn_risk": ("retention likelihood", "percent"),
    "usage": ("seat utilisation (30 days)", "percent"),  # usage_window_days
    "health_check_cadence": ("days since the last health check", "days"),
    "onboarding": ("days from contract start to onboarding kickoff", "days"),
    "insider_calls": ("Insider calls in 90 days", "count"),  # insider_calls_window_days
    "qbr_cadence": ("days since the last QBR", "days"),
    "pipeline": ("open expansion pipeline as a share of ARR", "percent"),
    "tenure": ("months as a customer", "count"),
    "csat": ("NPS", "count"),
}

# Account drill (fct_cs_account_summary)
HEALTH_CHECKS_90D = "Health checks (90 days)"  # health_check_window_days

# CS Operations (fct_csm_leaderboard)
HEALTH_CHECK_COVERAGE_30D = "Health-check coverage (30d)"  # health_check_coverage_days

# Engagement (fct_engagement_by_segment, fct_account_email_engagement, fct_account_usage)
EMAIL_HEADING = "E-mail engagement (HubSpot, last 90 days)"  # email_window_days
QBR_COVERAGE = "QBR meeting in HubSpot (90 days)"  # email_window_days
QBR_IN_WINDOW = "HubSpot QBR in 90 days"  # email_window_days
SEAT_UTILISATION = "Average seat utilisation (30 days)"  # usage_window_days
USAGE_DECLINING = "Customers with usage down 30 %+ month over month"  # usage_decline_pct
NO_USAGE_DECLINING = "No customer's usage fell 30 % or more month over month."  # usage_decline_pct

# Forecast Accuracy (fct_renewal_forecast_accuracy)
LOOKBACK = "60 days"  # forecast_lookback_days
FLAGGED = "Flagged ≥60d"  # forecast_lookback_days

ALERT_TYPES = {
    "band_transition": "Band change",
    "score_drop": "Score down 15+ points in 30 days",  # alert_score_drop_points, alert_score_drop_days
    "severe_score_drop": "Score down 25+ points in 30 days",  # alert_severe_score_drop_points
    "churn_probability_rise": "Churn probability up 20+ points",  # alert_probability_rise
    "component_stale": "Component went stale",
}
SEVERITY_ORDER = ["critical", "high", "medium", "low"]
SLA_STATUSES = {"met": "met", "missed": "missed", "open": "open"}

# Alerts: fct_intervention_metrics' metrics, label and how the value reads.
INTERVENTION_METRICS = {
    "intervention_success_rate": ("Intervention success rate (saved / acted on within SLA)", "percent"),
    "no_action_renewal_rate": ("Renewal rate of alerted accounts nobody acted on", "percent"),
    "intervention_uplift_pp": ("Uplift (points)", "points"),
    "time_to_detection_days": ("Time to detection (days, first alert to first action)", "days"),
    "churn_alerted_30d_share": ("Churns alerted 30+ days ahead", "percent"),
    "false_alert_rate": ("False alerts (renewed without any action)", "percent"),
}
DIRECTIONS = {"worsened": "▼ worsened", "improved": "▲ improved"}

# fct_score_validation's metrics: label and how the value reads.
VALIDATION_METRICS = {
    "accuracy": ("Accuracy (churned accounts flagged at risk)", "percent"),
    "surprise_churn_rate": ("Surprise churn rate (churned while healthy)", "percent"),
    "false_positive_rate": ("False-positive rate", "percent"),
    "score_outcome_correlation": ("Score–outcome correlation", "ratio"),
    "auc": ("AUC", "ratio"),
    "lift_top_decile": ("Lift at the top risk decile", "times"),
    "calibration_error": ("Calibration error of the churn probability", "ratio"),
    "median_lead_time_days": ("Median early-warning lead time", "days"),
}


def choices(values: object, order: list[str]) -> list[str]:
    """A filter's options: 'all' first, then the values in `order`, then any others alphabetically."""
    present = {value for value in values if isinstance(value, str) and value != EVERY}
    return [EVERY, *sorted(present, key=lambda value: (order.index(value) if value in order else len(order), value))]


def every(value: str, plural: str) -> str:
    """A summary mart's value as a person reads it: 'all' becomes 'All segments' (or CSMs, ...)."""
    return f"All {plural}" if value == EVERY else value
