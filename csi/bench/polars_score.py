"""The composite health score as a team's in-house polars job would compute it: the benchmark's
baseline (bench/results.md) and an independent check of the dbt score.

It reads the relations the dbt score models read (staging, the classified activities and the
survey attribution), exported to Parquet by `export_score_inputs`, and derives the customers as of
the date itself (as the nightly run rebuilds int_accounts__customers). The rules come from the seeds
(weights, scoring grid, bands, sentiment overrides, risk levels) and the windows from the vars in
dbt_project.yml, so none is restated here. Lazy polars throughout, collected at two checkpoints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import yaml

from csi.paths import PROJECT_DIR

# The relations the score reads, by warehouse schema.
SCORE_INPUTS = {
    "stg_salesforce__accounts": "staging",
    "stg_salesforce__contracts": "staging",
    "stg_salesforce__opportunities": "staging",
    "stg_product__usage_daily": "staging",
    "stg_ml__churn_predictions": "staging",
    "stg_alchemer__survey_responses": "staging",
    "stg_hubspot__engagements": "staging",
    "stg_support__tickets": "staging",
    "int_activities__classified": "intermediate",
    "int_identity__hubspot_companies": "intermediate",
    "int_identity__survey_respondents": "intermediate",
}

Frames = Mapping[str, pl.LazyFrame]
Measure = Callable[[pl.LazyFrame, Frames, date, Mapping[str, Any]], pl.LazyFrame]


def export_score_inputs(warehouse_path: Path, out_dir: Path) -> dict[str, Path]:
    """Write each relation the score reads to out_dir/<name>.parquet (read-only on the warehouse)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.parquet" for name in SCORE_INPUTS}
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        for name, schema in SCORE_INPUTS.items():
            con.execute(f"copy (select * from {schema}.{name}) to ? (format parquet)", [str(paths[name])])
    return paths


def polars_health_scores(
    staged: Mapping[str, pl.LazyFrame | pl.DataFrame] | Path, as_of: date, seeds_dir: Path
) -> pl.DataFrame:
    """One row per customer as of `as_of`: every component's 0-100 score (null where it does not
    apply), the renormalised composite health_score, computed_band, score_band after the CSM's
    sentiment override, churn probability and risk level, and the top three drivers.

    `staged` maps each name in SCORE_INPUTS to a frame, or is the directory export_score_inputs
    wrote; `seeds_dir` holds the health seeds (seeds/health)."""
    frames = _frames(staged)
    settings = yaml.load((PROJECT_DIR / "dbt_project.yml").read_text(), Loader=yaml.CSafeLoader)["vars"]
    seeds = {name: pl.scan_csv(seeds_dir / f"{name}.csv", schema_overrides={"weights_version": pl.String})
             for name in ("health_weights", "health_scoring_grid", "health_bands", "health_sentiment_overrides",
                          "health_risk_levels")}
    weights = seeds["health_weights"].filter(pl.col("weights_version") == str(settings["weights_version"]))
    # Every component is scored; the weights version decides which ones count towards the composite.
    components = list(settings["health_components"])

    # Collected where later steps read a result several times (the customers, the weighted
    # components): a single lazy plan would copy its subplan into every branch that reads it.
    customers = _customers(frames, as_of, settings).collect().lazy()
    measured = pl.concat(
        [MEASURES[component](customers, frames, as_of, settings)
         .select("account_id", pl.exclude("account_id").cast(pl.Float64))
         .unpivot(index="account_id", variable_name="metric", value_name="raw_value")
         .with_columns(component=pl.lit(component))
         for component in components]
    )
    scored = _score_components(measured, customers, _resolved_grid(seeds))

    weighted = (
        customers.select("account_id")
        .join(weights.select("component", "label", pl.col("weight").cast(pl.Float64)), how="cross")
        .join(scored, on=["account_id", "component"], how="left")
        .with_columns(applicable=pl.col("weight").filter(pl.col("score").is_not_null()).sum().over("account_id"))
        .with_columns(points_lost=(pl.col("weight") / pl.col("applicable") * (100 - pl.col("score"))).fill_null(0))
        .collect()
        .lazy()
    )
    composite = weighted.group_by("account_id").agg(
        (100 - pl.col("points_lost").sum()).alias("health_score"),
        pl.col("score").count().alias("components_applied"),
    )
    component_scores = scored.group_by("account_id").agg(
        *[pl.col("score").filter(pl.col("component") == c).first().alias(f"{c}_score") for c in components]
    )
    drivers = (
        weighted.filter(pl.col("points_lost") > 0)
        .sort(["points_lost", "weight", "component"], descending=[True, True, False])
        .group_by("account_id", maintain_order=True)
        .agg(drivers=pl.col("label").head(3))
        .select("account_id", *[pl.col("drivers").list.get(i, null_on_oob=True).alias(f"top_driver_{i + 1}")
                                for i in range(3)])
    )
    result = (
        customers.select("account_id", "segment", "csm_sentiment", "arr", "churn_probability")
        .join(composite, on="account_id")
        .join(component_scores, on="account_id", how="left")
        .join(drivers, on="account_id", how="left")
    )
    # To 6 places first: a parallel float sum differs in its last bits from run to run, which would
    # tip a score ending in half a cent either way; the band reads the rounded score.
    result = result.with_columns(health_score=pl.col("health_score").round(6).round(2, mode="half_away_from_zero"))
    return (
        _banded(result, seeds)
        .pipe(_risk_levels, seeds["health_risk_levels"])
        .with_columns(revenue_at_risk=pl.col("arr") * pl.col("churn_probability"))
        .select(
            "account_id", "segment", *[f"{c}_score" for c in components], "components_applied",
            "health_score", "computed_band", "score_band", "csm_sentiment", "churn_probability", "risk_level",
            "revenue_at_risk", "top_driver_1", "top_driver_2", "top_driver_3",
        )
        .sort("account_id")
        .collect()
    )


def _frames(staged: Mapping[str, pl.LazyFrame | pl.DataFrame] | Path) -> dict[str, pl.LazyFrame]:
    if isinstance(staged, Path):
        return {name: pl.scan_parquet(staged / f"{name}.parquet") for name in SCORE_INPUTS}
    return {name: staged[name].lazy() for name in SCORE_INPUTS}


def _days(earlier: pl.Expr, later: pl.Expr) -> pl.Expr:
    """Whole days from one date to another (timestamps count by calendar date)."""
    return (later.cast(pl.Date) - earlier.cast(pl.Date)).dt.total_days()


def _customers(frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    """Accounts with a contract in force on the as-of date: its ARR, seats and end, the first
    contract's start (tenure in calendar months since) and the churn model's prediction for it.
    Contracts count once started and signed (created; without a creation date, from the start)."""
    started = frames["stg_salesforce__contracts"].filter(
        (pl.col("contract_status") != "draft")
        & (pl.col("start_date").cast(pl.Date) <= as_of)
        & (pl.coalesce(pl.col("created_date"), pl.col("start_date")).cast(pl.Date) <= as_of)
    )
    current = (
        started.filter(pl.col("end_date").cast(pl.Date) >= as_of)
        .sort(["start_date", "contract_id"], descending=[True, False])
        .group_by("account_id", maintain_order=True)
        .first()
        .select("account_id", "contract_id", "end_date", pl.col("arr").cast(pl.Float64),
                pl.col("licensed_seats").cast(pl.Float64))
    )
    first_start = started.group_by("account_id").agg(first_start_date=pl.col("start_date").min().cast(pl.Date))
    as_of_month = as_of.year * 12 + as_of.month
    customers = (
        frames["stg_salesforce__accounts"]
        .select("account_id", pl.col("segment").fill_null(settings["default_segment"]), "is_insider", "csm_sentiment")
        .join(current, on="account_id")
        .join(first_start, on="account_id")
        .with_columns(
            tenure_months=as_of_month - pl.col("first_start_date").dt.year() * 12 - pl.col("first_start_date").dt.month(),
            days_to_contract_end=_days(pl.lit(as_of), pl.col("end_date")),
        )
    )
    churn = (
        frames["stg_ml__churn_predictions"]
        .filter(pl.col("scored_at").cast(pl.Date) <= as_of)
        .select("contract_id", pl.col("churn_probability").cast(pl.Float64))
    )
    return customers.join(churn, on="contract_id", how="left")


def _activities(frames: Frames, as_of: date, *types: str) -> pl.LazyFrame:
    return frames["int_activities__classified"].filter(
        pl.col("activity_type").is_in(types) & (pl.col("activity_date").cast(pl.Date) <= as_of)
    ).with_columns(pl.col("activity_date").cast(pl.Date))


def _churn_risk(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    return customers.select("account_id", retention_likelihood_pct=100 * (1 - pl.col("churn_probability")))


def _usage(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    window = settings["usage_window_days"]
    current = pl.col("usage_date").cast(pl.Date) > as_of - timedelta(days=window)
    usage = (
        frames["stg_product__usage_daily"]
        .filter(pl.col("usage_date").cast(pl.Date).is_between(as_of - timedelta(days=2 * window), as_of, closed="right"))
        .group_by("account_id")
        .agg(
            prior=pl.col("active_users").filter(~current).sum(),
            **{name: pl.col(name).filter(current).sum() for name in
               ("active_users", "logins", "saved_searches", "report_downloads")},
        )
    )
    seats = pl.when(pl.col("licensed_seats") != 0).then(pl.col("licensed_seats"))
    prior = pl.when(pl.col("prior") != 0).then(pl.col("prior"))
    return customers.join(usage, on="account_id", how="left").select(
        "account_id",
        seat_utilisation_pct=100 * pl.col("active_users").fill_null(0) / (window * seats),
        logins_per_seat=pl.col("logins").fill_null(0) / seats,
        saved_searches_per_seat=pl.col("saved_searches").fill_null(0) / seats,
        report_downloads_per_seat=pl.col("report_downloads").fill_null(0) / seats,
        usage_trend_pct=100 * (pl.col("active_users") - pl.col("prior")) / prior,
    )


def _health_check_cadence(
    customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]
) -> pl.LazyFrame:
    checks = _activities(frames, as_of, "health_check").group_by("account_id").agg(
        last=pl.col("activity_date").max(),
        in_window=(pl.col("activity_date") > as_of - timedelta(days=settings["health_check_window_days"])).sum(),
    )
    return customers.join(checks, on="account_id", how="left").select(
        "account_id",
        days_since_last_health_check=_days(pl.col("last"), pl.lit(as_of)).fill_null(NEVER),
        health_checks_in_window=pl.col("in_window").fill_null(0),
    )


def _onboarding(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    window = settings["onboarding_window_days"]
    onboarding = customers.filter(pl.col("tenure_months") < settings["onboarding_relevant_months"])
    steps = (
        _activities(frames, as_of, "onboarding_kickoff", "training")
        .join(onboarding.select("account_id", "first_start_date"), on="account_id")
        .group_by("account_id")
        .agg(
            kickoff=pl.col("activity_date").filter(pl.col("activity_type") == "onboarding_kickoff").min(),
            training=pl.col("activity_date").filter(
                (pl.col("activity_type") == "training")
                & pl.col("activity_date").is_between(
                    pl.col("first_start_date"), pl.col("first_start_date") + timedelta(days=window))
            ).min(),
        )
    )
    overdue = _days(pl.col("first_start_date"), pl.lit(as_of)) > window
    return onboarding.join(steps, on="account_id", how="left").select(
        "account_id",
        kickoff_days_after_start=pl.when(pl.col("kickoff").is_not_null())
        .then(_days(pl.col("first_start_date"), pl.col("kickoff")))
        .when(overdue).then(NEVER),
        training_completed_on_time=pl.when(pl.col("training").is_not_null()).then(1).when(overdue).then(0),
    )


def _insider_calls(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    calls = (
        _activities(frames, as_of, "insider_call")
        .filter(pl.col("activity_date") > as_of - timedelta(days=settings["insider_calls_window_days"]))
        .group_by("account_id")
        .len("calls")
    )
    return customers.join(calls, on="account_id", how="left").select(
        "account_id", insider_calls_in_window=pl.when(pl.col("is_insider")).then(pl.col("calls").fill_null(0))
    )


def _qbr_cadence(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    """Days since the last QBR, logged in Salesforce or as a HubSpot meeting whose title matches the
    activity_type_map seed's QBR subject patterns."""
    patterns = [
        rule["pattern"] for rule in pl.read_csv(PROJECT_DIR / "seeds" / "activity_type_map.csv").iter_rows(named=True)
        if rule["match_column"] == "subject" and rule["activity_type"] == "qbr"
    ]
    title = pl.col("meeting_title").str.to_lowercase()
    hubspot = (
        frames["stg_hubspot__engagements"]
        .filter(
            (pl.col("engagement_type") == "meeting")
            & pl.any_horizontal([title.str.contains("^" + ".*".join(map(_literal, p.split("%"))) + "$") for p in patterns])
            & (pl.col("engagement_date").cast(pl.Date) <= as_of)
        )
        .join(frames["int_identity__hubspot_companies"].filter(pl.col("account_id").is_not_null()), on="company_id")
        .select("account_id", activity_date=pl.col("engagement_date").cast(pl.Date))
    )
    qbrs = pl.concat([_activities(frames, as_of, "qbr").select("account_id", "activity_date"), hubspot])
    last = qbrs.group_by("account_id").agg(last=pl.col("activity_date").max())
    return customers.join(last, on="account_id", how="left").select(
        "account_id", days_since_last_qbr=_days(pl.col("last"), pl.lit(as_of)).fill_null(NEVER)
    )


def _literal(text: str) -> str:
    """Text matched literally inside a regex (a LIKE pattern's parts between its % wildcards)."""
    return "".join("\\" + char if char in "\\.^$|?*+()[]{}" else char for char in text)


def _pipeline(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    opened = frames["stg_salesforce__opportunities"].filter(pl.col("created_date").cast(pl.Date) <= as_of)
    renewals = (
        opened.filter(pl.col("opportunity_type") == "renewal")
        .group_by("renewed_contract_id")
        .agg(renewal_opened=pl.col("created_date").min().cast(pl.Date))
    )
    expansions = (
        opened.filter(
            (pl.col("opportunity_type") == "expansion")
            & (~pl.col("is_closed") | (pl.col("close_date").cast(pl.Date) > as_of))
        )
        .group_by("account_id")
        .agg(expansion=pl.col("amount").cast(pl.Float64).sum())
    )
    return (
        customers.join(renewals, left_on="contract_id", right_on="renewed_contract_id", how="left")
        .join(expansions, on="account_id", how="left")
        .select(
            "account_id",
            renewal_opened_days_before_end=pl.when(pl.col("days_to_contract_end") > settings["renewal_lead_days"])
            .then(None)
            .when(pl.col("renewal_opened").is_null())
            .then(-1)
            .otherwise(_days(pl.col("renewal_opened"), pl.col("end_date"))),
            expansion_pipeline_pct_of_arr=100 * pl.col("expansion").fill_null(0)
            / pl.when(pl.col("arr") != 0).then(pl.col("arr")),
        )
    )


def _tenure(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    return customers.select("account_id", "tenure_months")


def _csat(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    submitted = pl.col("submitted_at").cast(pl.Date)
    nps = pl.col("nps_score")
    responses = (
        frames["stg_alchemer__survey_responses"]
        .filter(
            (~pl.col("is_test_data"))
            & submitted.is_between(as_of - timedelta(days=settings["survey_window_days"]), as_of, closed="right")
        )
        .join(frames["int_identity__survey_respondents"].select("survey_response_id", "account_id"),
              on="survey_response_id")
        .filter(pl.col("account_id").is_not_null())
        .group_by("account_id")
        .agg(
            nps=100 * pl.when(nps >= 9).then(1).when(nps <= 6).then(-1).otherwise(0).sum().cast(pl.Float64)
            / pl.when(nps.count() > 0).then(nps.count()),
            training_csat=pl.col("csat_score").cast(pl.Float64).mean(),
        )
    )
    return customers.join(responses, on="account_id", how="left").select("account_id", "nps", "training_csat")


def _support(customers: pl.LazyFrame, frames: Frames, as_of: date, settings: Mapping[str, Any]) -> pl.LazyFrame:
    """Tickets per seat and escalated (created in the window), average hours to solve (solved in
    it), urgent tickets open on the as-of date."""
    start = as_of - timedelta(days=settings["support_window_days"])
    created, solved = pl.col("created_at").cast(pl.Date), pl.col("solved_at").cast(pl.Date)
    in_window = created > start
    solved_in_window = solved.is_between(start, as_of, closed="right").fill_null(False)
    tickets = (
        frames["stg_support__tickets"]
        .filter(created <= as_of)
        .group_by("account_id")
        .agg(
            created=in_window.sum(),
            escalated=(in_window & pl.col("is_escalated")).sum(),
            resolution_hours=((pl.col("solved_at") - pl.col("created_at")).dt.total_seconds() / 3600)
            .filter(solved_in_window).mean(),
            open_urgent=(pl.col("priority").is_in(settings["urgent_ticket_priorities"])
                         & (pl.col("solved_at").is_null() | (solved > as_of))).sum(),
        )
    )
    return customers.join(tickets, on="account_id", how="left").select(
        "account_id",
        tickets_per_seat=pl.col("created").fill_null(0) / pl.when(pl.col("licensed_seats") != 0).then(pl.col("licensed_seats")),
        escalation_rate_pct=100 * pl.col("escalated") / pl.when(pl.col("created") > 0).then(pl.col("created")),
        avg_resolution_hours=pl.col("resolution_hours"),
        open_urgent_tickets=pl.col("open_urgent").fill_null(0),
    )


# How long ago a step that never happened counts as (scores in the grid's last band).
NEVER = 99999

MEASURES: dict[str, Measure] = {
    "churn_risk": _churn_risk,
    "usage": _usage,
    "health_check_cadence": _health_check_cadence,
    "onboarding": _onboarding,
    "insider_calls": _insider_calls,
    "qbr_cadence": _qbr_cadence,
    "pipeline": _pipeline,
    "tenure": _tenure,
    "csat": _csat,
    "support": _support,
}


def _resolved_grid(seeds: Frames) -> pl.LazyFrame:
    """The grid per segment of the bands seed: a segment's own rows for a metric, else the 'all' rows."""
    grid = seeds["health_scoring_grid"]
    segments = seeds["health_bands"].select("segment").unique()
    own = grid.filter(pl.col("segment") != "all")
    shared = (
        grid.filter(pl.col("segment") == "all").drop("segment")
        .join(segments, how="cross")
        .join(own.select("component", "metric", "segment").unique(), on=["component", "metric", "segment"], how="anti")
    )
    return pl.concat([own, shared], how="diagonal")


def _score_components(measured: pl.LazyFrame, customers: pl.LazyFrame, grid: pl.LazyFrame) -> pl.LazyFrame:
    """Each metric scored in its grid band (interpolated; lower bound inclusive, upper exclusive), a
    component scoring the mean of its metrics that have a score."""
    return (
        measured.join(customers.select("account_id", "segment"), on="account_id")
        .join(grid, on=["component", "metric", "segment"])
        .filter((pl.col("raw_value") >= pl.col("lower_bound")) & (pl.col("raw_value") < pl.col("upper_bound")))
        .with_columns(
            metric_score=pl.col("score_at_lower")
            + (pl.col("score_at_upper") - pl.col("score_at_lower"))
            * (pl.col("raw_value") - pl.col("lower_bound"))
            / (pl.col("upper_bound") - pl.col("lower_bound"))
        )
        .group_by("account_id", "component")
        .agg(score=pl.col("metric_score").mean())
    )


def _banded(scores: pl.LazyFrame, seeds: Frames) -> pl.LazyFrame:
    """The best band of the segment whose min_score the score reaches, then the sentiment override
    (moves it at most the seed's shift, within the segment's bands)."""
    bands = seeds["health_bands"]
    computed = (
        scores.select("account_id", "segment", "health_score")
        .join(bands, on="segment")
        .filter(pl.col("health_score") >= pl.col("min_score"))
        .group_by("account_id")
        .agg(computed_rank=pl.col("band_rank").min())
    )
    last_rank = bands.group_by("segment").agg(last_rank=pl.col("band_rank").max())
    return (
        scores.join(computed, on="account_id")
        .join(last_rank, on="segment")
        .join(seeds["health_sentiment_overrides"], on="csm_sentiment", how="left")
        .with_columns(
            final_rank=(pl.col("computed_rank") + pl.col("band_shift").fill_null(0)).clip(1, pl.col("last_rank"))
        )
        .join(bands.select("segment", computed_rank=pl.col("band_rank"), computed_band=pl.col("band")),
              on=["segment", "computed_rank"])
        .join(bands.select("segment", final_rank=pl.col("band_rank"), score_band=pl.col("band")),
              on=["segment", "final_rank"])
    )


def _risk_levels(scores: pl.LazyFrame, levels: pl.LazyFrame) -> pl.LazyFrame:
    """The most severe risk level whose min_probability the churn probability reaches."""
    ranked = (
        scores.select("account_id", "churn_probability")
        .join(levels, how="cross")
        .filter(pl.col("churn_probability") >= pl.col("min_probability"))
        .group_by("account_id")
        .agg(risk_level=pl.col("risk_level").sort_by("risk_rank").first())
    )
    return scores.join(ranked, on="account_id", how="left")
