"""The `csi` command line: it parses arguments and calls the module that does the job."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from csi.errors import UserError, locked_file

app = typer.Typer(
    help="Client Success Intelligence: generate, load, build, replay, publish and serve the customer health marts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

def parse_date(value: str | None, option: str) -> date:
    """A YYYY-MM-DD option, or today when it is not given."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from None


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder for <source>/<table>.parquet, _history, _truth and _manifest.")] = Path(
        "data/generated"
    ),
    accounts: Annotated[int, typer.Option(help="Accounts to generate (scales to a million in bounded memory).")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and accounts give the same data.")] = 42,
    today: Annotated[str | None, typer.Option(help="Night of the final sync, YYYY-MM-DD (default: today).")] = None,
    years: Annotated[int, typer.Option(help="Years of history before today (2 to 10).")] = 2,
    dirty: Annotated[float, typer.Option(help="Share of each table's rows to inject as bad rows (0 to 0.5).")] = 0.0,
) -> None:
    """Generate synthetic source data: the 15 raw tables as tonight's sync lands them, and their history."""
    from csi.generate import generate as generate_sources

    summary = generate_sources(out, accounts=accounts, seed=seed, today=parse_date(today, "--today"), years=years, dirty_rate=dirty)
    rows = sum(summary["rows"].values())
    typer.echo(f"generated {rows:,} rows in {len(summary['rows'])} tables for {accounts:,} accounts into {out} "
               f"in {summary['elapsed_seconds']} s")


@app.command()
def load(
    data_dir: Annotated[Path, typer.Argument(help="Folder with <source>/<table>.parquet or .csv files.")],
    source: Annotated[list[str] | None, typer.Option("--source", help="Load only this source (repeatable).")] = None,
) -> None:
    """Load Parquet or CSV files into the warehouse's raw schemas (all or nothing)."""
    from csi.load import load_directory, selected_tables
    from csi.paths import warehouse_path

    loaded = load_directory(data_dir, warehouse_path(), source)
    typer.echo(f"loaded {len(loaded)} tables, {sum(t.rows for t in loaded):,} rows into {warehouse_path()}")
    for table in selected_tables(source):
        if table.qualified_name not in {t.qualified_name for t in loaded}:
            typer.echo(f"{table.qualified_name}: no file, an optional table: staging reads it as empty "
                       "(docs/your-own-data.md)")
    for table in loaded:
        if table.missing_custom_fields:
            typer.echo(f"{table.qualified_name} has no {', '.join(table.missing_custom_fields)}: staging reads them as NULL "
                       "(see docs/your-own-data.md)")


@app.command()
def build(
    as_of: Annotated[str | None, typer.Option(help="Measure every window back from this date (default: today).")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", "-s", help="dbt selection (repeatable), instead of the nightly selector (selectors.yml).")] = None,
    unit_tests: Annotated[bool, typer.Option(
        help="Run dbt's unit tests too (they check the SQL with this project's column names: CI and development).")] = False,
    nightly: Annotated[bool, typer.Option(
        help="Follow last night's build: staging's data tests check only the rows synced since; then `dbt source freshness`.")] = False,
    send_alerts: Annotated[bool, typer.Option(help="End with `csi alerts send`: deliver the new alerts.")] = False,
) -> None:
    """Seed and `dbt build` the project as of a date, then publish the marts for BI and the dashboard."""
    from csi.build import build as build_project
    from csi.build import stale_sources
    from csi.dbt import DbtProject
    from csi.paths import published_dir, warehouse_path
    from csi.publish import publish as publish_marts
    from csi.summary import print_summary

    project = DbtProject()
    guard = build_project(project, parse_date(as_of, "--as-of"), select, unit_tests, nightly)
    if nightly and (stale := stale_sources(project)):
        typer.echo(f"stale sources (dbt source freshness): {', '.join(stale)}")
    print_summary(warehouse_path())
    publication = publish_marts(warehouse_path(), published_dir())
    typer.echo(f"published {len(publication.tables)} tables to {publication.database.parent} in {publication.seconds} s")
    if guard.reason == "past":
        typer.echo(guard.left_alone())
    if send_alerts:
        _send_alerts(dry_run=False)


@app.command()
def replay(
    start: Annotated[str, typer.Option(help="First night to replay (YYYY-MM-DD).")],
    end: Annotated[str | None, typer.Option(help="Last night to replay (default: yesterday).")] = None,
    data_dir: Annotated[Path, typer.Option("--data", help="Generated data with its night-by-night history.")] = Path(
        "data/generated"
    ),
    nightly_days: Annotated[int, typer.Option(help="Replay every night for this many last nights; weekly before.")] = 90,
) -> None:
    """Rebuild score and churn-probability history night by night, as nightly runs would have."""
    from datetime import timedelta

    from csi.replay import replay as replay_history

    last = parse_date(end, "--end") if end else date.today() - timedelta(days=1)
    if nightly_days < 1:
        raise UserError("--nightly-days must be at least 1")
    nights = replay_history(data_dir, parse_date(start, "--start"), last, nightly_days)
    typer.echo(f"replayed {nights} nights")


@app.command()
def demo(
    accounts: Annotated[int, typer.Option(help="Synthetic accounts to generate.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 42,
    today: Annotated[str | None, typer.Option(help="The last night of history (default: today).")] = None,
    dirty: Annotated[float, typer.Option(help="Share of bad rows to inject, to show the quarantine at work.")] = 0.01,
) -> None:
    """Generate synthetic sources, load them, build history and the marts, and print a summary."""
    from csi.demo import run_demo

    run_demo(accounts=accounts, seed=seed, today=parse_date(today, "--today"), dirty_rate=dirty)


@app.command()
def bench(
    sizes: Annotated[list[int] | None, typer.Option("--size", help="Accounts per size (repeatable; default 1,000, 100,000 and 1,000,000).")] = None,
    work: Annotated[Path, typer.Option(help="Where generated data and warehouses are kept (and reused) between runs.")] = Path("bench/runs"),
    out: Annotated[Path, typer.Option(help="Folder for results.md, results.json and results.png.")] = Path("bench"),
    today: Annotated[str | None, typer.Option(help="Last night of the generated history (default: 2026-06-30).")] = "2026-06-30",
    build_only: Annotated[list[int] | None, typer.Option(
        "--build-only", help="A size (among --size) measured by its full build alone (repeatable).")] = None,
) -> None:
    """Measure the full build, a nightly incremental run, the floor and a polars score at each size."""
    from csi.bench.run import bench as run_bench

    sizes = sizes or [1_000, 100_000, 1_000_000]
    if any(size < 100 for size in sizes):
        raise UserError("--size must be at least 100 accounts")
    if stray := sorted(set(build_only or []) - set(sizes)):
        raise UserError(f"--build-only {stray[0]} is not among the sizes measured ({', '.join(map(str, sorted(sizes)))})")
    run_bench(sorted(sizes), work, out, parse_date(today, "--today"), frozenset(build_only or []))


@app.command()
def backtest(
    weights: Annotated[Path, typer.Option(help="Candidate weights CSV in the shape of seeds/health/health_weights.csv.")],
    as_of: Annotated[str | None, typer.Option(help="As-of date of the build (default: the last night in the score history).")] = None,
    bands: Annotated[Path | None, typer.Option(
        help="Candidate bands CSV in the shape of seeds/health/health_bands.csv: judge the candidate by its own at-risk lines.")] = None,
) -> None:
    """Rescore the score history with candidate weights and compare its validation metrics with the recorded scores."""
    from csi.backtest import backtest as backtest_weights

    backtest_weights(weights, parse_date(as_of, "--as-of") if as_of else None, bands_file=bands)


@app.command()
def tune(
    weights_out: Annotated[Path, typer.Option(help="Where to write the candidate weights CSV (shape of seeds/health/health_weights.csv).")] = Path(
        "candidate_weights.csv"),
    bands_out: Annotated[Path, typer.Option(help="Where to write the candidate bands CSV (shape of seeds/health/health_bands.csv).")] = Path(
        "candidate_bands.csv"),
    version: Annotated[str | None, typer.Option(help="weights_version of the candidate (default: <current>-tuned).")] = None,
    holdout_quarters: Annotated[int, typer.Option(help="The most recent cohort quarters held out of the fit and reported on.")] = 2,
    min_churns: Annotated[int, typer.Option(help="Churned renewals the fit needs; a segment with fewer takes the pooled line.")] = 10,
) -> None:
    """Fit weights and per-segment band thresholds to the recorded history, out of time; write them as a candidate (never adopted)."""
    from csi.tune import tune as tune_score

    tune_score(weights_out, bands_out, version, holdout_quarters, min_churns)


@app.command()
def rescore(
    preview: Annotated[bool, typer.Option(
        help="Publish to the preview copy (the dashboard's ?preview page); the warehouse and the published copy stay as they are.")] = False,
) -> None:
    """After an edit to the scoring seeds (seeds/health/), rebuild the health score and what reads it in seconds, and publish."""
    from csi.publish import PREVIEW_DIR
    from csi.rescore import rescore as rescore_scores

    result = rescore_scores(preview=preview)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}")
    built = result.plan.of_kind("view", "table")
    typer.echo(f"rescored {result.customers:,} customers with weights {result.weights_version} as of {result.plan.as_of}: "
               f"{len(result.plan.of_kind('seed'))} seeds, {len(built)} models, {len(result.plan.of_kind('test'))} tests"
               f"{' (compiled first)' if result.compiled else ''}; published to {result.publication.database.parent} "
               f"in {result.seconds} s")
    if preview:
        typer.echo(f"the preview is on the dashboard at ?{PREVIEW_DIR} (e.g. http://127.0.0.1:8501/?{PREVIEW_DIR}); "
                   "`csi rescore` without --preview publishes it for everyone")


@app.command()
def publish(
    out: Annotated[Path | None, typer.Option(help="Folder to publish into (default: warehouse/published).")] = None,
) -> None:
    """Copy the marts, snapshots and seeds into a read-only DuckDB file and Parquet files for BI, atomically."""
    from csi.paths import published_dir, warehouse_path
    from csi.publish import publish as publish_marts

    publication = publish_marts(warehouse_path(), out or published_dir())
    typer.echo(f"published {len(publication.tables)} tables to {publication.database} and {publication.parquet_dir} "
               f"in {publication.seconds} s")


@app.command()
def dashboard(
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    published: Annotated[Path | None, typer.Option(help="Published folder to read (default: warehouse/published).")] = None,
) -> None:
    """Serve the Client Success Intelligence dashboard (Streamlit) over the published copy of the marts."""
    from csi.dashboard.serve import serve

    if not 0 < port < 65536:
        raise UserError(f"--port must be between 1 and 65535, got {port}")
    serve(host, port, published)


alerts_app = typer.Typer(help="Deliver the health alerts to the CSMs, and acknowledge or snooze them.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


def _send_alerts(dry_run: bool) -> None:
    from csi.alerts import send_alerts
    from csi.paths import warehouse_path

    report = send_alerts(warehouse_path(), dry_run=dry_run, echo=typer.echo)
    for problem in report.problems:
        typer.echo(problem, err=True)
    typer.echo(("dry run, nothing sent or recorded: " if dry_run else "") + report.summary())
    if report.failed:
        raise SystemExit(1)


@alerts_app.command("send")
def alerts_send(
    dry_run: Annotated[bool, typer.Option(help="Print the digests instead of sending them; record nothing.")] = False,
) -> None:
    """Send each new alert once, one digest per recipient: e-mail (CSI_SMTP_*) and Slack webhooks (seed alert_slack_channels)."""
    _send_alerts(dry_run)


@alerts_app.command("ack")
def alerts_ack(
    alert_id: Annotated[str, typer.Argument(help="The alert's id (fct_health_alerts.alert_id).")],
    until: Annotated[str | None, typer.Option(help="Snooze until this date (YYYY-MM-DD) instead of acknowledging for good.")] = None,
) -> None:
    """Acknowledge an alert (it does not escalate) or snooze it until a date; counts from the next build."""
    from csi.alerts import acknowledge
    from csi.paths import warehouse_path

    snoozed = parse_date(until, "--until") if until else None
    acknowledge(warehouse_path(), alert_id, snoozed)
    typer.echo(f"{alert_id} {'snoozed until ' + str(snoozed) if snoozed else 'acknowledged'}")


toolkit_app = typer.Typer(
    help="The customer-success toolkit's health, churn-risk and expansion scores, printed as its scripts print them.",
    no_args_is_help=True,
)
app.add_typer(toolkit_app, name="toolkit")
ToolkitFile = Annotated[Path, typer.Argument(help="Portfolio JSON file, as the toolkit's scripts read it.")]
ToolkitFormat = Annotated[str, typer.Option("--format", help="Output format: text or json.")]
ToolkitToday = Annotated[str | None, typer.Option(
    help="The day the scripts' clock reads (default: today): churn counts days to renewal from it; health and "
    "expansion never read the clock, so their reports are the same for any day.")]


def _toolkit(tool: str, file: Path, output_format: str, today: str | None) -> None:
    if output_format not in ("text", "json"):
        raise UserError(f"--format must be text or json, got {output_format!r}")
    from csi.toolkit.run import print_report

    print_report(tool, file, output_format, parse_date(today, "--today"))


@toolkit_app.command("health")
def toolkit_health(file: ToolkitFile, output_format: ToolkitFormat = "text", today: ToolkitToday = None) -> None:
    """Health score per customer: usage, engagement, support, relationship, trends, recommendations."""
    _toolkit("health", file, output_format, today)


@toolkit_app.command("churn")
def toolkit_churn(
    file: ToolkitFile,
    output_format: ToolkitFormat = "text",
    today: ToolkitToday = None,
) -> None:
    """Churn risk per customer: five signal groups, renewal urgency, tier, warnings, playbook."""
    _toolkit("churn", file, output_format, today)


@toolkit_app.command("expansion")
def toolkit_expansion(file: ToolkitFile, output_format: ToolkitFormat = "text", today: ToolkitToday = None) -> None:
    """Expansion opportunities per customer: seats, tier upgrade, modules, departments."""
    _toolkit("expansion", file, output_format, today)


def main() -> None:
    """Entry point: bad arguments, user errors and a warehouse locked by another program end with one
    line on stderr and exit code 2."""
    try:
        exit_code = app(standalone_mode=False)
    except typer.TyperException as error:
        context = getattr(error, "ctx", None)
        command = context.command_path if context else "csi"
        if message := error.format_message():  # empty when help was shown for a bare command
            typer.echo(f"{command}: error: {message} (see {command} --help)", err=True)
        raise SystemExit(2) from None
    except typer.Abort:
        typer.echo("csi: aborted", err=True)
        raise SystemExit(130) from None
    except UserError as error:
        typer.echo(f"csi: error: {error}", err=True)
        raise SystemExit(2) from None
    except Exception as error:  # a warehouse another program holds is the user's to free; anything else is a bug
        if (locked := locked_file(error)) is None:
            raise
        typer.echo(f"csi: error: {locked}", err=True)
        raise SystemExit(2) from None
    raise SystemExit(exit_code or 0)
