"""Numbers as people read them: currency, percentages, points, dates. Missing values show as an en dash."""

from __future__ import annotations

import base64
import html
import math
from datetime import date, datetime

import pandas as pd

MISSING = "–"


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays
        return False


def money(value: object) -> str:
    """$1,234,567 (whole dollars)."""
    if _missing(value):
        return MISSING
    amount = float(value)
    return f"-${abs(amount):,.0f}" if amount < 0 else f"${amount:,.0f}"


def money_short(value: object) -> str:
    """$1.2M, $48.2K: for headline metrics."""
    if _missing(value):
        return MISSING
    amount = float(value)
    for divisor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= divisor:
            return f"${amount / divisor:,.1f}{suffix}"
    return money(amount)


def percent(value: object, digits: int = 1) -> str:
    """A share (0.123) as 12.3%."""
    if _missing(value):
        return MISSING
    return f"{100 * float(value):.{digits}f}%"


def percent_points(value: object, digits: int = 1) -> str:
    """A value already in percent (12.3) as 12.3%."""
    if _missing(value):
        return MISSING
    return f"{float(value):.{digits}f}%"


def change(value: object) -> str:
    """A change already in percent (-12.3) with its sign: -12.3%, +4.0%."""
    if _missing(value):
        return MISSING
    return f"{float(value):+.1f}%"


def signed_pp(value: object) -> str:
    """A difference in percentage points: +2.1 pp."""
    if _missing(value):
        return MISSING
    return f"{float(value):+.1f} pp"


def trend(value: object, change: object) -> str:
    """A 1-5 rating with its change: 3.8 (▲0.4), 3.1 (▼0.6), 4.0 (=0.0); the rating alone without one."""
    if _missing(value):
        return MISSING
    if _missing(change):
        return f"{float(value):.1f}"
    arrow = "▲" if float(change) > 0 else "▼" if float(change) < 0 else "="
    return f"{float(value):.1f} ({arrow}{abs(float(change)):.1f})"


def number(value: object, digits: int = 0) -> str:
    if _missing(value):
        return MISSING
    return f"{float(value):,.{digits}f}"


def measure(value: object) -> str:
    """A raw measure: whole numbers without decimals, others with one."""
    if _missing(value):
        return MISSING
    return number(value, 0 if float(value).is_integer() else 1)


def score(value: object) -> str:
    """A 0-100 score with one decimal."""
    return number(value, 1)


def day(value: object) -> str:
    """30 Jun 2026."""
    if _missing(value):
        return MISSING
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, pd.Timestamp | datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def months(value: object) -> str:
    """Tenure: 2 y 3 mo."""
    if _missing(value):
        return MISSING
    total = int(value)
    years, rest = divmod(total, 12)
    return f"{years}\u00a0y\u00a0{rest}\u00a0mo" if years else f"{rest}\u00a0mo"


def sparkline(values: object, width: int = 110, height: int = 24) -> str:
    """An inline SVG image of a score history, oldest first; empty when there is no history."""
    points = [float(v) for v in values if not _missing(v)] if isinstance(values, list | tuple) else []
    if len(points) < 2:
        return ""
    # Scaled to the series' own range (at least 10 points, so noise stays flat), as sparklines are read.
    low, high = min(points), max(points)
    low, span = min(low, (low + high - 10) / 2), max(high - low, 10.0)
    step = width / (len(points) - 1)
    coordinates = " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * (v - low) / span:.1f}" for i, v in enumerate(points)
    )
    trend = "#c0392b" if points[-1] < points[0] else "#2e7d32"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="{trend}" stroke-width="1.5" points="{coordinates}"/></svg>'
    )
    title = html.escape(" → ".join(f"{v:.0f}" for v in points))
    source = base64.b64encode(svg.encode()).decode()
    return f'<img class="sparkline" alt="{title}" title="{title}" src="data:image/svg+xml;base64,{source}"/>'


def status(text: str, good: bool) -> str:
    """A value marked met (green ✓) or missed (red ✗), as HTML."""
    colour, mark = ("#2e7d32", "✓") if good else ("#c62828", "✗")
    return f'<span style="color:{colour}">{mark} {html.escape(text)}</span>'


def finite(value: object) -> bool:
    return not _missing(value) and math.isfinite(float(value))
