"""The dashboard in a real browser: `csi dashboard` on a free port over a published copy of the shared
history warehouse, driven headless by Playwright with Debian's chromium (installed here when missing;
no browser download). Every tab is opened by clicking it; the values asserted are computed from the
warehouse and the raw generated data, formatted here; screenshots land in build/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from csi.paths import PROJECT_DIR
from csi.publish import publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = PROJECT_DIR / "build" / "screenshots"
TAB_TIMEOUT_MS = 30_000


def ensure_chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing (CI images start without it)."""
    if not CHROMIUM.exists():
        apt = shutil.which("apt-get")
        if apt is None or os.geteuid() != 0:
            pytest.fail(f"{CHROMIUM} is missing and cannot be installed here: run `apt-get install -y chromium` as root")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = subprocess.run([apt, "install", "-y", "--no-install-recommends", "chromium"],
                                   capture_output=True, text=True, env=env)
        if installed.returncode != 0:  # a stale package index: refresh it once
            subprocess.run([apt, "update"], capture_output=True, env=env, check=False)
            installed = subprocess.run([apt, "install", "-y", "--no-install-recommends", "chromium"],
                                       capture_output=True, text=True, env=env)
        assert installed.returncode == 0 and CHROMIUM.exists(), installed.stderr[-2000:]
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert server.poll() is None, f"the dashboard exited with {server.returncode}"
        assert time.monotonic() < deadline, f"the dashboard did not start within {seconds:.0f} s"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def published(history_warehouse, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard") / "published"
    publish(history_warehouse.path, folder)
    return folder


@pytest.fixture(scope="module")
def dashboard_url(published: Path, tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("dashboard_log") / "streamlit.log").open("w")
    csi = Path(sys.executable).with_name("csi")
    server = subprocess.Popen([str(csi), "dashboard", "--port", str(port), "--published", str(published)],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(TAB_TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def open_tab(page, url: str, tab: str, waits_for: str):
    """Load the page, click the tab like a user, wait until `waits_for` is drawn."""
    page.goto(url)
    page.get_by_role("tab", name=tab).click()
    page.get_by_text(waits_for, exact=False).first.wait_for()
    page.wait_for_load_state("networkidle")
    return page


def screenshot(page, name: str) -> None:
    """The whole tab once Streamlit has drawn its last run (no placeholder, no element left over from
    the run before): the window is stretched to the content, which Streamlit scrolls inside the page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]')")
    height = page.evaluate("document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": height + 120})
    page.evaluate("new Promise(drawn => requestAnimationFrame(() => requestAnimationFrame(drawn)))")  # at the new size
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})


def text_of(page) -> str:
    """The visible text of the page, blank lines collapsed (metrics: label, newline, value; cells: tabs)."""
    return re.sub(r"\n+", "\n", page.locator("[data-testid='stMain']").first.inner_text())


def wait_for_text(page, expected: str, seconds: float = 30) -> None:
    """Wait until the page's text contains `expected` (which may span elements, unlike get_by_text)."""
    deadline = time.monotonic() + seconds
    while expected not in (text := text_of(page)):
        assert time.monotonic() < deadline, f"{expected!r} never appeared; the page shows:\n{text[:3000]}"
        page.wait_for_timeout(250)


def money(value: float) -> str:
    return f"${value:,.0f}"


def raw_account_name(history_warehouse, account_id: str) -> str:
    with duckdb.connect() as con:
        rows = con.execute(
            "select name from read_parquet(?) where id = ? and not coalesce(is_deleted, false) "
            "order by _fivetran_synced desc limit 1",
            [str(history_warehouse.data_dir / "salesforce" / "account.parquet"), account_id],
        ).fetchall()
    return rows[0][0].strip()


def test_executive_tab_opens_first_and_exports_its_figures(page, dashboard_url, history_warehouse):
    import csv
    import io

    (month_end, customers, starting, expansion, contraction, churned, nrr_quarter_before,
     renewals_near, matrix_customers), = history_warehouse.query(
        "select month_end, customers, starting_arr, expansion_arr, contraction_arr, churned_arr, "
        "nrr_change_quarter, renewals_due_near, (select customers from marts.fct_value_health_matrix "
        "where arr_tier = 'all' and score_band = 'all') from marts.fct_executive_summary where segment = 'all' "
        "order by month_start desc limit 1"
    )
    nrr = (starting + expansion - contraction - churned) / starting  # from the revenue bridge
    scored, = history_warehouse.query(  # customers as the score history stood at the month's end
        f"select count(*) from snapshots.snap_account_health where dbt_valid_from <= date '{month_end}' "
        f"and (dbt_valid_to is null or dbt_valid_to > date '{month_end}')"
    )[0]
    page.goto(dashboard_url)  # the first tab: nothing to click
    page.get_by_text("Month ending").first.wait_for()
    wait_for_text(page, f"Month ending {month_end.day} {month_end:%b %Y} · All segments")
    wait_for_text(page, f"Customers\t{scored:,}\t")
    wait_for_text(page, f"NRR (trailing 12 months)\t{100 * nrr:.1f}%\t")
    wait_for_text(page, f"\t{100 * nrr_quarter_before:+.1f} pp")
    wait_for_text(page, "Renewals due in 60 days")
    page.get_by_text("Cohort retention curves").wait_for()
    page.get_by_text("Value × health").wait_for()
    wait_for_text(page, "All tiers\t")
    assert matrix_customers == customers == scored
    page.locator("[data-testid='stVegaLiteChart']").nth(3).wait_for()  # trends, churn, cohort curves
    screenshot(page, "0_executive")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    headline = {row["figure"]: row for row in rows if row["section"] == "Headline"}
    assert {row["month_end"] for row in rows} == {str(month_end)} and {row["segment"] for row in rows} == {"all"}
    assert float(headline["NRR (trailing 12 months)"]["value"]) == pytest.approx(nrr)
    assert float(headline["NRR (trailing 12 months)"]["change_vs_previous_quarter"]) == pytest.approx(nrr_quarter_before)
    assert float(headline["Customers"]["value"]) == scored
    due = {row["figure"]: row["value"] for row in rows if row["section"] == "Renewals due in 60 days"}
    assert float(due["Contracts"]) == renewals_near
    assert len(rows) == 9 + 8 + 8  # the headline figures, customers and ARR by band, two renewal windows


def test_health_score_tab_shows_the_bands_and_the_weights_of_the_version(page, dashboard_url, history_warehouse):
    import csv

    customers, version = history_warehouse.query(
        "select count(*), max(weights_version) from marts.fct_account_health"
    )[0]
    with (PROJECT_DIR / "seeds" / "health" / "health_weights.csv").open() as seed:
        weights = [row for row in csv.DictReader(seed) if row["weights_version"] == version]
    open_tab(page, dashboard_url, "Health Score", "Distribution by band and segment")
    page.get_by_text(weights[0]["label"]).first.wait_for()
    wait_for_text(page, f"Customers scored\n{customers:,}")
    wait_for_text(page, f"Weights version {version}")
    for row in weights:
        wait_for_text(page, f"{row['label']}\t{row['component']}\t{float(row['weight']):.0f}")
    critical = dict(history_warehouse.query(
        "select segment, count(*) filter (where score_band = 'Critical') from marts.fct_account_health group by segment"
    ))
    row = "\t".join(str(critical.get(segment, 0)) for segment in ("enterprise", "mid-market", "smb"))
    assert f"Critical\t{row}\t{sum(critical.values())}" in page.locator("table.csi-table").first.inner_text()
    screenshot(page, "1_health_score")


def test_at_risk_list_links_each_account_to_its_drill(page, dashboard_url, history_warehouse):
    top = history_warehouse.query(
        "select account_id, revenue_at_risk, arr, health_score from marts.fct_at_risk_accounts "
        "order by revenue_at_risk desc, account_id limit 1"
    )
    listed = history_warehouse.query("select count(*), sum(revenue_at_risk) from marts.fct_at_risk_accounts")[0]
    account_id, at_risk, arr, health = top[0]
    name = raw_account_name(history_warehouse, account_id)
    open_tab(page, dashboard_url, "At-Risk Accounts", "Accounts at risk")
    table = page.locator("table.csi-table").first
    table.wait_for()
    first_row = table.locator("tbody tr").first.inner_text().split("\t")
    assert first_row[:5] == [name, f"{health:.1f}", money(arr), first_row[3], money(at_risk)]
    # The CSAT trend: the survey CSAT now, and its change against 90 days before.
    assert "CSAT (vs 90 days before)" in table.locator("thead").inner_text()
    csat, change = history_warehouse.query(
        f"select survey_csat, survey_csat_change from marts.fct_at_risk_accounts where account_id = '{account_id}'")[0]
    arrow = "" if change is None else "▲" if change > 0 else "▼" if change < 0 else "="
    assert first_row[10] == ("–" if csat is None else f"{csat:.1f}" + (f" ({arrow}{abs(change):.1f})" if arrow else ""))
    assert history_warehouse.query("select count(survey_csat_change) from marts.fct_at_risk_accounts")[0][0] > 0
    wait_for_text(page, f"Accounts at risk\n{listed[0]:,}")
    assert table.locator("img.sparkline").count() >= 1
    screenshot(page, "2_at_risk_accounts")

    critical = history_warehouse.query("select count(*) from marts.fct_at_risk_accounts where score_band = 'Critical'")[0][0]
    page.locator("[data-testid='stSelectbox']").nth(2).click()  # the Band filter
    page.get_by_role("option", name="Critical", exact=True).click()
    wait_for_text(page, f"Accounts at risk\n{critical:,}")

    page.goto(f"{dashboard_url}/?tab=At-Risk+Accounts")
    page.get_by_role("link", name=name).first.click()
    page.get_by_text("Why: what each component costs the score").wait_for()
    assert page.get_by_role("heading", name=name).is_visible()
    assert f"account={account_id}" in page.url


def test_account_drill_shows_components_history_and_activities(page, dashboard_url, history_warehouse):
    account_id, health, arr, at_risk = history_warehouse.query(
        "select account_id, health_score, arr, revenue_at_risk from marts.fct_account_health "
        "order by revenue_at_risk desc nulls last, account_id limit 1"
    )[0]
    labels = [label for (label,) in history_warehouse.query(
        f"select label from marts.fct_account_health_components where account_id = '{account_id}'"
    )]
    with duckdb.connect() as con:  # the latest completed task or event on record, from the raw sources
        subject = con.execute(
            "select subject from (select subject, try_cast(activity_date as date) as day, id from read_parquet(?) "
            "where account_id = ? and status = 'Completed' and not coalesce(is_deleted, false) "
            "union all select subject, try_cast(activity_date as date) as day, id from read_parquet(?) "
            "where account_id = ? and not coalesce(is_deleted, false)) "
            "where day <= ? order by day desc, id limit 1",
            [str(history_warehouse.data_dir / "salesforce" / "task.parquet"), account_id,
             str(history_warehouse.data_dir / "salesforce" / "event.parquet"), account_id, history_warehouse.today],
        ).fetchall()[0][0]
    name = raw_account_name(history_warehouse, account_id)
    page.goto(f"{dashboard_url}/?tab=Account+drill&account={account_id}")
    page.get_by_text("Why: what each component costs the score").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("Recent activities").wait_for()
    wait_for_text(page, name)
    wait_for_text(page, f"Health score\n{health:.1f}")
    wait_for_text(page, f"ARR\n{money(arr)}")
    wait_for_text(page, f"Revenue at risk\n{money(at_risk)}")
    for label in labels:
        wait_for_text(page, label)
    for (reason,) in history_warehouse.query(
        "select distinct not_applicable_reason from marts.fct_account_health_components "
        f"where account_id = '{account_id}' and score is null"
    ):
        wait_for_text(page, f"Does not apply: {reason}.")
    wait_for_text(page, subject.strip())
    # One last QBR everywhere: the date the drill shows is the one the qbr_cadence component scored.
    (last_qbr, days_since_qbr), = history_warehouse.query(
        "select summary.last_qbr_date, component.raw_value from marts.fct_cs_account_summary as summary "
        "join marts.fct_account_health_components as component on summary.account_id = component.account_id "
        f"where component.component = 'qbr_cadence' and summary.account_id = '{account_id}'"
    )
    if last_qbr is not None:
        assert days_since_qbr == (history_warehouse.today - last_qbr).days
        wait_for_text(page, f"Last QBR\n{last_qbr.day} {last_qbr:%b %Y}")
    (checks, window), = history_warehouse.query(
        "select summary.health_checks_in_cadence_window, configuration.value from marts.fct_cs_account_summary as summary, "
        f"marts.dim_configuration as configuration where summary.account_id = '{account_id}' "
        "and configuration.name = 'health_check_window_days'"
    )
    wait_for_text(page, f"Health checks ({window} days)\n{checks}")
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1  # the score history
    # Why the score moved: the last 30 days as a waterfall, from the score before the window through each
    # component that contributed (the biggest first) to the score now, every number a column of the mart.
    trend = history_warehouse.query(
        f"select * from marts.fct_account_score_trend where account_id = '{account_id}' and window_days = 30"
    )
    columns = [name for (name,) in history_warehouse.query(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_account_score_trend' order by ordinal_position"
    )]
    row = dict(zip(columns, trend[0], strict=True))
    assert row["health_score_change"] is not None
    component_labels = dict(history_warehouse.query(
        f"select component, label from marts.fct_account_health_components where account_id = '{account_id}'"
    ))
    moved = sorted(
        ((component_labels[name.removesuffix("_contribution")], value) for name, value in row.items()
         if name.endswith("_contribution") and value),
        key=lambda item: -abs(item[1]),
    )
    wait_for_text(page, "Why the score moved")
    wait_for_text(page, f"{row['previous_health_score']:.1f} → {row['health_score']:.1f} over the last 30 days "
                        f"({row['health_score_change']:+.2f}) in {row['score_changes']} nightly change(s)")
    waterfall = page.locator(".waterfalllayer")
    waterfall.wait_for()
    assert waterfall.locator("text.bartext").all_text_contents() == [
        f"{row['previous_health_score']:.1f}", *(f"{value:+.2f}" for _, value in moved), f"{row['health_score']:.1f}"]
    ticks = page.locator("[data-testid='stPlotlyChart'] g.xtick text").all_text_contents()
    assert ticks[-len(moved) - 1:] == [*(label for label, _ in moved), "Score now"]
    screenshot(page, "3_account_drill")


def test_labels_name_the_windows_of_the_build_and_never_guess_one():
    from csi.dashboard.labels import Labels

    built = Labels({"usage_window_days": "28", "alert_probability_rise": "0.25", "at_risk_bands": "At Risk, Critical",
                    "at_risk_risk_levels": "Critical, High"})
    assert built.measure("usage") == ("seat utilisation (28 days)", "percent")
    assert built.seat_utilisation == "Average seat utilisation (28 days)"
    assert built.alert_types["churn_probability_rise"] == "Churn probability up 25+ points"
    assert "in the At Risk or Critical band) or at Critical or High churn risk" in built.at_risk_listed
    unknown = Labels({})
    assert unknown.qbr_coverage == "QBR in the last qbr_coverage_days days"
    assert unknown.alert_types["churn_probability_rise"] == "Churn probability up alert_probability_rise+ points"


def test_an_unknown_account_id_is_named_and_the_picker_still_opens_an_account(page, dashboard_url, history_warehouse):
    account_id, = history_warehouse.query(
        "select account_id from marts.fct_account_health order by revenue_at_risk desc nulls last, account_id limit 1"
    )[0]
    name = raw_account_name(history_warehouse, account_id)
    page.goto(f"{dashboard_url}/?tab=Account+drill&account=NO-SUCH-ACCOUNT")
    page.get_by_text("No account with id").wait_for()
    wait_for_text(page, "No account with id NO-SUCH-ACCOUNT in the published copy")
    assert not page.get_by_text("Why: what each component costs the score").is_visible()
    assert not page.get_by_role("heading", name=name).is_visible()
    screenshot(page, "3b_account_drill_unknown_id")

    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=f"{name} · {account_id}").click()
    page.get_by_text("Why: what each component costs the score").wait_for()
    assert page.get_by_role("heading", name=name).is_visible()
    assert f"account={account_id}" in page.url

    page.goto(f"{dashboard_url}/?tab=Account+drill&account=%5Bx%5D(https://example.com)%3Cb%3E")
    wait_for_text(page, "No account with id [x](https://example.com)<b> in the published copy")
    assert page.locator("[data-testid='stAlert'] a").count() == 0  # shown as text, not as a link


def test_cs_operations_shows_the_six_kpis_against_their_targets(page, dashboard_url, history_warehouse):
    kpis = history_warehouse.query("select kpi, coverage, numerator, denominator, target from marts.fct_cs_kpis")
    leader = history_warehouse.query(
        "select csm_name, csm_owner_id, accounts from marts.fct_csm_leaderboard "
        "order by revenue_at_risk desc, csm_name limit 1"
    )[0]
    open_tab(page, dashboard_url, "CS Operations", "KPIs vs targets")
    page.get_by_text("CSM leaderboard").wait_for()
    assert len(kpis) == 6
    for kpi, coverage, numerator, denominator, target in kpis:
        wait_for_text(page, f"{kpi}\t{100 * coverage:.1f}%\t{numerator:,}\t{denominator:,}\t{100 * target:.0f}%")
    wait_for_text(page, "\t".join(map(str, leader)) + "\t")
    screenshot(page, "4_cs_operations")


def test_engagement_shows_portfolio_rates(page, dashboard_url, history_warehouse):
    opens, delivered = history_warehouse.query(
        "select sum(unique_opens), sum(emails_delivered) from marts.fct_account_email_engagement"
    )[0]
    (qbr_kpi, qbr_rate), = history_warehouse.query("select kpi, coverage from marts.fct_cs_kpis where kpi_code = 'qbr_coverage'")
    open_tab(page, dashboard_url, "Engagement", "E-mail engagement")
    page.get_by_text("Least engaged customers").wait_for()
    wait_for_text(page, f"Open rate\n{100 * opens / delivered:.1f}%")
    wait_for_text(page, f"E-mail open rate (90 days)\t{100 * opens / delivered:.1f}%\t{opens:,}\t{delivered:,}\t25%")
    wait_for_text(page, f"{qbr_kpi}\t{100 * qbr_rate:.1f}%")  # the CS Operations KPI, its one definition
    screenshot(page, "5_engagement")


def test_forecast_accuracy_shows_the_cohorts_or_says_it_is_not_built(page, dashboard_url, history_warehouse):
    open_tab(page, dashboard_url, "Forecast Accuracy", "Forecast")
    built = history_warehouse.query(
        "select count(*) from information_schema.tables where table_name = 'fct_renewal_forecast_accuracy'"
    )[0][0]
    if built:
        cohort, rate = history_warehouse.query(
            "select cohort_quarter, early_warning_rate from marts.fct_renewal_forecast_accuracy "
            "where status = 'eligible' order by cohort_quarter_start limit 1"
        )[0]
        page.get_by_text("Warm-up status").wait_for()
        wait_for_text(page, f"{cohort}\t")
        wait_for_text(page, f"{100 * rate:.1f}%")
    else:
        page.get_by_text("Not built yet").wait_for()
    screenshot(page, "6_forecast_accuracy")


def test_validation_shows_metrics_against_targets_and_lift(page, dashboard_url, history_warehouse):
    version, auc = history_warehouse.query(
        "select weights_version, auc from marts.fct_score_validation where cohort_quarter = 'All' and segment = 'all' "
        "order by weights_version desc limit 1"
    )[0]
    open_tab(page, dashboard_url, "Validation", "Validation metrics vs targets")
    page.get_by_text("Lift by risk decile").wait_for()
    page.get_by_text("Calibration of the churn model").wait_for()
    wait_for_text(page, f"AUC\t0.750\t{auc:.3f}")
    wait_for_text(page, f"Weights {version}")
    screenshot(page, "7_validation")


def test_alerts_counts_the_band_changes_of_the_last_30_days(page, dashboard_url, history_warehouse):
    changes, accounts = history_warehouse.query(
        "select count(*), count(distinct account_id) from marts.fct_health_alerts "
        "where alert_type = 'band_transition' and direction = 'worsened' "
        f"and alert_date > date '{history_warehouse.today}' - 30 and alert_date <= date '{history_warehouse.today}'"
    )[0]
    open_tab(page, dashboard_url, "Alerts", "Band change")
    page.locator("table.csi-table").first.wait_for()
    wait_for_text(page, f"Band change\n{changes:,} ({accounts:,} accounts)")
    screenshot(page, "8_alerts")


def test_alerts_tab_is_the_csm_queue_with_the_action_the_sla_clock_and_the_outcomes(
    page, dashboard_url, history_warehouse
):
    severity, account_id, action, csm = history_warehouse.query(
        "select severity, account_id, recommended_action, csm_name from marts.fct_alert_actions "
        "where first_action_date is null and csm_name is not null "
        "order by list_position(['critical', 'high', 'medium', 'low'], severity), sla_days_left, alert_date desc, alert_id "
        "limit 1"
    )[0]
    name = raw_account_name(history_warehouse, account_id)
    success = history_warehouse.query(
        "select denominator from marts.fct_intervention_metrics "
        "where cohort_quarter = 'All' and segment = 'all' and metric = 'intervention_success_rate'"
    )[0][0]
    open_tab(page, dashboard_url, "Alerts", "Queue: alerts waiting for an action")
    wait_for_text(page, severity.capitalize())
    wait_for_text(page, name)
    wait_for_text(page, action)
    wait_for_text(page, "Did it work? Intervention outcomes by quarter")
    wait_for_text(page, "Intervention success rate (saved / acted on within SLA)")
    wait_for_text(page, f"(n={success})")
    wait_for_text(page, "a CSM's action has no causal effect")
    page.get_by_role("combobox").first.click()  # the CSM filter
    page.get_by_role("option", name=csm, exact=True).click()
    wait_for_text(page, csm)
    others = history_warehouse.query(
        f"select count(*) from marts.fct_alert_actions where first_action_date is null and csm_name <> '{csm.replace(chr(39), chr(39) * 2)}'"
    )[0][0]
    assert others == 0 or "Alert id" in text_of(page)
    screenshot(page, "8_alerts_queue")


def _header(folder: str) -> None:  # the body runs as a Streamlit script
    from pathlib import Path

    from csi.dashboard.app import header
    from csi.dashboard.data import Published

    header(Published(Path(folder)))


def test_a_stale_source_is_named_in_a_banner_above_every_tab(published, tmp_path):
    from streamlit.testing.v1 import AppTest

    from csi.publish import DATABASE_NAME

    fresh = AppTest.from_function(_header, kwargs={"folder": str(published)}, default_timeout=120)
    fresh.run()
    assert not fresh.exception and not fresh.warning, "the history warehouse's sources are fresh on its as-of date"
    folder = tmp_path / "stale"
    folder.mkdir()
    shutil.copy(published / DATABASE_NAME, folder / DATABASE_NAME)
    with duckdb.connect(str(folder / DATABASE_NAME)) as con:
        con.execute("update marts.fct_stale_sources set is_stale = true, hours_since_sync = 50 where source_name = 'support'")
    stale = AppTest.from_function(_header, kwargs={"folder": str(folder)}, default_timeout=120)
    stale.run()
    assert not stale.exception, [e.value for e in stale.exception]
    [banner] = [warning.value for warning in stale.warning]
    assert banner.startswith("Stale source: support (last sync ")
    assert banner.endswith("50 h before the end of 30 Jun 2026, threshold 24 h). What it feeds may be out of date.")


def test_a_missing_publication_shows_what_to_run(page, tmp_path):
    port = free_port()
    csi = Path(sys.executable).with_name("csi")
    server = subprocess.Popen([str(csi), "dashboard", "--port", str(port), "--published", str(tmp_path / "none")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", server)
        page.goto(f"http://127.0.0.1:{port}")
        page.get_by_text("Nothing is published").wait_for()
        assert "Traceback" not in text_of(page)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_every_tab_renders_without_error_and_is_timed(published):
    from csi.dashboard.app import TABS
    from csi.dashboard.timing import tab_render_seconds

    seconds = tab_render_seconds(published)
    assert list(seconds) == list(TABS)
    assert all(0 < value < 30 for value in seconds.values()), seconds  # the 2 s target is checked by `csi bench`


def test_missing_and_empty_marts_show_a_message_not_a_traceback(published, tmp_path):
    from streamlit.testing.v1 import AppTest

    from csi.dashboard.timing import TIMED_TAB, _render_timed_tab
    from csi.publish import DATABASE_NAME

    folder = tmp_path / "partial"
    folder.mkdir()
    shutil.copy(published / DATABASE_NAME, folder / DATABASE_NAME)
    with duckdb.connect(str(folder / DATABASE_NAME)) as con:
        con.execute("delete from marts.fct_at_risk_accounts")
        con.execute("drop table marts.fct_health_alerts")
        con.execute("drop table marts.fct_cs_kpis")
    app = AppTest.from_function(_render_timed_tab, kwargs={"folder": str(folder)}, default_timeout=120)
    for tab, message in (
        ("At-Risk Accounts", "`marts.fct_at_risk_accounts` is published but has no rows"),
        ("Alerts", "Not built yet: `marts.fct_health_alerts`"),
        ("CS Operations", "Not built yet: `marts.fct_cs_kpis`"),
    ):
        app.session_state[TIMED_TAB] = tab
        app.run()
        assert not app.exception and not app.error, (tab, [e.value for e in (*app.exception, *app.error)])
        assert any(message in info.value for info in app.info), (tab, [info.value for info in app.info])
