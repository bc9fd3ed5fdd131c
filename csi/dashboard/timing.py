"""How long each dashboard tab takes to render over a published copy, for `csi bench`.

One Streamlit app runs headless in Streamlit's test runner; each tab is rendered once with the query
caches cleared first, so its time includes opening the published file and every query the tab
makes: the first view of a tab after a publication, the slowest case a user meets. What a server
pays once at start-up (imports, the runtime's package scan) is left out by an untimed first run."""

from __future__ import annotations

import time
from pathlib import Path

TIMED_TAB = "timed_tab"


def _render_timed_tab(folder: str) -> None:  # the body runs as a Streamlit script
    from pathlib import Path

    import streamlit as st

    from csi.dashboard.app import render_tab
    from csi.dashboard.data import Published

    render_tab(st.session_state["timed_tab"], Published(Path(folder)))


def tab_render_seconds(published_dir: Path, timeout: float = 300) -> dict[str, float]:
    """Seconds to render each tab, cold; raises if a tab shows an error instead of its content."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from csi.dashboard.app import TABS

    app = AppTest.from_function(_render_timed_tab, kwargs={"folder": str(published_dir)}, default_timeout=timeout)
    app.session_state[TIMED_TAB] = next(iter(TABS))
    app.run()  # untimed: start-up costs
    seconds: dict[str, float] = {}
    for tab in TABS:
        st.cache_data.clear()
        st.cache_resource.clear()
        app.session_state[TIMED_TAB] = tab
        started = time.perf_counter()
        app.run()
        seconds[tab] = round(time.perf_counter() - started, 3)
        failures = [element.value for element in (*app.exception, *app.error)]
        if failures:
            raise RuntimeError(f"the {tab} tab failed to render: {failures[0]}")
    return seconds
