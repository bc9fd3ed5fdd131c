"""What the dashboard calls things: bands, risk levels, alert types, validation metrics, and every label
that names a window or a threshold. Those windows and thresholds are dbt vars the marts computed with;
the build publishes the values it used in marts.dim_configuration, and `Labels` words each label from
there, so a label never repeats a number a var can change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from csi.dashboard.data import Published

# The value a summary mart puts in a column to mean "every value of it" (a rollup row).
EVERY = "all"
# One row per var of the build: name, value (a list's items joined by ', '), description.
CONFIGURATION = "marts.dim_configuration"

BAND_ORDER = ["Healthy", "Watch", "At Risk", "Critical"]
BAND_COLOURS = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"]
RISK_ORDER = ["Critical", "High", "Medium", "Low"]
SEGMENT_ORDER = ["enterprise", "mid-market", "smb"]

DIRECTIONS = {"worsened": "▼ worsened", "improved": "▲ improved"}
SEVERITY_ORDER = ["critical", "high", "medium", "low"]

# Alerts: fct_intervention_metrics' metrics, label and how the value reads.
INTERVENTION_METRICS = {
    "intervention_success_rate": ("Intervention success rate (saved / acted on within SLA)", "percent"),
    "no_action_renewal_rate": ("Renewal rate of alerted accounts nobody acted on", "percent"),
    "intervention_uplift_pp": ("Uplift (points)", "points"),
    "time_to_detection_days": ("Time to detection (days, first alert to first action)", "days"),
    "churn_alerted_30d_share": ("Churns alerted 30+ days ahead", "percent"),
    "false_alert_rate": ("False alerts (renewed without any action)", "percent"),
}
QBR_LOGGED_IN = {"salesforce": "Salesforce", "hubspot": "HubSpot", "both": "Salesforce and HubSpot"}

# fct_score_validation's metrics: label and how the value reads.
VALIDATION_METRICS = {
    "accuracy": ("Accuracy = recall (churned accounts flagged at risk)", "percent"),
    "surprise_churn_rate": ("Surprise churn rate (churned while not at risk)", "percent"),
    "false_positive_rate": ("False-positive rate", "percent"),
    "precision_at_risk": ("Precision (flagged accounts that churned)", "percent"),
    "f1_at_risk": ("F1 of the at-risk flag", "ratio"),
    "score_outcome_correlation": ("Score–outcome correlation", "ratio"),
    "auc": ("AUC", "ratio"),
    "pr_auc": ("PR-AUC (average precision)", "ratio"),
    "lift_top_decile": ("Lift at the top risk decile", "times"),
    "brier_score": ("Brier score of the churn probability", "ratio"),
    "calibration_error": ("Calibration error of the churn probability", "ratio"),
    "median_lead_time_days": ("Median early-warning lead time", "days"),
}


@dataclass(frozen=True)
class Labels:
    """The labels of one published build, worded from the vars it used (`configuration`: name → value).
    A var the publication does not carry is named instead of a number, never guessed."""

    configuration: Mapping[str, str]

    @classmethod
    def of(cls, published: Published) -> Labels:
        if CONFIGURATION not in published.tables():
            return cls({})
        rows = published.query(f"select name, value from {CONFIGURATION}")
        return cls(dict(zip(rows["name"], rows["value"], strict=True)))

    def value(self, var: str) -> str:
        return self.configuration.get(var, var)

    def days(self, var: str) -> str:
        """'30 days', or 'usage_window_days days' when the publication does not say."""
        return f"{self.value(var)} days"

    def items(self, var: str) -> str:
        """A list var as prose: 'At Risk or Critical'."""
        values = [item.strip() for item in self.value(var).split(",")]
        return " or ".join([", ".join(values[:-1]), values[-1]] if len(values) > 1 else values)

    def points(self, var: str) -> str:
        """A probability var (0.2) as percentage points ('20'), or the var's name."""
        try:
            return f"{100 * float(self.configuration[var]):g}"
        except (KeyError, ValueError):
            return var

    def measure(self, component: str) -> tuple[str, str]:
        """The headline raw measure of a component (fct_account_health_components.raw_value) and how it reads."""
        return {
            "churn_risk": ("retention likelihood", "percent"),
            "usage": (f"seat utilisation ({self.days('usage_window_days')})", "percent"),
            "health_check_cadence": ("days since the last health check", "days"),
            "onboarding": ("days from contract start to onboarding kickoff", "days"),
            "insider_calls": (f"Insider calls in {self.days('insider_calls_window_days')}", "count"),
            "qbr_cadence": ("days since the last QBR (Salesforce or HubSpot)", "days"),
            "pipeline": ("open expansion pipeline as a share of ARR", "percent"),
            "tenure": ("months as a customer", "count"),
            "csat": ("NPS", "count"),
            "support": (f"support tickets per licensed seat in {self.days('support_window_days')}", "count"),
        }.get(component, ("raw measure", "count"))

    # Executive (fct_executive_summary)
    @property
    def executive_window(self) -> str:
        """'trailing 12 months'."""
        return f"trailing {self.value('executive_window_months')} months"

    @property
    def executive_figures(self) -> dict[str, tuple[str, str]]:
        """fct_executive_summary's headline figures: label and how the value reads."""
        window = self.executive_window
        return {
            "customers": ("Customers", "count"),
            "arr": ("ARR", "money"),
            "average_health_score": ("Average health score at month end", "score"),
            "at_risk_arr_share": (f"At-risk ARR share ({self.items('at_risk_bands')} band)", "share"),
            "grr": (f"GRR ({window})", "share"),
            "nrr": (f"NRR ({window})", "share"),
            "logo_retention": (f"Logo retention ({window})", "share"),
            "expansion_rate": (f"Expansion rate ({window})", "share"),
            "time_to_value_days": (f"Time to value (median, onboarded in the {window})", "days"),
        }

    def renewals_due(self, window: str) -> str:
        """'Renewals due in 60 days' for fct_executive_summary's near or far window."""
        return f"Renewals due in {self.days(f'renewal_due_{window}_days')}"

    # Account drill (fct_cs_account_summary)
    @property
    def health_checks_in_cadence_window(self) -> str:
        return f"Health checks ({self.days('health_check_window_days')})"

    # CS Operations (fct_csm_leaderboard)
    @property
    def health_check_coverage(self) -> str:
        return f"Health-check coverage ({self.days('health_check_coverage_days')})"

    # At-Risk Accounts (fct_at_risk_accounts)
    @property
    def at_risk_listed(self) -> str:
        return (
            f"Customers at risk (in the {self.items('at_risk_bands')} band) or at "
            f"{self.items('at_risk_risk_levels')} churn risk, the most revenue at risk first."
        )

    @property
    def csat_trend(self) -> str:
        return f"CSAT (vs {self.days('csat_trend_days')} before)"

    # Engagement (fct_engagement_by_segment, fct_account_email_engagement, fct_account_usage)
    @property
    def email_heading(self) -> str:
        return f"E-mail engagement (HubSpot, last {self.days('email_window_days')})"

    @property
    def qbr_coverage(self) -> str:
        return f"QBR in the last {self.days('qbr_coverage_days')}"

    @property
    def seat_utilisation(self) -> str:
        return f"Average seat utilisation ({self.days('usage_window_days')})"

    @property
    def usage_declining(self) -> str:
        return f"Customers with usage down {self.value('usage_decline_pct')} %+ over {self.days('usage_window_days')}"

    @property
    def no_usage_declining(self) -> str:
        return (
            f"No customer's usage fell {self.value('usage_decline_pct')} % or more against the "
            f"{self.days('usage_window_days')} before."
        )

    # Forecast Accuracy (fct_renewal_forecast_accuracy)
    @property
    def lookback(self) -> str:
        return self.days("forecast_lookback_days")

    @property
    def flagged(self) -> str:
        return f"Flagged ≥{self.lookback} ahead"

    # Alerts (fct_health_alerts, fct_health_alert_summary)
    @property
    def alert_types(self) -> dict[str, str]:
        drop_days = self.days("alert_score_drop_days")
        return {
            "band_transition": "Band change",
            "score_drop": f"Score down {self.value('alert_score_drop_points')}+ points in {drop_days}",
            "severe_score_drop": f"Score down {self.value('alert_severe_score_drop_points')}+ points in {drop_days}",
            "churn_probability_rise": f"Churn probability up {self.points('alert_probability_rise')}+ points",
            "component_stale": "Component went stale",
            "no_login": f"No login for {self.days('alert_no_login_days')}",
            "extended_no_login": f"No login for {self.days('alert_extended_no_login_days')}",
        }


def choices(values: object, order: list[str]) -> list[str]:
    """A filter's options: 'all' first, then the values in `order`, then any others alphabetically."""
    present = {value for value in values if isinstance(value, str) and value != EVERY}
    return [EVERY, *sorted(present, key=lambda value: (order.index(value) if value in order else len(order), value))]


def every(value: str, plural: str) -> str:
    """A summary mart's value as a person reads it: 'all' becomes 'All segments' (or CSMs, ...)."""
    return f"All {plural}" if value == EVERY else value
