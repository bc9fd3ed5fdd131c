"""`csi toolkit health|churn|expansion` prints what the original scripts print, byte for byte.

The oracle is the original scripts rebuilt from seed 002 (tests/python/toolkit_oracle.py), run in-process.
Random portfolios cover missing optional fields, unknown segments, zero seats, past and malformed
renewal dates, booleans counted as numbers, negative ARR, non-ASCII names and ties in every sort.
To keep thousands of portfolios within seconds, a batch file concatenates many random portfolios
(both sides read the same file; each customer's section depends only on that customer, the sorts
and summaries span the batch) and one load and one run of the models serves all six reports; a
second test runs single small portfolios, where the summaries see a handful of customers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csi.toolkit.run import print_report, reports
from tests.python.toolkit_oracle import Oracle, build_oracle, seed_sample_input

from .test_toolkit_oracle import requires_seeds

TODAY = "2026-03-01"
TOOLS = ("health", "churn", "expansion")
FORMATS = ("text", "json")
WANTED = [(tool, output_format) for tool in TOOLS for output_format in FORMATS]
# Portfolios per tool and format in the batched comparison (CSI_TOOLKIT_PORTFOLIOS raises it).
PORTFOLIOS = int(os.environ.get("CSI_TOOLKIT_PORTFOLIOS", "1200"))
BATCH = 150


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return build_oracle(tmp_path_factory.mktemp("oracle"))


def theirs(oracle: Oracle, path: Path) -> dict[tuple[str, str], str]:
    return {(tool, output_format): oracle.report(tool, path, output_format, TODAY) for tool, output_format in WANTED}


def ours(path: Path) -> dict[tuple[str, str], str]:
    return reports(path, dt.date.fromisoformat(TODAY), WANTED)


def assert_same(expected: dict[tuple[str, str], str], actual: dict[tuple[str, str], str], path: Path) -> None:
    for key in WANTED:
        assert actual[key] == expected[key], f"{key} differs for {path}"


@requires_seeds
def test_sample_portfolio_matches_the_original_scripts(oracle: Oracle, tmp_path: Path) -> None:
    path = tmp_path / "sample_customer_data.json"
    path.write_text(json.dumps(seed_sample_input(), indent=2))
    assert_same(theirs(oracle, path), ours(path), path)


@requires_seeds
@pytest.mark.parametrize("tool", TOOLS)
def test_the_cli_prints_the_report(oracle: Oracle, tmp_path: Path, tool: str) -> None:
    """print_report (what `csi toolkit TOOL` calls) streams the same bytes as the batch path."""
    path = tmp_path / "sample_customer_data.json"
    path.write_text(json.dumps(seed_sample_input()))
    out = io.StringIO()
    print_report(tool, path, "text", dt.date.fromisoformat(TODAY), out)
    assert out.getvalue() == oracle.report(tool, path, "text", TODAY)


@requires_seeds
def test_today_moves_only_the_churn_report(tmp_path: Path) -> None:
    """--today is the scripts' clock: churn counts days to renewal from it; health and expansion
    never read it."""
    path = tmp_path / "sample_customer_data.json"
    path.write_text(json.dumps(seed_sample_input()))
    early, late = (reports(path, dt.date.fromisoformat(day), WANTED) for day in ("2026-03-01", "2026-11-30"))
    for tool, output_format in WANTED:
        assert (early[(tool, output_format)] == late[(tool, output_format)]) == (tool != "churn")


# ----------------------------------------------------------------------------- random portfolios

_NUMBERS = [0, 0.0, -0.0, 5, 5.0, 0.1, 0.05, 0.15, 0.25, 2.675, 100, 1, True, False]
_RATIOS = [0, -0.1, -0.10, 0.5, 0.45, -0.2]
_SEGMENTS = ["enterprise", "Enterprise", "mid-market", "SMB", "smb", "startup", "", "o'neil co", "x2y"]
_DATES = ["2026-03-01", "2026-03-02", "2026-03-31", "2026-04-01", "2026-05-30", "2026-05-31", "2026-08-28",
          "2026-08-29", "2026-02-30", "2026-13-01", "not a date", "", "2026-3-5", "2026-04-15T10:00:00",
          "2026-04-15x", "0000-01-01", "2026-01- 5", None, 20260401]
_TIERS = ["starter", "professional", "enterprise", "enterprise_plus", "Enterprise", "custom", ""]
_MODULES = ["core_platform", "analytics_module", "api_access", "security_module", "Custom_Module", "audit_module",
            "data_export"]
_DEPARTMENTS = ["engineering", "Engineering", "sales", "HR", "IT", "ops"]


def _number(rng: random.Random) -> object:
    pick = rng.random()
    if pick < 0.4:
        return rng.randint(-50, 150)
    if pick < 0.75:
        return round(rng.uniform(-50, 150), 2)
    return rng.choice(_NUMBERS)


def _ratio(rng: random.Random) -> object:
    return round(rng.uniform(-0.5, 1.5), 3) if rng.random() < 0.7 else rng.choice(_RATIOS)


def _maybe(rng: random.Random, fields: dict) -> dict:
    """Each field present with probability 0.85 (the scripts default what is missing)."""
    return {key: make(rng) for key, make in fields.items() if rng.random() < 0.85}


def _date(rng: random.Random) -> object:
    if rng.random() < 0.5:
        return (dt.date(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 730))).isoformat()
    return rng.choice(_DATES)


def _text(rng: random.Random, size: int) -> str:
    alphabet = string.ascii_letters + string.digits + " '\"\\-_éü€\u00a0\t"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


_FIELDS = {
    "customer_id": lambda r: _text(r, 6) if r.random() < 0.7 else r.randint(0, 99),
    "name": lambda r: _text(r, 8) if r.random() < 0.9 else "Müller GmbH",
    "segment": lambda r: r.choice(_SEGMENTS),
    "arr": lambda r: r.randint(-1000, 500000) if r.random() < 0.6 else round(r.uniform(0, 500000), 2),
    "contract_end_date": _date,
    "usage": lambda r: _maybe(r, {"login_frequency": _number, "feature_adoption": _number, "dau_mau_ratio": _ratio}),
    "engagement": lambda r: _maybe(r, {"support_ticket_volume": _number, "meeting_attendance": _number,
                                       "nps_score": _number, "csat_score": _number}),
    "support": lambda r: _maybe(r, {"open_tickets": _number, "escalation_rate": _ratio,
                                    "avg_resolution_hours": _number}),
    "relationship": lambda r: _maybe(r, {
        "executive_sponsor_engagement": _number, "multi_threading_depth": _number,
        "renewal_sentiment": lambda q: q.choice(["positive", "Negative", "neutral", "unknown", "meh"])}),
    "previous_period": lambda r: _maybe(r, {
        "usage_score": _number, "engagement_score": _number, "support_score": _number,
        "relationship_score": _number, "overall_score": lambda q: None if q.random() < 0.2 else _number(q)}),
    "usage_decline": lambda r: _maybe(r, {"login_trend": _number, "feature_adoption_change": _number,
                                          "dau_mau_change": _ratio}),
    "engagement_drop": lambda r: _maybe(r, {"meeting_cancellations": lambda q: q.randint(0, 5),
                                            "response_time_days": _number, "nps_change": _number}),
    "support_issues": lambda r: _maybe(r, {
        "open_escalations": lambda q: q.randint(0, 4), "unresolved_critical": lambda q: q.randint(0, 3),
        "satisfaction_trend": lambda q: q.choice(["improving", "stable", "Declining", "critical", "x"])}),
    "relationship_signals": lambda r: _maybe(r, {
        "champion_left": lambda q: q.choice([True, False, 0, 1, "yes", "", None]),
        "sponsor_change": lambda q: q.random() < 0.3,
        "competitor_mentions": lambda q: q.randint(0, 5) if q.random() < 0.9 else True}),
    "commercial_factors": lambda r: _maybe(r, {
        "contract_type": lambda q: q.choice(["annual", "month-to-month", "Quarterly", "multi-year"]),
        "pricing_complaints": lambda q: q.random() < 0.3, "budget_cuts_mentioned": lambda q: q.random() < 0.3}),
    "contract": lambda r: _maybe(r, {
        "licensed_seats": lambda q: q.choice([0, 1, 10, 20, 100, 250, 7.5]),
        "active_seats": lambda q: q.choice([0, 1, 9, 18, 19, 20, 95, 240, 300]),
        "plan_tier": lambda q: q.choice(_TIERS),
        "available_tiers": lambda q: [q.choice(_TIERS) for _ in range(q.randint(0, 4))]}),
    "product_usage": lambda r: {
        r.choice(_MODULES): _maybe(r, {"adopted": lambda q: q.random() < 0.5, "usage_pct": lambda q: q.randint(0, 100)})
        for _ in range(r.randint(0, 5))},
    "departments": lambda r: _maybe(r, {
        "current": lambda q: [q.choice(_DEPARTMENTS) for _ in range(q.randint(0, 4))],
        "potential": lambda q: [q.choice(_DEPARTMENTS) for _ in range(q.randint(0, 4))]}),
}


def random_portfolio(rng: random.Random) -> list[dict]:
    """1 to 6 customers with edge-case values, any field possibly missing."""
    return [_maybe(rng, _FIELDS) for _ in range(rng.randint(1, 6))]


@requires_seeds
def test_thousands_of_random_portfolios_match_the_original_scripts(oracle: Oracle, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("CSI_TOOLKIT_SEED", "11")))
    compared = 0
    while compared < PORTFOLIOS:
        batch = [random_portfolio(rng) for _ in range(min(BATCH, PORTFOLIOS - compared))]
        path = tmp_path / f"batch_{compared}.json"
        path.write_text(json.dumps({"customers": [customer for portfolio in batch for customer in portfolio]}))
        actual = ours(path)
        assert_same(theirs(oracle, path), actual, path)
        customers = [customer for portfolio in batch for customer in portfolio]
        assert_health_invariants(json.loads(actual[("health", "json")]), customers)
        assert_churn_invariants(json.loads(actual[("churn", "json")]), customers)
        assert_expansion_invariants(json.loads(actual[("expansion", "json")]), customers)
        compared += len(batch)
    assert compared >= PORTFOLIOS


# ----------------------------------------------------------------------------- invariants
# The rules as the seeds document them (004's tables, 002's thresholds), checked on our JSON reports.

GREEN_YELLOW_MINIMA = {"enterprise": (75, 50), "mid-market": (70, 45), "smb": (65, 40)}
RISK_TIERS = [("critical", 80, 100), ("high", 60, 79), ("medium", 40, 59), ("low", 0, 39)]
URGENCY_STEPS = [(30, 1.5), (60, 1.35), (90, 1.2), (180, 1.1)]
DIMENSION_WEIGHTS = {"usage": "30%", "engagement": "25%", "support": "20%", "relationship": "25%"}
SIGNAL_WEIGHTS = {"usage_decline": "30%", "engagement_drop": "25%", "support_issues": "20%",
                  "relationship_signals": "15%", "commercial_factors": "10%"}


def assert_health_invariants(report: dict, customers: list[dict]) -> None:
    rows, summary = report["customers"], report["summary"]
    assert summary["total_customers"] == len(rows) == len(customers)
    counts = {colour: sum(row["classification"] == colour for row in rows) for colour in ("green", "yellow", "red")}
    assert (summary["green_count"], summary["yellow_count"], summary["red_count"]) == tuple(counts.values())
    assert summary["average_score"] == round(sum(row["overall_score"] for row in rows) / len(rows), 1)
    for row in rows:
        green, yellow = GREEN_YELLOW_MINIMA.get(str(row["segment"]).lower(), GREEN_YELLOW_MINIMA["mid-market"])
        score = row["overall_score"]
        assert 0 <= score <= 100
        assert row["classification"] == ("green" if score >= green else "yellow" if score >= yellow else "red")
        for dimension, weight in DIMENSION_WEIGHTS.items():
            assert 0 <= row["dimensions"][dimension]["score"] <= 100
            assert row["dimensions"][dimension]["weight"] == weight
        assert set(row["trends"].values()) <= {"improving", "declining", "stable", "no_data"}


def assert_churn_invariants(report: dict, customers: list[dict]) -> None:
    rows, summary = report["customers"], report["summary"]
    assert summary["total_customers"] == len(rows) == len(customers)
    scores = [row["risk_score"] for row in rows]
    assert scores == sorted(scores, reverse=True), "customers are listed by risk, highest first"
    for tier in ("critical", "high", "medium", "low"):
        assert summary[f"{tier}_count"] == sum(row["risk_tier"] == tier for row in rows)
    at_risk = [row["arr"] for row in rows if row["risk_tier"] in ("critical", "high")]
    assert summary["total_arr_at_risk"] == pytest.approx(sum(at_risk), rel=1e-12, abs=1e-6)
    for row in rows:
        score = row["risk_score"]
        assert 0 <= score <= 100 and 0 <= row["raw_score"] <= 100
        # a score between two tiers' ranges (79.5) falls through to the last tier, as in the script
        expected = next((name for name, low, high in RISK_TIERS if low <= score <= high), "low")
        assert row["risk_tier"] == expected and row["risk_label"] == expected.upper()
        days = row["days_to_renewal"]
        step = 1.0 if days is None else next((m for limit, m in URGENCY_STEPS if days <= limit), 1.0)
        assert row["urgency_multiplier"] == step
        assert days is None or days >= 0
        assert {group: signal["weight"] for group, signal in row["signal_scores"].items()} == SIGNAL_WEIGHTS
        assert all(0 <= signal["score"] <= 100 for signal in row["signal_scores"].values())


def assert_expansion_invariants(report: dict, customers: list[dict]) -> None:
    rows, summary = report["customers"], report["summary"]
    assert summary["total_customers"] == len(rows) == len(customers)
    totals = [row["total_estimated_revenue"] for row in rows]
    assert totals == sorted(totals, reverse=True), "customers are listed by expansion revenue, highest first"
    assert summary["total_opportunities"] == sum(row["opportunity_count"] for row in rows)
    assert summary["total_estimated_revenue"] == pytest.approx(sum(totals), rel=1e-9, abs=1e-6)
    for row in rows:
        found = row["opportunities"]
        assert row["opportunity_count"] == len(found)
        assert row["total_estimated_revenue"] == pytest.approx(sum(o["estimated_revenue"] for o in found), abs=1e-6)
        priorities = [o["priority_score"] for o in found]
        assert priorities == sorted(priorities, reverse=True), "opportunities are ranked by priority"
        assert all(o["priority_score"] >= 0 for o in found)
        assert {o["category"] for o in found} <= {"seat_expansion", "tier_upgrade", "module_cross_sell",
                                                   "department_expansion"}
        assert sum(o["category"] == "tier_upgrade" for o in found) <= 1
        assert sum(o["category"] == "seat_expansion" for o in found) <= 1


@requires_seeds
@settings(max_examples=int(os.environ.get("TOOLKIT_EXAMPLES", "4")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
@example(seed=312300)  # a portfolio without a single opportunity
def test_single_random_portfolios_match_the_original_scripts(oracle: Oracle, tmp_path: Path, seed: int) -> None:
    """Summaries over a handful of customers: integer and float ARR sums, no opportunities at all."""
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps({"customers": random_portfolio(random.Random(seed))}))
    assert_same(theirs(oracle, path), ours(path), path)


def test_the_compile_cache_serves_any_clone_of_the_project() -> None:
    """The cache is shared across clones (keyed by content), so it must not hold absolute paths."""
    from csi.toolkit.models import compiled_nodes

    seeds = [node for node in compiled_nodes() if node.resource_type == "seed"]
    assert seeds and not any(Path(node.seed_file).is_absolute() for node in seeds)
