"""Great Expectations checkpoint on the public marts: keys, ranges, allowed bands, row-count relations
between marts and distribution limits, with Data Docs HTML.

Each mart (or a summary query over marts) is one entry of CHECKED: a name, the SQL that reads it
from the warehouse and its expectations. A new mart is one more entry. The frames are read from
DuckDB with pandas and validated by an ephemeral GX context (no context directory to keep): GX's SQL
datasource fails every expectation on DuckDB (docs/stack.md). Parameters such as the number of
customers come from the warehouse at run time, so the relations hold whatever the data size.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from csi.dbt import health_components

BANDS = ["Healthy", "Watch", "At Risk", "Critical"]
RISK_LEVELS = ["Critical", "High", "Medium", "Low"]
SEGMENTS = ["enterprise", "mid-market", "smb"]
RATES = ["open_rate", "click_rate", "bounce_rate"]
COMPONENT_SCORES = [f"{component}_score" for component in health_components()]

# Numbers read from the warehouse before validating, used as {"$PARAMETER": name} in expectations.
PARAMETERS = {
    "customers": "select count(*) from marts.dim_accounts where is_customer",
    "at_risk_accounts": "select count(*) from marts.fct_at_risk_accounts",
}


@dataclass(frozen=True)
class Checked:
    """One validated frame: `name` is the mart (or summary) and `sql` reads it (default: the mart,
    in its `schema`)."""

    name: str
    expectations: list[tuple[str, dict[str, Any]]]
    sql: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    schema: str = "marts"

    @property
    def query(self) -> str:
        return self.sql or f"select * from {self.schema}.{self.name}"


def key(*columns: str) -> list[tuple[str, dict[str, Any]]]:
    """The primary key: non-null and unique (one column, or the combination)."""
    checks = [("ExpectColumnValuesToNotBeNull", {"column": column}) for column in columns]
    if len(columns) == 1:
        return [*checks, ("ExpectColumnValuesToBeUnique", {"column": columns[0]})]
    return [*checks, ("ExpectCompoundColumnsToBeUnique", {"column_list": list(columns)})]


def between(column: str, low: float | dict | None, high: float | dict | None, mostly: float = 1.0) -> tuple[str, dict]:
    return ("ExpectColumnValuesToBeBetween", {"column": column, "min_value": low, "max_value": high, "mostly": mostly})


def one_of(column: str, values: list[str]) -> tuple[str, dict]:
    return ("ExpectColumnValuesToBeInSet", {"column": column, "value_set": values})


def rows(parameter: str) -> tuple[str, dict]:
    """The row count equals a number read from another mart (PARAMETERS)."""
    return ("ExpectTableRowCountToEqual", {"value": {"$PARAMETER": parameter}})


def distinct(column: str, parameter: str) -> tuple[str, dict]:
    """The number of distinct values equals a number read from another mart (PARAMETERS)."""
    count = {"$PARAMETER": parameter}
    return ("ExpectColumnUniqueValueCountToBeBetween", {"column": column, "min_value": count, "max_value": count})


def share_per_value(mart: str, column: str, where: str = "true") -> str:
    """A summary frame: each value of `column` and the share of the mart's rows holding it."""
    return (
        f"select {column} as value, count(*) * 1.0 / sum(count(*)) over () as share "
        f"from marts.{mart} where {where} group by {column}"
    )


CHECKED = [
    Checked("fct_account_health", [
        *key("account_id"),
        rows("customers"),
        between("health_score", 0, 100),
        *(between(column, 0, 100) for column in COMPONENT_SCORES),
        between("churn_probability", 0, 1),
        between("revenue_at_risk", 0, None),
        between("components_applied", 1, 9),
        one_of("computed_band", BANDS),
        one_of("score_band", BANDS),
        one_of("risk_level", RISK_LEVELS),
        one_of("segment", SEGMENTS),
        ("ExpectColumnValuesToNotBeNull", {"column": "score_band"}),
        ("ExpectColumnDistinctValuesToContainSet", {"column": "score_band", "value_set": ["Healthy", "Watch"]}),
        ("ExpectColumnMeanToBeBetween", {"column": "health_score", "min_value": 30, "max_value": 90}),
    ]),
    # The score discriminates: no band holds more than half the customers, and at least three
    # bands are used. (The CSM's sentiment override may then move accounts one band.)
    Checked("fct_account_health__band_shares", [
        between("share", 0, 0.5),
        ("ExpectTableRowCountToBeBetween", {"min_value": 3, "max_value": len(BANDS)}),
    ], sql=share_per_value("fct_account_health", "computed_band")),
    Checked("fct_account_health_components", [
        *key("account_component_id"),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["account_id", "component"]}),
        distinct("account_id", "customers"),
        between("score", 0, 100),
        between("effective_weight", 0, 100),
        between("points_lost", 0, 100),
    ]),
    # Effective weights are shares of 100 per account.
    Checked("fct_account_health_components__weight_sums", [
        between("effective_weight_sum", 99.99, 100.01),
    ], sql="select account_id, sum(effective_weight) as effective_weight_sum "
           "from marts.fct_account_health_components group by account_id"),
    Checked("dim_accounts", [
        *key("account_id"),
        one_of("segment", SEGMENTS),
        between("arr", 0, None),
        ("ExpectColumnValuesToNotBeNull", {"column": "is_customer"}),
    ]),
    Checked("fct_at_risk_accounts", [
        *key("account_id"),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1, "max_value": {"$PARAMETER": "customers"}}),
        one_of("score_band", BANDS),
        ("ExpectColumnValuesToNotBeNull", {"column": "is_at_risk"}),
        one_of("risk_level", RISK_LEVELS),
        between("churn_probability", 0, 1),
    ]),
    # The dashboard's summaries: a row per combination, and their rows over everything ('all') count
    # every row of the mart they sum.
    Checked("fct_health_score_summary", [
        *key("segment", "score_band"),
        one_of("segment", [*SEGMENTS, "all"]),
        one_of("score_band", [*BANDS, "all"]),
        between("average_health_score", 0, 100),
    ]),
    Checked("fct_health_score_summary__portfolio", [
        ("ExpectTableRowCountToEqual", {"value": 1}),
        between("customers", {"$PARAMETER": "customers"}, {"$PARAMETER": "customers"}),
    ], sql="select customers from marts.fct_health_score_summary where segment = 'all' and score_band = 'all'"),
    Checked("fct_health_component_summary", [
        *key("component"),
        between("average_score", 0, 100),
        between("customers_applied", 0, {"$PARAMETER": "customers"}),
    ]),
    Checked("fct_at_risk_summary", [
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["csm_owner_id", "segment", "score_band", "risk_level"]}),
        one_of("score_band", [*BANDS, "all"]),
        between("accounts", 1, {"$PARAMETER": "at_risk_accounts"}),
    ]),
    Checked("fct_at_risk_summary__whole_list", [
        ("ExpectTableRowCountToEqual", {"value": 1}),
        between("accounts", {"$PARAMETER": "at_risk_accounts"}, {"$PARAMETER": "at_risk_accounts"}),
    ], sql="select accounts from marts.fct_at_risk_summary "
           "where csm_owner_id = 'all' and segment = 'all' and score_band = 'all' and risk_level = 'all'"),
    Checked("fct_cs_activity_trend", [
        *key("activity_month", "activity_type", "segment"),
        one_of("segment", [*SEGMENTS, "all"]),
    ]),
    Checked("fct_engagement_by_segment", [
        *key("segment"),
        *(between(rate, 0, 1) for rate in [*RATES, "qbr_coverage", "value_driven_email_coverage"]),
    ]),
    Checked("fct_health_alert_summary", [
        *key("window_days", "alert_type", "direction"),
        one_of("direction", ["worsened", "improved", "all"]),
        between("accounts", 0, None),
    ]),
    Checked("fct_quarantined_rows", [*key("quarantined_row_id"), ("ExpectColumnValuesToNotBeNull", {"column": "raw_row"})]),
    Checked("fct_source_reconciliation", [*key("source_table"), between("unaccounted_rows", 0, 0)]),
    Checked("fct_account_recent_activities", [*key("activity_id"), *key("account_id", "recency_rank")]),
    Checked("fct_cs_kpis", [*key("kpi_code"), between("coverage", 0, 1), between("window_days", 1, None)]),
    Checked("fct_csm_leaderboard", [*key("csm_owner_id"), between("health_check_coverage", 0, 1)]),
    Checked("fct_cs_account_summary", [*key("account_id")]),
    Checked("fct_cs_activity_monthly", [*key("activity_month_key"), one_of("segment", SEGMENTS)]),
    Checked("fct_account_email_engagement", [*key("account_id"), *(between(rate, 0, 1) for rate in RATES)]),
    Checked("fct_account_usage", [*key("account_id"), between("seat_utilisation_pct", 0, None)]),
    # The configuration the build used: the dashboard's labels read their windows here.
    Checked("dim_configuration", [*key("name"), ("ExpectColumnValuesToNotBeNull", {"column": "value"})]),
    Checked("fct_health_alerts", [
        *key("alert_id"), one_of("direction", ["worsened", "improved"]),
        one_of("severity", ["critical", "high", "medium", "low"])]),
    Checked("fct_alert_actions", [
        *key("alert_id"), one_of("sla_status", ["met", "missed", "open"]), between("days_to_action", 0, None)]),
    Checked("fct_alert_deliveries", [*key("alert_id", "event"), one_of("event", ["alert", "escalation"])]),
    Checked("fct_stale_sources", [*key("source_name"), between("hours_since_sync", 0, None)]),
    Checked("fct_intervention_outcomes", [*key("contract_id"), between("days_to_detection", 0, None),
                                          one_of("outcome", ["renewed", "expanded", "contracted", "churned"])]),
    Checked("fct_intervention_metrics", [*key("cohort_quarter", "segment", "metric"), between("denominator", 0, None)]),
    Checked("fct_health_score_changes", [
        *key("account_id", "changed_on"),
        between("health_score", 0, 100),
        between("previous_health_score", 0, 100),
        one_of("largest_mover", [column.removesuffix("_score") for column in COMPONENT_SCORES]),
        ("ExpectColumnValuesToNotBeNull", {"column": "is_configuration_change"}),
    ]),
    Checked("fct_account_score_trend", [
        *key("account_id", "window_days"),
        distinct("account_id", "customers"),
        one_of("trend", ["up", "flat", "down"]),
        between("health_score_change", -100, 100),
    ]),
    Checked("fct_renewal_forecast_accuracy", [*key("cohort_quarter"), between("early_warning_rate", 0, 1)]),
    Checked("fct_score_validation", [
        *key("weights_version", "cohort_quarter", "segment"), between("auc", 0, 1), between("auc_ci_low", 0, 1),
        between("accuracy_ci_high", 0, 1), between("pr_auc", 0, 1), between("brier_score", 0, 1)]),
    Checked("fct_score_lift_by_decile", [*key("weights_version", "risk_decile"), between("risk_decile", 1, 10)]),
    Checked("fct_churn_calibration_by_decile", [
        *key("weights_version", "cohort_quarter", "segment", "probability_decile"), between("probability_decile", 1, 10),
        between("predicted_rate", 0, 1), between("actual_rate", 0, 1)]),
    Checked("fct_component_validation", [*key("component", "cohort_quarter", "segment"), between("auc", 0, 1)]),
    Checked("fct_surprise_churns", [*key("contract_id"), between("points_above_line", 0, None)]),
    Checked("fct_score_distribution", [*key("month_start", "segment", "bucket_type", "bucket"), between("share", 0, 1)]),
    Checked("fct_score_drift", [*key("month_start", "segment"), between("score_psi", 0, None)]),
    Checked("fct_cohort_retention", [
        *key("cohort_quarter", "usage_cohort", "quarters_since_start"), between("logo_retention", 0, 1),
    ]),
    Checked("fct_revenue_retention", [*key("month_start", "segment"), between("grr", 0, 1)]),
    Checked("fct_executive_summary", [
        *key("month_start", "segment"),
        one_of("segment", [*SEGMENTS, "all"]),
        between("average_health_score", 0, 100),
        *(between(share, 0, 1) for share in ("at_risk_arr_share", "grr", "logo_retention", "expansion_rate")),
        between("nrr", 0, None),
        between("time_to_value_days", 0, None),
    ]),
    # The executive summary's customers on the latest month's 'all' row are those the score history held
    # at that month's end: at least one, never more than the accounts on record.
    Checked("fct_executive_summary__latest", [
        ("ExpectTableRowCountToEqual", {"value": 1}),
        between("customers", 1, None),
    ], sql="select customers from marts.fct_executive_summary where segment = 'all' "
           "and month_start = (select max(month_start) from marts.fct_executive_summary)"),
    Checked("fct_value_health_matrix", [
        *key("arr_tier", "score_band"),
        one_of("score_band", [*BANDS, "all"]),
        between("churn_rate", 0, 1),
        between("customers", 0, {"$PARAMETER": "customers"}),
    ]),
    # The matrix's row over every tier and band counts every customer once.
    Checked("fct_value_health_matrix__portfolio", [
        ("ExpectTableRowCountToEqual", {"value": 1}),
        between("customers", {"$PARAMETER": "customers"}, {"$PARAMETER": "customers"}),
    ], sql="select customers from marts.fct_value_health_matrix where arr_tier = 'all' and score_band = 'all'"),
    Checked("fct_engagement_kpis", [
        *key("kpi_code"),
        ("ExpectTableRowCountToEqual", {"value": 4}),
        between("rate", 0, 1),
        between("target", 0, 1),
    ]),
    Checked("fct_toolkit_health", schema="toolkit_scores", expectations=[
        *key("account_id"),
        rows("customers"),
        *(between(f"{score}_score", 0, 100) for score in ("overall", "usage", "engagement", "support", "relationship")),
        one_of("classification", ["green", "yellow", "red"]),
        one_of("trend", ["improving", "stable", "declining", "no_data"]),
    ]),
    Checked("fct_toolkit_churn_risk", schema="toolkit_scores", expectations=[
        *key("account_id"),
        rows("customers"),
        between("risk_score", 0, 100),
        one_of("risk_tier", ["critical", "high", "medium", "low"]),
        between("warnings_count", 0, None),
    ]),
    Checked("fct_toolkit_expansion", schema="toolkit_scores", expectations=[
        *key("account_id"),
        rows("customers"),
        between("total_estimated_revenue", 0, None),
        between("opportunity_count", 0, None),
    ]),
]


@dataclass(frozen=True)
class Failure:
    frame: str
    expectation: str
    kwargs: dict[str, Any]
    observed: Any

    def __str__(self) -> str:
        shown = {k: v for k, v in self.kwargs.items() if k not in ("batch_id",) and v is not None}
        return f"{self.frame}: {self.expectation}({shown}) failed; observed {self.observed}"


def _observed(result: Any) -> Any:
    details = result.result or {}
    for name in ("observed_value", "partial_unexpected_list"):
        if details.get(name) not in (None, []):
            value = details[name]
            if name == "partial_unexpected_list":
                return f"{details.get('unexpected_count')} unexpected, e.g. {value[:5]}"
            return value
    return details or result.exception_info


def run_checkpoint(warehouse: Path, docs_dir: Path, checked: list[Checked] | None = None) -> list[Failure]:
    """Validate every frame in one GX checkpoint, write Data Docs under docs_dir, return the failures."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    checked = CHECKED if checked is None else checked
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frames = {item.name: con.execute(item.query).df() for item in checked}
        parameters = {name: con.execute(sql).fetchall()[0][0] for name, sql in PARAMETERS.items()}

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    docs_dir.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        site_name="marts",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas("marts")
    failures: list[Failure] = []
    for item in checked:
        batch = source.add_dataframe_asset(item.name).add_batch_definition_whole_dataframe("whole")
        suite = context.suites.add(gx.ExpectationSuite(name=item.name))
        for expectation, kwargs in item.expectations:
            suite.add_expectation(getattr(gx.expectations, expectation)(**kwargs))
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=item.name, data=batch, suite=suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(name=item.name, validation_definitions=[definition]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome = checkpoint.run(
                batch_parameters={"dataframe": frames[item.name]}, expectation_parameters=parameters
            )
        for validation in outcome.run_results.values():
            for result in validation.results:
                if not result.success:
                    config = result.expectation_config
                    failures.append(Failure(item.name, config.type, dict(config.kwargs), _observed(result)))
    # Once, from the stored results: a docs action on each checkpoint would render the index again
    # after every one of them.
    context.build_data_docs(site_names=["marts"])
    return failures
