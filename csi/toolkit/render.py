"""Print the toolkit models' results exactly as the toolkit's original scripts print them.

Every number and text comes from the portfolio marts (models/marts/toolkit_portfolio); this module
only lays them out (the scripts' report layout, Python's own float and JSON formatting, so the bytes
match).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

import duckdb

RULE = "=" * 72
DASH = "-" * 72


def py_str(kind: str, text: str | None, value_json: str | None, default: str) -> str:
    """str() of a value the scripts echo (customer_id, name)."""
    if kind == "MISSING":
        return default
    if kind == "VARCHAR":
        return text or ""
    if kind == "NULL":
        return "None"
    if kind == "BOOLEAN":
        return "True" if value_json == "true" else "False"
    if kind in ("ARRAY", "OBJECT"):
        return str(json.loads(value_json or "null"))
    return value_json or ""


def py_json(kind: str, value_json: str | None, default: str, level: int) -> str:
    """json.dumps(value, indent=2) of an echoed value, nested `level` deep."""
    if kind == "MISSING":
        return default
    if kind == "NULL":
        return "null"
    if kind == "VARCHAR":
        assert value_json is not None
        if value_json.isascii() and "\\" not in value_json:
            return value_json
        return json.dumps(json.loads(value_json))
    if kind in ("ARRAY", "OBJECT"):
        dumped = json.dumps(json.loads(value_json or "null"), indent=2)
        return dumped.replace("\n", "\n" + "  " * level)
    return value_json or "null"


def js(text: str) -> str:
    """A Python string as json.dumps writes it."""
    if text.isascii() and '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    return json.dumps(text)


def arr_number(kind: str, value: float | None, value_json: str | None) -> float | int:
    """The ARR as the Python number the scripts format with ',.0f' (missing: 0)."""
    if kind == "MISSING":
        return 0
    if kind in ("BIGINT", "UBIGINT"):
        return int(value_json or "0")
    if kind == "BOOLEAN":
        return bool(value)
    return float(value or 0.0)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[tuple]:
    cursor = con.execute(sql)
    while batch := cursor.fetchmany(20000):
        yield from batch


# ----------------------------------------------------------------------------- health

_HEALTH_SQL = """
select
    h.customer_id_type, h.customer_id, h.customer_id_json, h.name_type, h.name, h.name_json,
    h.segment, h.arr_type, h.arr, h.arr_json, h.overall_score, h.classification, h.classification_label,
    h.usage_score, h.usage_weight_label, h.usage_classification,
    h.engagement_score, h.engagement_weight_label, h.engagement_classification,
    h.support_score, h.support_weight_label, h.support_classification,
    h.relationship_score, h.relationship_weight_label, h.relationship_classification,
    h.usage_trend, h.engagement_trend, h.support_trend, h.relationship_trend, h.overall_trend,
    r.recommendations
from toolkit.fct_toolkit_portfolio_health as h
left join (
    select customer_index, list(recommendation order by recommendation_number) as recommendations
    from toolkit.fct_toolkit_portfolio_health_recommendations
    group by customer_index
) as r on h.customer_index = r.customer_index
order by h.customer_index
"""

_LABELS = {"green": "HEALTHY", "yellow": "NEEDS ATTENTION", "red": "AT RISK"}
_ARROWS = {"improving": "+", "declining": "-", "stable": "=", "no_data": "?"}


def health(con: duckdb.DuckDBPyConnection, output_format: str) -> Iterator[str]:
    summary = con.execute(
        "select total_customers, average_score, green_count, yellow_count, red_count "
        "from toolkit.fct_toolkit_portfolio_health_summary"
    ).fetchone()
    total, average, green, yellow, red = summary
    labels = dict(con.execute("select classification, label from seeds.toolkit_health_classifications").fetchall())
    rows = _rows(con, _HEALTH_SQL)
    if output_format == "json":
        yield from _health_json(rows, total, average, green, yellow, red)
    else:
        yield from _health_text(rows, labels, total, average, green, yellow, red)


def _health_text(rows, labels, total, average, green, yellow, red) -> Iterator[str]:
    yield (f"{RULE}\nCUSTOMER HEALTH SCORE REPORT\n{RULE}\n\nPortfolio Summary: {total} customers\n"
           f"  Average Health Score: {average}/100\n  Green (Healthy):       {green}\n"
           f"  Yellow (Attention):     {yellow}\n  Red (At Risk):         {red}\n\n")
    for row in rows:
        (id_kind, id_text, id_json, name_kind, name_text, name_json, segment, arr_kind, arr, arr_json,
         overall, _classification, label, usage, usage_w, usage_c, engagement, engagement_w, engagement_c,
         support, support_w, support_c, relationship, relationship_w, relationship_c,
         usage_t, engagement_t, support_t, relationship_t, overall_t, recommendations) = row
        name = py_str(name_kind, name_text, name_json, "Unknown")
        customer_id = py_str(id_kind, id_text, id_json, "unknown")
        arr_value = arr_number(arr_kind, arr, arr_json)
        lines = [
            DASH,
            f"Customer: {name} ({customer_id})",
            f"Segment:  {segment.title()}  |  ARR: ${arr_value:,.0f}",
            f"Overall Score: {overall}/100  [{label or 'UNKNOWN'}]",
            "",
            "  Dimension Scores:",
            f"    {'Usage':15s} {usage:6.1f}/100  ({usage_w})  [{labels.get(usage_c, '')}]",
            f"    {'Engagement':15s} {engagement:6.1f}/100  ({engagement_w})  [{labels.get(engagement_c, '')}]",
            f"    {'Support':15s} {support:6.1f}/100  ({support_w})  [{labels.get(support_c, '')}]",
            f"    {'Relationship':15s} {relationship:6.1f}/100  ({relationship_w})  [{labels.get(relationship_c, '')}]",
            "",
            "  Trends:",
            f"    {'Usage':15s} {_ARROWS.get(usage_t, '?')} {usage_t}",
            f"    {'Engagement':15s} {_ARROWS.get(engagement_t, '?')} {engagement_t}",
            f"    {'Support':15s} {_ARROWS.get(support_t, '?')} {support_t}",
            f"    {'Relationship':15s} {_ARROWS.get(relationship_t, '?')} {relationship_t}",
            f"    {'Overall':15s} {_ARROWS.get(overall_t, '?')} {overall_t}",
        ]
        if recommendations:
            lines += ["", "  Recommendations:"]
            lines += [f"    {i}. {rec}" for i, rec in enumerate(recommendations, 1)]
        lines.append("")
        yield "\n".join(lines) + "\n"
    yield RULE + "\n"


def _health_json(rows, total, average, green, yellow, red) -> Iterator[str]:
    yield ('{\n  "report": "customer_health_scores",\n  "summary": {\n'
           f'    "total_customers": {total},\n    "average_score": {average!r},\n'
           f'    "green_count": {green},\n    "yellow_count": {yellow},\n    "red_count": {red}\n'
           '  },\n  "customers": [')
    first = True
    for row in rows:
        (id_kind, _id_text, id_json, name_kind, _name_text, name_json, segment, arr_kind, _arr, arr_json,
         overall, classification, _label, usage, usage_w, usage_c, engagement, engagement_w, engagement_c,
         support, support_w, support_c, relationship, relationship_w, relationship_c,
         usage_t, engagement_t, support_t, relationship_t, overall_t, recommendations) = row
        if recommendations:
            recs = "[\n" + ",\n".join(f"        {js(rec)}" for rec in recommendations) + "\n      ]"
        else:
            recs = "[]"
        yield (("\n" if first else ",\n")
               + "    {\n"
               f'      "customer_id": {py_json(id_kind, id_json, chr(34) + "unknown" + chr(34), 3)},\n'
               f'      "name": {py_json(name_kind, name_json, chr(34) + "Unknown" + chr(34), 3)},\n'
               f'      "segment": {js(segment)},\n'
               f'      "arr": {py_json(arr_kind, arr_json, "0", 3)},\n'
               f'      "overall_score": {overall!r},\n'
               f'      "classification": "{classification}",\n'
               '      "dimensions": {\n'
               f'        "usage": {{\n          "score": {usage!r},\n          "weight": "{usage_w}",\n'
               f'          "classification": "{usage_c}"\n        }},\n'
               f'        "engagement": {{\n          "score": {engagement!r},\n          "weight": "{engagement_w}",\n'
               f'          "classification": "{engagement_c}"\n        }},\n'
               f'        "support": {{\n          "score": {support!r},\n          "weight": "{support_w}",\n'
               f'          "classification": "{support_c}"\n        }},\n'
               f'        "relationship": {{\n          "score": {relationship!r},\n'
               f'          "weight": "{relationship_w}",\n          "classification": "{relationship_c}"\n'
               '        }\n      },\n'
               f'      "trends": {{\n        "usage": "{usage_t}",\n        "engagement": "{engagement_t}",\n'
               f'        "support": "{support_t}",\n        "relationship": "{relationship_t}",\n'
               f'        "overall": "{overall_t}"\n      }},\n'
               f'      "recommendations": {recs}\n'
               "    }")
        first = False
    yield "\n  ]\n}\n"


# ----------------------------------------------------------------------------- churn

_CHURN_SQL = """
select
    c.customer_index, c.customer_id_type, c.customer_id, c.customer_id_json, c.name_type, c.name, c.name_json,
    c.segment_type, c.segment, c.segment_json, c.arr_type, c.arr, c.arr_json,
    c.risk_score, c.raw_score, c.risk_tier, c.risk_label, c.urgency_multiplier, c.days_to_renewal,
    c.usage_decline_score, c.engagement_drop_score, c.support_issues_score, c.relationship_signals_score,
    c.commercial_factors_score
from toolkit.fct_toolkit_portfolio_churn_risk as c
order by c.report_rank
"""

_WARNINGS_SQL = """
select customer_index, severity, signal
from toolkit.fct_toolkit_portfolio_churn_warnings
order by customer_index, warning_number
"""


def _warnings(con: duckdb.DuckDBPyConnection) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for customer_index, severity, signal in _rows(con, _WARNINGS_SQL):
        found.setdefault(customer_index, []).append({"severity": severity, "signal": signal})
    return found


_GROUPS = ["usage_decline", "engagement_drop", "support_issues", "relationship_signals", "commercial_factors"]


def churn(con: duckdb.DuckDBPyConnection, output_format: str) -> Iterator[str]:
    summary = con.execute(
        "select total_customers, critical_count, high_count, medium_count, low_count, arr_at_risk_is_float, "
        "total_arr_at_risk_integer, total_arr_at_risk_float from toolkit.fct_toolkit_portfolio_churn_summary"
    ).fetchone()
    total, critical, high, medium, low, is_float, arr_int, arr_float = summary
    arr_at_risk = arr_float if is_float else int(arr_int)
    weights = dict(con.execute("select signal_group, weight_label from seeds.toolkit_churn_signal_groups").fetchall())
    playbooks: dict[str, list[str]] = {}
    for tier, _step, action in con.execute("select distinct risk_tier, step, action from toolkit.fct_toolkit_portfolio_churn_actions order by risk_tier, step").fetchall():
        playbooks.setdefault(tier, []).append(action)
    warnings_by_customer = _warnings(con)
    rows = ((*row[1:], warnings_by_customer.get(row[0])) for row in _rows(con, _CHURN_SQL))
    if output_format == "json":
        yield ('{\n  "report": "churn_risk_analysis",\n  "summary": {\n'
               f'    "total_customers": {total},\n    "critical_count": {critical},\n'
               f'    "high_count": {high},\n    "medium_count": {medium},\n    "low_count": {low},\n'
               f'    "total_arr_at_risk": {arr_at_risk!r}\n  }},\n  "customers": [')
        first = True
        for row in rows:
            yield ("\n" if first else ",\n") + _churn_json(row, weights, playbooks)
            first = False
        yield "\n  ]\n}\n"
        return
    yield (f"{RULE}\nCHURN RISK ANALYSIS REPORT\n{RULE}\n\nPortfolio Summary: {total} customers analysed\n"
           f"  Critical Risk: {critical}\n  High Risk:     {high}\n  Medium Risk:   {medium}\n"
           f"  Low Risk:      {low}\n  ARR at Risk (Critical + High): ${arr_at_risk:,.0f}\n\n")
    for row in rows:
        (id_kind, id_text, id_json, name_kind, name_text, name_json, segment_kind, segment, _segment_json,
         arr_kind, arr, arr_json, risk_score, _raw, tier, label, multiplier, days, *scores, warnings) = row
        renewal = f"{days} days" if days is not None else "N/A"
        lines = [
            DASH,
            f"Customer: {py_str(name_kind, name_text, name_json, 'Unknown')} "
            f"({py_str(id_kind, id_text, id_json, 'unknown')})",
            f"Segment:  {(segment if segment_kind == 'VARCHAR' else 'unknown').title()}  |  "
            f"ARR: ${arr_number(arr_kind, arr, arr_json):,.0f}",
            f"Risk Score: {risk_score}/100  [{label}]  |  Renewal: {renewal}",
        ]
        if multiplier > 1.0:
            lines.append(f"  ** Urgency multiplier applied: {multiplier}x (renewal approaching)")
        lines += ["", "  Signal Scores:"]
        for group, score in zip(_GROUPS, scores):
            lines.append(f"    {group.replace('_', ' ').title():25s} {score:6.1f}/100  ({weights[group]})")
        if warnings:
            lines += ["", "  Warning Signals:"]
            lines += [f"    [{w['severity'].upper()}] {w['signal']}" for w in warnings]
        actions = playbooks.get(tier, [])
        if actions:
            lines += ["", "  Recommended Actions:"]
            lines += [f"    {i}. {action}" for i, action in enumerate(actions, 1)]
        lines.append("")
        yield "\n".join(lines) + "\n"
    yield RULE + "\n"


def _churn_json(row: tuple, weights: dict[str, str], playbooks: dict[str, list[str]]) -> str:
    (id_kind, _id_text, id_json, name_kind, _name_text, name_json, segment_kind, _segment, segment_json,
     arr_kind, _arr, arr_json, risk_score, raw_score, tier, label, multiplier, days, *scores, warnings) = row
    if warnings:
        warning_json = "[\n" + ",\n".join(
            f'        {{\n          "severity": "{w["severity"]}",\n          "signal": {js(w["signal"])}\n        }}'
            for w in warnings) + "\n      ]"
    else:
        warning_json = "[]"
    actions = playbooks.get(tier, [])
    actions_json = ("[\n" + ",\n".join(f"        {js(a)}" for a in actions) + "\n      ]") if actions else "[]"
    signal_json = ",\n".join(
        f'        "{group}": {{\n          "score": {score!r},\n          "weight": "{weights[group]}"\n        }}'
        for group, score in zip(_GROUPS, scores))
    return ("    {\n"
            f'      "customer_id": {py_json(id_kind, id_json, chr(34) + "unknown" + chr(34), 3)},\n'
            f'      "name": {py_json(name_kind, name_json, chr(34) + "Unknown" + chr(34), 3)},\n'
            f'      "segment": {py_json(segment_kind, segment_json, chr(34) + "unknown" + chr(34), 3)},\n'
            f'      "arr": {py_json(arr_kind, arr_json, "0", 3)},\n'
            f'      "risk_score": {risk_score!r},\n'
            f'      "raw_score": {raw_score!r},\n'
            f'      "risk_tier": "{tier}",\n'
            f'      "risk_label": "{label}",\n'
            f'      "urgency_multiplier": {multiplier!r},\n'
            f'      "days_to_renewal": {"null" if days is None else days},\n'
            f'      "signal_scores": {{\n{signal_json}\n      }},\n'
            f'      "warning_signals": {warning_json},\n'
            f'      "recommended_actions": {actions_json}\n'
            "    }")


# ----------------------------------------------------------------------------- expansion

_EXPANSION_SQL = """
select
    e.customer_index, e.customer_id_type, e.customer_id, e.customer_id_json, e.name_type, e.name, e.name_json,
    e.segment, e.arr_type, e.arr, e.arr_json, e.total_modules, e.adopted_modules, e.adoption_rate,
    e.avg_usage_pct, e.seat_utilisation, e.current_tier, e.departments_covered, e.departments_potential,
    e.total_estimated_revenue, e.opportunity_count
from toolkit.fct_toolkit_portfolio_expansion as e
order by e.report_rank
"""

# Flat rows, grouped in Python: DuckDB hands over plain tuples far faster than lists of structs.
_OPPORTUNITIES_SQL = """
select
    customer_index, opportunity_type, category, target_tier, module, department, estimated_revenue,
    effort, priority_score, rationale
from toolkit.fct_toolkit_portfolio_expansion_opportunities
order by customer_index, priority_rank
"""


def _opportunities(con: duckdb.DuckDBPyConnection) -> dict[int, list[tuple]]:
    """Each customer's opportunity rows (as _OPPORTUNITIES_SQL selects them), in priority order."""
    return {customer_index: list(rows)
            for customer_index, rows in groupby(_rows(con, _OPPORTUNITIES_SQL), key=itemgetter(0))}


# The text report's opportunity lines, laid out in SQL: at 100,000 customers they are half a million
# rows of three lines each, too many to format one by one in Python. DuckDB's format('{:,.0f}', x)
# and a double's text are Python's format(x, ',.0f') and str(x); the few names (type, category,
# effort) are title-cased by Python into a lookup table first.
_OPPORTUNITY_LINES_SQL = """
select
    o.customer_index,
    string_agg(
        '    ' || o.priority_rank || '. [' || kind.title || '] ' || category.title || chr(10)
        || '       Revenue: $' || format('{:,.0f}', o.estimated_revenue) || '  |  Effort: ' || effort.title
        || '  |  Priority: ' || cast(o.priority_score as varchar) || chr(10)
        || '       ' || coalesce(o.rationale, 'None'),
        chr(10) order by o.priority_rank
    ) as lines
from toolkit.fct_toolkit_portfolio_expansion_opportunities as o
inner join toolkit_titles as kind on o.opportunity_type = kind.name
inner join toolkit_titles as category on replace(o.category, '_', ' ') = category.name
inner join toolkit_titles as effort on o.effort = effort.name
group by o.customer_index
"""


def _opportunity_lines(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Each customer's opportunities as the text report prints them (lines without the last newline)."""
    names = con.execute(
        "select opportunity_type from toolkit.fct_toolkit_portfolio_expansion_opportunities "
        "union select replace(category, '_', ' ') from toolkit.fct_toolkit_portfolio_expansion_opportunities "
        "union select effort from toolkit.fct_toolkit_portfolio_expansion_opportunities"
    ).fetchall()
    con.execute("create or replace temp table toolkit_titles (name varchar, title varchar)")
    if names:  # a portfolio without an opportunity has none to title
        con.executemany("insert into toolkit_titles values (?, ?)", [(name, name.title()) for (name,) in names])
    return dict(_rows(con, _OPPORTUNITY_LINES_SQL))


def expansion(con: duckdb.DuckDBPyConnection, output_format: str) -> Iterator[str]:
    total, revenue, has_opportunities, opportunities = con.execute(
        "select total_customers, total_estimated_revenue, has_opportunities, total_opportunities "
        "from toolkit.fct_toolkit_portfolio_expansion_summary"
    ).fetchone()
    total_revenue = revenue if has_opportunities else 0
    found_by_customer = _opportunities(con) if output_format == "json" else _opportunity_lines(con)
    rows = ((*row[1:], found_by_customer.get(row[0])) for row in _rows(con, _EXPANSION_SQL))
    if output_format == "json":
        yield ('{\n  "report": "expansion_opportunities",\n  "summary": {\n'
               f'    "total_customers": {total},\n    "total_estimated_revenue": {total_revenue!r},\n'
               f'    "total_opportunities": {opportunities}\n  }},\n  "customers": [')
        first = True
        for row in rows:
            yield ("\n" if first else ",\n") + _expansion_json(row)
            first = False
        yield "\n  ]\n}\n"
        return
    yield (f"{RULE}\nEXPANSION OPPORTUNITY REPORT\n{RULE}\n\nPortfolio Summary: {total} customers\n"
           f"  Total Expansion Revenue Potential: ${total_revenue:,.0f}\n"
           f"  Total Opportunities Identified:    {opportunities}\n\n")
    for row in rows:
        (id_kind, id_text, id_json, name_kind, name_text, name_json, segment, arr_kind, arr, arr_json,
         total_modules, adopted, adoption_rate, avg_usage, seats, current_tier, covered, potential,
         total_revenue_row, count, found) = row
        customer_total = total_revenue_row if total_revenue_row is not None else 0
        lines = [
            DASH,
            f"Customer: {py_str(name_kind, name_text, name_json, 'Unknown')} "
            f"({py_str(id_kind, id_text, id_json, 'unknown')})",
            f"Segment:  {segment.title()}  |  Current ARR: ${arr_number(arr_kind, arr, arr_json):,.0f}",
            f"Total Expansion Potential: ${customer_total:,.0f}  ({count} opportunities)",
            "",
            "  Adoption Summary:",
            f"    Modules Adopted:    {adopted}/{total_modules} ({adoption_rate if adoption_rate is not None else 0}%)",
            f"    Avg Module Usage:   {avg_usage}%",
            f"    Seat Utilisation:   {seats}%",
            f"    Current Tier:       {current_tier.title()}",
            f"    Departments:        {covered} active, {potential} potential",
        ]
        if found:
            lines += ["", "  Opportunities (ranked by priority):", found]
        else:
            lines += ["", "  No expansion opportunities identified at this time."]
        lines.append("")
        yield "\n".join(lines) + "\n"
    yield RULE + "\n"


def _opportunity_json(opportunity: tuple) -> str:
    _, kind, category, target_tier, module, department, revenue, effort, priority, rationale = opportunity
    if category == "seat_expansion":
        fields = [("type", js(kind)), ("category", js(category))]
    elif category == "tier_upgrade":
        fields = [("type", js(kind)), ("category", js(category)), ("target_tier", js(target_tier))]
    elif category == "module_cross_sell":
        fields = [("module", js(module)), ("type", js(kind))]
    else:
        fields = [("department", js(department)), ("type", js(kind))]
    fields += [("estimated_revenue", repr(revenue)), ("effort", js(effort)), ("rationale", js(rationale))]
    if category in ("module_cross_sell", "department_expansion"):
        fields.append(("category", js(category)))
    fields.append(("priority_score", repr(priority)))
    return "        {\n" + ",\n".join(f'          "{k}": {v}' for k, v in fields) + "\n        }"


def _expansion_json(row: tuple) -> str:
    (id_kind, _id_text, id_json, name_kind, _name_text, name_json, segment, arr_kind, _arr, arr_json,
     total_modules, adopted, adoption_rate, avg_usage, seats, current_tier, covered, potential,
     total_revenue_row, count, found) = row
    found_json = ("[\n" + ",\n".join(_opportunity_json(o) for o in found) + "\n      ]") if found else "[]"
    return ("    {\n"
            f'      "customer_id": {py_json(id_kind, id_json, chr(34) + "unknown" + chr(34), 3)},\n'
            f'      "name": {py_json(name_kind, name_json, chr(34) + "Unknown" + chr(34), 3)},\n'
            f'      "segment": {js(segment)},\n'
            f'      "arr": {py_json(arr_kind, arr_json, "0", 3)},\n'
            '      "adoption_summary": {\n'
            f'        "total_modules": {total_modules},\n'
            f'        "adopted_modules": {adopted},\n'
            f'        "adoption_rate": {repr(adoption_rate) if adoption_rate is not None else 0},\n'
            f'        "avg_usage_pct": {avg_usage!r},\n'
            f'        "seat_utilisation": {seats!r},\n'
            f'        "current_tier": {js(current_tier)},\n'
            f'        "departments_covered": {covered},\n'
            f'        "departments_potential": {potential}\n'
            "      },\n"
            f'      "total_estimated_revenue": {repr(total_revenue_row) if total_revenue_row is not None else 0},\n'
            f'      "opportunity_count": {count},\n'
            f'      "opportunities": {found_json}\n'
            "    }")
