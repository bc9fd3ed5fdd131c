"""How long each dashboard tab takes to render over a published copy, for `csi bench`.

Each tab runs once in Streamlit's headless test runner with the query caches cleared first, so the
time includes opening the published file and every query the tab makes: the first view of a tab
after a publication, the slowest case a user meets."""

from __future__ import annotations

import time
from pathlib import Path


def _render_one_tab(tab: str, folder: str) -> None:  # the body runs as a Streamlit script
    from pathlib import Path

    from csi.dashboard.app import render_tab
    from csi.dashboard.data import Published

    render_tab(tab, Published(Path(folder)))


def tab_render_seconds(published_dir: Path, timeout: float = 300) -> dict[str, float]:
    """Seconds to render each tab, cold; raises if a tab shows an error instead of its content."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from csi.dashboard.app import TABS

    seconds: dict[str, float] = {}
    for tab in TABS:
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_function(
            _render_one_tab, kwargs={"tab": tab, "folder": str(published_dir)}, default_timeout=timeout
        )
        started = time.perf_counter()
        app.run()
        seconds[tab] = round(time.perf_counter() - started, 3)
        failures = [element.value for element in (*app.exception, *app.error)]
        if failures:
            raise RuntimeError(f"the {tab} tab failed to render: {failures[0]}")
    return seconds
