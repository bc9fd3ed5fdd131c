"""The Streamlit page: a header and one tab per view; only the open tab runs its queries.

Run it with `csi dashboard` (which passes the published folder in CSI_PUBLISHED_DIR). With `?preview`
in the address it reads the preview copy `csi rescore --preview` publishes instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import EVERY
from csi.dashboard.tabs import (
    account_drill,
    alerts,
    at_risk,
    cs_operations,
    engagement,
    executive,
    forecast,
    health_score,
    validation,
)
from csi.paths import published_dir
from csi.publish import PREVIEW_DIR

TABS: dict[str, Callable[[Published], None]] = {
    "Executive": executive.render,
    "Health Score": health_score.render,
    "At-Risk Accounts": at_risk.render,
    "Account drill": account_drill.render,
    "CS Operations": cs_operations.render,
    "Engagement": engagement.render,
    "Forecast Accuracy": forecast.render,
    "Validation": validation.render,
    "Alerts": alerts.render,
}
log = logging.getLogger(__name__)


def render_tab(name: str, published: Published) -> None:
    """Draw one tab; a failure shows as one line on the page (details in the server log), never a traceback."""
    try:
        TABS[name](published)
    except Exception as error:  # noqa: BLE001 - the page must stay readable whatever a mart holds
        log.exception("tab %s failed", name)
        st.error(f"{name} could not be drawn: {type(error).__name__}: {error}")


def header(published: Published, preview: bool = False) -> bool:
    """Title and what the page shows; False (with a message) when nothing is published yet."""
    st.title("Client Success Intelligence")
    if preview:
        st.warning("Preview: the scores of a what-if weighting (`csi rescore --preview`), on this page only. "
                   "Everyone else sees the published scores (remove `?preview` from the address to see them); "
                   "`csi rescore` publishes the weighting for everyone.")
    if published.version is None and preview:
        st.warning(f"No preview is published at {published.folder}: `csi rescore --preview` publishes one.")
        return False
    if published.version is None:
        st.warning(
            f"Nothing is published at {published.folder} yet. Run `csi build` (or `make demo`), "
            "which publishes the marts, or `csi publish` after a build."
        )
        return False
    portfolio = (
        published.query(
            "select as_of_date, weights_version, customers from marts.fct_health_score_summary "
            "where segment = ? and score_band = ?",
            EVERY,
            EVERY,
        )
        if "marts.fct_health_score_summary" in published.tables()
        else pd.DataFrame()
    )
    if not portfolio.empty:
        stamp = portfolio.iloc[0]
        st.caption(
            f"As of {fmt.day(stamp['as_of_date'])} · weights {stamp['weights_version']} · "
            f"{int(stamp['customers']):,} customers · published copy {published.database}"
        )
    stale_source_banner(published)
    return True


def stale_source_banner(published: Published) -> None:
    """Name every source past its freshness threshold on the as-of date (fct_stale_sources): the
    figures it feeds may be out of date."""
    if "marts.fct_stale_sources" not in published.tables():
        return
    stale = published.query("select * from marts.fct_stale_sources where is_stale order by source_name")
    if stale.empty:
        return
    named = "; ".join(
        f"{row.source_name} (last sync {fmt.day(row.latest_synced_at)}, "
        f"{fmt.number(row.hours_since_sync)} h before the end of {fmt.day(row.as_of_date)}, "
        f"threshold {fmt.number(row.stale_after_hours)} h)"
        if fmt.finite(row.hours_since_sync) else f"{row.source_name} (never synced)"
        for row in stale.itertuples()
    )
    st.warning(f"Stale source: {named}. What it feeds may be out of date.")


def main(folder: Path | None = None) -> None:
    st.set_page_config(page_title="Client Success Intelligence", page_icon="📈", layout="wide")
    preview = PREVIEW_DIR in st.query_params
    folder = folder or published_dir()
    published = Published(folder / PREVIEW_DIR if preview else folder)
    if not header(published, preview):
        return
    for name, container in zip(TABS, st.tabs(list(TABS), key="tab", bind="query-params"), strict=True):
        if container.open:
            with container:
                render_tab(name, published)


if __name__ == "__main__":
    main()
