"""`csi toolkit health|churn|expansion` prints what the original scripts print, byte for byte.

The oracle is the original scripts rebuilt from seed 002 (test_toolkit_oracle.py). Random
portfolios (hypothesis) cover missing optional fields, unknown segments, zero seats, past and
malformed renewal dates, booleans counted as numbers, negative ARR, ties in every sort.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csi.toolkit.run import print_report

from .test_toolkit_oracle import Oracle, build_oracle, requires_seeds, seed_sample_input

TODAY = "2026-03-01"


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return build_oracle(tmp_path_factory.mktemp("oracle"))


def ours(tool: str, path: Path, output_format: str) -> str:
    out = io.StringIO()
    print_report(tool, path, output_format, dt.date.fromisoformat(TODAY), out)
    return out.getvalue()


def assert_same(oracle: Oracle, path: Path, tool: str, output_format: str) -> None:
    expected = oracle.run(tool, path, output_format, TODAY)
    assert expected.returncode == 0, expected.stderr
    assert ours(tool, path, output_format) == expected.stdout


@requires_seeds
@pytest.mark.parametrize("tool", ["health", "churn", "expansion"])
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_sample_portfolio_matches_the_original_scripts(oracle: Oracle, tmp_path: Path, tool: str,
                                                       output_format: str) -> None:
    path = tmp_path / "sample_customer_data.json"
    path.write_text(json.dumps(seed_sample_input(), indent=2))
    assert_same(oracle, path, tool, output_format)


# ----------------------------------------------------------------------------- random portfolios

small_int = st.integers(min_value=-50, max_value=150)
number = st.one_of(small_int, st.floats(min_value=-50, max_value=150, allow_nan=False).map(lambda x: round(x, 2)),
                   st.sampled_from([0, 0.0, -0.0, 5, 5.0, 0.1, 0.05, 0.15, 0.25, 2.675, 100, 1, True, False]))
ratio = st.one_of(st.floats(min_value=-0.5, max_value=1.5, allow_nan=False).map(lambda x: round(x, 3)),
                  st.sampled_from([0, -0.1, -0.10, 0.5, 0.45, -0.2]))
text = st.sampled_from(["enterprise", "Enterprise", "mid-market", "SMB", "smb", "startup", "", "o'neil co", "x2y"])


def maybe(strategy: st.SearchStrategy, key: str) -> st.SearchStrategy:
    return st.one_of(st.just({}), strategy.map(lambda v: {key: v}))


def obj(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    parts = [maybe(strategy, key) for key, strategy in fields.items()]
    return st.tuples(*parts).map(lambda ds: {k: v for d in ds for k, v in d.items()})


dates = st.one_of(
    st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1)).map(lambda d: d.isoformat()),
    st.sampled_from(["2026-03-01", "2026-03-02", "2026-03-31", "2026-04-01", "2026-05-30", "2026-05-31",
                     "2026-08-28", "2026-08-29", "2026-02-30", "2026-13-01", "not a date", "", "2026-3-5",
                     "2026-04-15T10:00:00", "2026-04-15x", "0000-01-01", "2026-01- 5", None, 20260401]),
)
tiers = st.sampled_from(["starter", "professional", "enterprise", "enterprise_plus", "Enterprise", "custom", ""])
modules = st.sampled_from(["core_platform", "analytics_module", "api_access", "security_module", "Custom_Module",
                           "audit_module", "data_export"])
departments = st.lists(st.sampled_from(["engineering", "Engineering", "sales", "HR", "IT", "ops"]), max_size=4)

customer = st.builds(
    lambda base, extra: {**base, **extra},
    obj({
        "customer_id": st.one_of(st.text(max_size=6), st.integers(0, 99)),
        "name": st.one_of(st.text(max_size=8), st.just("Müller GmbH")),
        "segment": text,
        "arr": st.one_of(st.integers(-1000, 500000), st.floats(0, 500000, allow_nan=False).map(lambda x: round(x, 2))),
        "contract_end_date": dates,
    }),
    obj({
        "usage": obj({"login_frequency": number, "feature_adoption": number, "dau_mau_ratio": ratio}),
        "engagement": obj({"support_ticket_volume": number, "meeting_attendance": number, "nps_score": number,
                           "csat_score": number}),
        "support": obj({"open_tickets": number, "escalation_rate": ratio, "avg_resolution_hours": number}),
        "relationship": obj({"executive_sponsor_engagement": number, "multi_threading_depth": number,
                             "renewal_sentiment": st.sampled_from(["positive", "Negative", "neutral", "unknown", "meh"])}),
        "previous_period": obj({"usage_score": number, "engagement_score": number, "support_score": number,
                                "relationship_score": number, "overall_score": st.one_of(number, st.none())}),
        "usage_decline": obj({"login_trend": number, "feature_adoption_change": number, "dau_mau_change": ratio}),
        "engagement_drop": obj({"meeting_cancellations": st.integers(0, 5), "response_time_days": number,
                                "nps_change": number}),
        "support_issues": obj({"open_escalations": st.integers(0, 4), "unresolved_critical": st.integers(0, 3),
                               "satisfaction_trend": st.sampled_from(["improving", "stable", "Declining", "critical", "x"])}),
        "relationship_signals": obj({"champion_left": st.sampled_from([True, False, 0, 1, "yes", "", None]),
                                     "sponsor_change": st.booleans(),
                                     "competitor_mentions": st.one_of(st.integers(0, 5), st.just(True))}),
        "commercial_factors": obj({"contract_type": st.sampled_from(["annual", "month-to-month", "Quarterly", "multi-year"]),
                                   "pricing_complaints": st.booleans(), "budget_cuts_mentioned": st.booleans()}),
        "contract": obj({"licensed_seats": st.sampled_from([0, 1, 10, 20, 100, 250, 7.5]),
                         "active_seats": st.sampled_from([0, 1, 9, 18, 19, 20, 95, 240, 300]),
                         "plan_tier": tiers, "available_tiers": st.lists(tiers, max_size=4)}),
        "product_usage": st.dictionaries(modules, obj({"adopted": st.booleans(), "usage_pct": st.integers(0, 100)}),
                                         max_size=5),
        "departments": obj({"current": departments, "potential": departments}),
    }),
)

portfolio = st.lists(customer, min_size=1, max_size=6).map(lambda cs: {"customers": cs})


@requires_seeds
@settings(max_examples=int(os.environ.get("TOOLKIT_EXAMPLES", "10")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=portfolio)
def test_random_portfolios_match_the_original_scripts(oracle: Oracle, tmp_path: Path, data: dict) -> None:
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(data))
    for tool in ("health", "churn", "expansion"):
        for output_format in ("text", "json"):
            assert_same(oracle, path, tool, output_format)


def test_the_compile_cache_serves_any_clone_of_the_project() -> None:
    """The cache is shared across clones (keyed by content), so it must not hold absolute paths."""
    from csi.toolkit.models import compiled_nodes

    seeds = [node for node in compiled_nodes() if node.resource_type == "seed"]
    assert seeds and not any(Path(node.seed_file).is_absolute() for node in seeds)
