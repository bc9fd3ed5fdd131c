"""The toolkit benchmark, a development tool: time `csi toolkit health|churn|expansion` against the
original scripts on the same generated portfolio, in one run, and check that both print the same
bytes. Run it from a checkout with the development dependencies (`make setup`):

    .venv/bin/python -m tests.python.toolkit_bench --customers 100000 [--tool churn] [--format text]

The scripts are rebuilt from seed 002 (tests/python/toolkit_oracle.py, `CSI_SEEDS_DIR` if the seeds
are elsewhere) and run as their users run them (a Python process per report); ours run as
`csi toolkit ...` processes too. The compile cache is warmed first: a first run after a model
change compiles once (dbt), which is not scoring time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from csi.toolkit import models
from tests.python.toolkit_oracle import build_oracle

TOOLS = ("health", "churn", "expansion")
FORMATS = ("text", "json")
TODAY = "2026-03-01"

_SEGMENTS = ["enterprise", "mid-market", "smb"]
_TIERS = ["starter", "professional", "enterprise", "enterprise_plus"]
_MODULES = ["core_platform", "analytics_module", "integrations_module", "api_access", "advanced_reporting",
            "security_module"]
_DEPARTMENTS = ["engineering", "product", "marketing", "sales", "support", "finance", "hr", "operations"]


def random_customer(rng: random.Random, number: int) -> dict:
    """A complete customer record in the toolkit's input format (the seed's sample, randomised)."""
    tier = rng.randrange(len(_TIERS))
    licensed = rng.randint(10, 500)
    modules = {}
    for module in rng.sample(_MODULES, 5):
        adopted = rng.random() < 0.6
        modules[module] = {"adopted": adopted, "usage_pct": rng.randint(10, 100) if adopted else 0}
    departments = rng.sample(_DEPARTMENTS, 4)
    return {
        "customer_id": f"CUST-{number:06d}",
        "name": f"Customer {number}",
        "segment": rng.choice(_SEGMENTS),
        "arr": rng.randrange(5000, 500000),
        "contract_end_date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "usage": {"login_frequency": rng.randint(0, 100), "feature_adoption": rng.randint(0, 100),
                  "dau_mau_ratio": round(rng.random() * 0.8, 2)},
        "engagement": {"support_ticket_volume": rng.randint(0, 20), "meeting_attendance": rng.randint(0, 100),
                       "nps_score": rng.randint(0, 10), "csat_score": round(rng.uniform(1, 5), 1)},
        "support": {"open_tickets": rng.randint(0, 15), "escalation_rate": round(rng.random() * 0.4, 2),
                    "avg_resolution_hours": rng.randint(1, 96)},
        "relationship": {"executive_sponsor_engagement": rng.randint(0, 100),
                         "multi_threading_depth": rng.randint(1, 6),
                         "renewal_sentiment": rng.choice(["positive", "neutral", "negative", "unknown"])},
        "previous_period": {"usage_score": rng.randint(20, 100), "engagement_score": rng.randint(20, 100),
                            "support_score": rng.randint(20, 100), "relationship_score": rng.randint(20, 100),
                            "overall_score": rng.randint(20, 100)},
        "usage_decline": {"login_trend": rng.randint(-40, 20), "feature_adoption_change": rng.randint(-30, 10),
                          "dau_mau_change": round(rng.uniform(-0.3, 0.1), 2)},
        "engagement_drop": {"meeting_cancellations": rng.randint(0, 5), "response_time_days": rng.randint(0, 14),
                            "nps_change": rng.randint(-6, 3)},
        "support_issues": {"open_escalations": rng.randint(0, 3), "unresolved_critical": rng.randint(0, 2),
                           "satisfaction_trend": rng.choice(["improving", "stable", "declining", "critical"])},
        "relationship_signals": {"champion_left": rng.random() < 0.1, "sponsor_change": rng.random() < 0.1,
                                 "competitor_mentions": rng.randint(0, 4)},
        "commercial_factors": {"contract_type": rng.choice(["annual", "month-to-month", "multi-year"]),
                               "pricing_complaints": rng.random() < 0.2,
                               "budget_cuts_mentioned": rng.random() < 0.1},
        "contract": {"licensed_seats": licensed, "active_seats": rng.randint(0, licensed + 50),
                     "plan_tier": _TIERS[tier], "available_tiers": _TIERS[tier:]},
        "product_usage": modules,
        "departments": {"current": departments[:2], "potential": departments[2:]},
    }


def write_portfolio(path: Path, customers: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        json.dump({"customers": [random_customer(rng, number) for number in range(1, customers + 1)]},
                  handle, indent=2)
    return path


def _timed(command: list[str], out: Path) -> float:
    start = time.perf_counter()
    with out.open("wb") as handle:
        result = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def toolkit_timings(customers: int, tools: tuple[str, ...] = TOOLS, formats: tuple[str, ...] = FORMATS,
                    workdir: Path | None = None, seed: int = 1,
                    on_run: Callable[[dict], None] | None = None) -> dict:
    """Seconds the original scripts and `csi toolkit` take on one generated portfolio of `customers`,
    per tool and format, with the ratio (ours / scripts) and whether the outputs are identical
    (`on_run` sees each as it finishes)."""
    with tempfile.TemporaryDirectory(prefix="csi-toolkit-bench-") as scratch:
        work = Path(workdir or scratch)
        work.mkdir(parents=True, exist_ok=True)
        portfolio = write_portfolio(work / f"portfolio_{customers}.json", customers, seed)
        oracle = build_oracle(work / "oracle")
        runs = []
        for tool in tools:
            for output_format in formats:
                models.compiled_nodes()  # (re)compile outside the timings if a model changed meanwhile
                theirs_out, ours_out = work / f"{tool}.{output_format}.scripts", work / f"{tool}.{output_format}.csi"
                scripts = _timed([sys.executable, str(oracle.directory / "run_with_today.py"), str(oracle.path(tool)),
                                  TODAY, str(portfolio), "--format", output_format], theirs_out)
                ours = _timed([sys.executable, "-c", "from csi.cli import main; main()", "toolkit", tool,
                               str(portfolio), "--format", output_format, "--today", TODAY], ours_out)
                runs.append({"tool": tool, "format": output_format, "scripts_seconds": round(scripts, 2),
                             "csi_seconds": round(ours, 2), "ratio": round(ours / scripts, 2),
                             "identical": theirs_out.read_bytes() == ours_out.read_bytes()})
                if on_run:
                    on_run(runs[-1])
        return {"customers": customers, "portfolio_bytes": portfolio.stat().st_size, "runs": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.python.toolkit_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000, help="customers in the generated portfolio")
    parser.add_argument("--tool", action="append", choices=TOOLS, help="tool to time (repeatable; default: all three)")
    parser.add_argument("--format", action="append", choices=FORMATS, dest="formats",
                        help="output format (repeatable; default: both)")
    parser.add_argument("--workdir", type=Path, help="keep the portfolio and outputs here (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error(f"--customers must be at least 1, got {args.customers}")

    def show(run: dict) -> None:
        print(f"  {run['tool']:9s} {run['format']:4s}  scripts {run['scripts_seconds']:7.2f} s  "
              f"csi {run['csi_seconds']:7.2f} s  ratio {run['ratio']:.2f}  "
              f"{'identical' if run['identical'] else 'OUTPUTS DIFFER'}", flush=True)

    print(f"{args.customers} customers: csi toolkit vs the original scripts, one process per report", flush=True)
    toolkit_timings(args.customers, tuple(args.tool or TOOLS), tuple(args.formats or FORMATS), workdir=args.workdir,
                    on_run=show)


if __name__ == "__main__":
    main()
