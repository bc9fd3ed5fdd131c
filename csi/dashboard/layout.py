"""The pieces every tab draws with: the "not built yet" message, HTML tables, a row of metrics and a link
to an account's drill. What a person or a test reads is drawn as HTML or st.metric (st.dataframe is a
canvas)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.publish import PREVIEW_DIR


def available(published: Published, *tables: str) -> bool:
    """True when every table is published and the first has rows; otherwise a clear message."""
    missing = [table for table in tables if table not in published.tables()]
    if missing:
        st.info(
            f"Not built yet: {', '.join(f'`{t}`' for t in missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not in the published copy. "
            "This tab fills in once the mart is built and published (`csi build` publishes it)."
        )
        return False
    if published.query(f"select 1 from {tables[0]} limit 1").empty:
        st.info(f"`{tables[0]}` is published but has no rows for this as-of date.")
        return False
    return True


def html_table(frame: pd.DataFrame, escape: bool = True, css_class: str = "csi-table") -> None:
    """A plain HTML table: readable by people, by screen readers and by the browser tests."""
    table = frame.to_html(index=False, escape=escape, classes=css_class, border=0, na_rep=fmt.MISSING)
    st.html(
        "<style>.csi-table{border-collapse:collapse;font-size:0.9rem;width:100%}"
        ".csi-table th{text-align:left;border-bottom:2px solid #ccc;padding:4px 8px}"
        ".csi-table td{border-bottom:1px solid #eee;padding:4px 8px;vertical-align:middle}"
        ".csi-table a{text-decoration:none}</style>" + table
    )


def metric_row(metrics: dict[str, str]) -> None:
    for column, (label, value) in zip(st.columns(len(metrics)), metrics.items(), strict=True):
        column.metric(label, value)


def account_link(account_id: str, name: object) -> str:
    """A link that opens the account drill for this account (a full reload keeps the URL shareable; a
    preview page links to the preview's drill)."""
    params = {"tab": "Account drill", "account": account_id}
    if PREVIEW_DIR in st.query_params:
        params[PREVIEW_DIR] = st.query_params[PREVIEW_DIR]
    query = html.escape(urlencode(params), quote=True)
    shown = name if isinstance(name, str) and name else account_id
    return f'<a href="?{query}" target="_self">{html.escape(shown)}</a>'


def literal(text: str, limit: int = 80) -> str:
    """Text from outside (a URL, a search box) for a Markdown message, shown verbatim: an inline code span,
    where Markdown, HTML and bare URLs are not interpreted (escaping alone would leave URLs autolinked)."""
    shown = " ".join(text.split())
    shown = shown if len(shown) <= limit else shown[:limit] + "…"
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown[:1] in ("`", " ") or shown[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
