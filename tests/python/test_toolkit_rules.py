"""Unit tests for the toolkit's documented rules at their boundaries, through `csi toolkit` (the dbt
models), on crafted customers: the expected values come from the rules as seed 002 states them, not
from the models or the scripts. All customers of a tool are scored in one file (one run each), and
every test reads its own customer by id."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from csi.toolkit.run import reports

TODAY = dt.date(2026, 3, 1)

# (days ahead of today, multiplier, days to renewal): the clock reads noon of today, so a renewal N
# days ahead is N - 1 whole days away
URGENCY = [(31, 1.5, 30), (32, 1.35, 31), (61, 1.35, 60), (62, 1.2, 61), (91, 1.2, 90), (92, 1.1, 91),
           (181, 1.1, 180), (182, 1.0, 181), (0, 1.5, 0), (-40, 1.5, 0)]
MALFORMED_DATES = ["2026-02-30", "not a date", "", None]
EVERY_SIGNAL = {
    "commercial_factors": {"contract_type": "month-to-month", "pricing_complaints": True, "budget_cuts_mentioned": True},
    "relationship_signals": {"champion_left": True, "sponsor_change": True, "competitor_mentions": 5},
    "support_issues": {"open_escalations": 4, "unresolved_critical": 3, "satisfaction_trend": "critical"},
    "engagement_drop": {"meeting_cancellations": 5, "response_time_days": 14, "nps_change": -8},
    "usage_decline": {"login_trend": -60, "feature_adoption_change": -40, "dau_mau_change": -0.4},
}
THRESHOLDS = [("enterprise", 75, 50), ("mid-market", 70, 45), ("smb", 65, 40), ("startup", 70, 45)]
LEVELS = [0, 20, 40, 55, 70, 85, 100]
TREND_OFFSETS = [(5, "stable"), (-5, "stable"), (5.5, "declining"), (-5.5, "improving"), (None, "no_data")]
TREND_BASE = {"segment": "smb", "usage": {"login_frequency": 60, "feature_adoption": 60, "dau_mau_ratio": 0.3}}
SEATS = [(90, True), (89, False), (100, True), (0, False)]


def _score(tmp_path: Path, tool: str, customers: list[dict]) -> dict[str, dict]:
    path = tmp_path / f"{tool}.json"
    path.write_text(json.dumps({"customers": customers}))
    report = json.loads(reports(path, TODAY, [(tool, "json")])[(tool, "json")])
    return {row["customer_id"]: row for row in report["customers"]}


@pytest.fixture(scope="module")
def churn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    customers = [{"customer_id": f"urgency{ahead}", "contract_end_date": (TODAY + dt.timedelta(days=ahead)).isoformat()}
                 for ahead, _, _ in URGENCY]
    customers += [{"customer_id": f"malformed{i}", "contract_end_date": end} for i, end in enumerate(MALFORMED_DATES)]
    customers += [{"customer_id": "every signal", **EVERY_SIGNAL}, {"customer_id": "no signal"}]
    return _score(tmp_path_factory.mktemp("churn"), "churn", customers)


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    directory = tmp_path_factory.mktemp("health")
    customers = [{"customer_id": f"{segment}-{level}", "segment": segment,
                  "usage": {"login_frequency": level, "feature_adoption": level, "dau_mau_ratio": level / 100},
                  "engagement": {"meeting_attendance": level, "nps_score": level / 10, "csat_score": level / 20},
                  "relationship": {"executive_sponsor_engagement": level, "multi_threading_depth": level / 20}}
                 for segment, _, _ in THRESHOLDS for level in LEVELS]
    scored = _score(directory, "health", [*customers, {"customer_id": "trend base", **TREND_BASE}])
    current = scored["trend base"]["dimensions"]["usage"]["score"]
    trends = [{"customer_id": f"trend{offset}", **TREND_BASE,
               "previous_period": {"usage_score": None if offset is None else current + offset}}
              for offset, _ in TREND_OFFSETS]
    return {**scored, **_score(directory, "health", trends)}


@pytest.fixture(scope="module")
def expansion(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    customers = [{"customer_id": f"seats{active}", "segment": "enterprise", "arr": 100000,
                  "contract": {"licensed_seats": 100, "active_seats": active}} for active, _ in SEATS]
    customers.append({"customer_id": "modules", "segment": "smb", "arr": 40000,
                      "product_usage": {"core_platform": {"adopted": True, "usage_pct": 80},
                                        "analytics_module": {"adopted": False, "usage_pct": 0}},
                      "departments": {"current": ["sales", "support"], "potential": ["Sales", "finance"]}})
    return _score(tmp_path_factory.mktemp("expansion"), "expansion", customers)


@pytest.mark.parametrize(("ahead", "multiplier", "days"), URGENCY)
def test_renewal_urgency_steps(churn: dict, ahead: int, multiplier: float, days: int) -> None:
    row = churn[f"urgency{ahead}"]
    assert (row["days_to_renewal"], row["urgency_multiplier"]) == (days, multiplier)


@pytest.mark.parametrize("number", range(len(MALFORMED_DATES)))
def test_a_missing_or_malformed_renewal_date_applies_no_multiplier(churn: dict, number: int) -> None:
    row = churn[f"malformed{number}"]
    assert (row["days_to_renewal"], row["urgency_multiplier"]) == (None, 1.0)


def test_risk_tiers_follow_the_score(churn: dict) -> None:
    """Critical from 80, high 60-79, medium 40-59, low below (seed 004's table)."""
    for row in churn.values():
        score = row["risk_score"]
        assert row["risk_tier"] == ("critical" if score >= 80 else "high" if score >= 60
                                    else "medium" if score >= 40 else "low")
    assert (churn["every signal"]["risk_tier"], churn["no signal"]["risk_tier"]) == ("critical", "low")


@pytest.mark.parametrize(("offset", "trend"), TREND_OFFSETS)
def test_trends_move_beyond_five_points(health: dict, offset: float | None, trend: str) -> None:
    """A dimension improves when it beats the previous period by more than 5 points, declines when it
    trails by more than 5, and has no trend without a previous score."""
    assert health[f"trend{offset}"]["trends"]["usage"] == trend


@pytest.mark.parametrize(("segment", "green", "yellow"), THRESHOLDS)
def test_classification_uses_the_segment_thresholds(health: dict, segment: str, green: int, yellow: int) -> None:
    rows = [health[f"{segment}-{level}"] for level in LEVELS]
    for row in rows:
        score = row["overall_score"]
        assert row["classification"] == ("green" if score >= green else "yellow" if score >= yellow else "red")
    assert {row["classification"] for row in rows} == {"green", "yellow", "red"}


@pytest.mark.parametrize(("active", "found"), SEATS)
def test_seat_expansion_from_90_percent_utilisation(expansion: dict, active: int, found: bool) -> None:
    seats = [o for o in expansion[f"seats{active}"]["opportunities"] if o["category"] == "seat_expansion"]
    assert bool(seats) == found
    if found:  # enterprise seats grow by 25 % of ARR; priority = min(revenue / 2000, 100) x 3.0 (low effort)
        assert seats[0]["estimated_revenue"] == 25000.0
        assert seats[0]["priority_score"] == 37.5
        assert seats[0]["rationale"] == f"Seat utilisation at {active}% -- likely needs 25 additional seats"


def test_module_cross_sell_and_departments(expansion: dict) -> None:
    row = expansion["modules"]
    departments = [o["department"] for o in row["opportunities"] if o["category"] == "department_expansion"]
    assert departments == ["finance"]  # a potential department already covered (any case) is not offered
    assert (row["adoption_summary"]["adopted_modules"], row["adoption_summary"]["total_modules"]) == (1, 2)
    assert any(o["category"] == "module_cross_sell" and o["module"] == "analytics_module" for o in row["opportunities"])
