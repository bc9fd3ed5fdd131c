"""The reference ("oracle") for the toolkit CLI: the three original scripts, rebuilt from the seed.

Seed 002 (../shared/seeds/002_*.txt) holds the full source of the customer-success toolkit's three
scripts, but the copy lost every line's indentation and collapsed runs of spaces inside string
literals (the text reports align their columns with runs of spaces). This module extracts each
script from the seed, restores its block structure and those few literals and writes it to a
directory, so the tests and the toolkit benchmark (tests/python/toolkit_bench.py) can compare
`csi toolkit ...` with the real thing, byte for byte and in speed. A development fixture: the product
never runs these scripts, its scores are computed in dbt (models/*/toolkit_portfolio).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from csi.paths import PROJECT_DIR

SEEDS_DIR = Path(os.environ.get("CSI_SEEDS_DIR", PROJECT_DIR.parent / "shared" / "seeds"))
SEED_FILE_GLOB = "002_*.txt"
SEEDS_MISSING_REASON = f"the seed documents are not at {SEEDS_DIR}: the original scripts cannot be rebuilt"

SCRIPTS = {
    "health": ("Customer Health Score Calculator", "health_score_calculator.py"),
    "churn": ("Churn Risk Analyzer", "churn_risk_analyzer.py"),
    "expansion": ("Expansion Opportunity Scorer", "expansion_opportunity_scorer.py"),
}

# Runs of spaces the copy collapsed inside string literals, restored (collapsed -> original).
# Each must occur in its script exactly as written here; the reconstruction fails loudly otherwise.
_SEGMENT_FIX = ("f\"Segment: {r['segment'].title()} | ARR: ${r['arr']:,.0f}\"",
                "f\"Segment:  {r['segment'].title()}  |  ARR: ${r['arr']:,.0f}\"")
LITERAL_FIXES: dict[str, list[tuple[str, str]]] = {
    "health": [
        ('f" Average Health Score: {avg_score}/100"', 'f"  Average Health Score: {avg_score}/100"'),
        ('f" Green (Healthy): {green_count}"', 'f"  Green (Healthy):       {green_count}"'),
        ('f" Yellow (Attention): {yellow_count}"', 'f"  Yellow (Attention):     {yellow_count}"'),
        ('f" Red (At Risk): {red_count}"', 'f"  Red (At Risk):         {red_count}"'),
        _SEGMENT_FIX,
        ("f\"Overall Score: {r['overall_score']}/100 [{label}]\"",
         "f\"Overall Score: {r['overall_score']}/100  [{label}]\""),
        ('" Dimension Scores:"', '"  Dimension Scores:"'),
        ("f\" {dim_name.title():15s} {dim_data['score']:6.1f}/100 ({dim_data['weight']}) [{dim_label}]\"",
         "f\"    {dim_name.title():15s} {dim_data['score']:6.1f}/100  ({dim_data['weight']})  [{dim_label}]\""),
        ('" Trends:"', '"  Trends:"'),
        ("f\" {dim_name.title():15s} {arrow.get(direction, '?')} {direction}\"",
         "f\"    {dim_name.title():15s} {arrow.get(direction, '?')} {direction}\""),
        ('" Recommendations:"', '"  Recommendations:"'),
        ('f" {i}. {rec}"', 'f"    {i}. {rec}"'),
    ],
    "churn": [
        ('f" Critical Risk: {critical_count}"', 'f"  Critical Risk: {critical_count}"'),
        ('f" High Risk: {high_count}"', 'f"  High Risk:     {high_count}"'),
        ('f" Medium Risk: {medium_count}"', 'f"  Medium Risk:   {medium_count}"'),
        ('f" Low Risk: {low_count}"', 'f"  Low Risk:      {low_count}"'),
        ('f" ARR at Risk (Critical + High): ${total_arr_at_risk:,.0f}"',
         'f"  ARR at Risk (Critical + High): ${total_arr_at_risk:,.0f}"'),
        _SEGMENT_FIX,
        ("f\"Risk Score: {r['risk_score']}/100 [{r['risk_label']}] | Renewal: {renewal_str}\"",
         "f\"Risk Score: {r['risk_score']}/100  [{r['risk_label']}]  |  Renewal: {renewal_str}\""),
        ("f\" ** Urgency multiplier applied: {r['urgency_multiplier']}x (renewal approaching)\"",
         "f\"  ** Urgency multiplier applied: {r['urgency_multiplier']}x (renewal approaching)\""),
        ('" Signal Scores:"', '"  Signal Scores:"'),
        ("f\" {display_name:25s} {signal_data['score']:6.1f}/100 ({signal_data['weight']})\"",
         "f\"    {display_name:25s} {signal_data['score']:6.1f}/100  ({signal_data['weight']})\""),
        ('" Warning Signals:"', '"  Warning Signals:"'),
        ("f\" [{severity_tag}] {w['signal']}\"", "f\"    [{severity_tag}] {w['signal']}\""),
        ('" Recommended Actions:"', '"  Recommended Actions:"'),
        ('f" {i}. {action}"', 'f"    {i}. {action}"'),
    ],
    "expansion": [
        ('f" Total Expansion Revenue Potential: ${total_rev:,.0f}"',
         'f"  Total Expansion Revenue Potential: ${total_rev:,.0f}"'),
        ('f" Total Opportunities Identified: {total_opps}"', 'f"  Total Opportunities Identified:    {total_opps}"'),
        ("f\"Segment: {r['segment'].title()} | Current ARR: ${r['arr']:,.0f}\"",
         "f\"Segment:  {r['segment'].title()}  |  Current ARR: ${r['arr']:,.0f}\""),
        ("${r['total_estimated_revenue']:,.0f} ({r['opportunity_count']} opportunities)\"",
         "${r['total_estimated_revenue']:,.0f}  ({r['opportunity_count']} opportunities)\""),
        ('" Adoption Summary:"', '"  Adoption Summary:"'),
        ('f" Modules Adopted: {', 'f"    Modules Adopted:    {'),
        ('f" Avg Module Usage: {', 'f"    Avg Module Usage:   {'),
        ('f" Seat Utilisation: {', 'f"    Seat Utilisation:   {'),
        ('f" Current Tier: {', 'f"    Current Tier:       {'),
        ('f" Departments: {', 'f"    Departments:        {'),
        ('" Opportunities (ranked by priority):"', '"  Opportunities (ranked by priority):"'),
        ('f" {i}. [{opp_type}] {category}"', 'f"    {i}. [{opp_type}] {category}"'),
        ('f" Revenue: ${rev:,.0f} | Effort: {effort} | Priority: {pri}"',
         'f"       Revenue: ${rev:,.0f}  |  Effort: {effort}  |  Priority: {pri}"'),
        ("f\" {opp.get('rationale', '')}\"", "f\"       {opp.get('rationale', '')}\""),
        ('" No expansion opportunities identified at this time."',
         '"  No expansion opportunities identified at this time."'),
    ],
}

# Where a block ends without a closing statement (return, pass, ...), nothing in the flattened text
# says so. These are the scripts' block ends, each keyed by (previous line, line) as they appear
# in the seed, with the indentation level the line has in the original.
DEDENTS: dict[str, dict[tuple[str, str], int]] = {
    "health": {
        ('recommendations.append("Login frequency below target -- schedule product engagement session")',
         "if adoption < 50:"): 1,
        ('recommendations.append("Feature adoption is low -- recommend guided feature walkthrough")',
         "if dau_mau < 50:"): 1,
        ('recommendations.append("Meeting attendance is low -- re-evaluate meeting cadence and agenda value")',
         "if nps_raw < 7:"): 1,
        ('recommendations.append("NPS below threshold -- conduct a feedback deep-dive with customer")',
         "if csat_raw < 3.5:"): 1,
        ('recommendations.append("Open ticket count elevated -- prioritise ticket resolution")',
         'if esc_rate > benchmarks["escalation_rate_max"] * 0.5:'): 1,
        ('recommendations.append("Escalation rate too high -- review support process and training")',
         'if res_hours > benchmarks["avg_resolution_hours_max"] * 0.5:'): 1,
        ('recommendations.append("Executive sponsor engagement is weak -- schedule executive alignment meeting")',
         "if threading < 2:"): 1,
        ('recommendations.append("Single-threaded relationship -- expand contacts across departments")',
         'if sentiment_str == "negative":'): 1,
        ("lines.append(f\"    {dim_name.title():15s} {dim_data['score']:6.1f}/100  ({dim_data['weight']})  [{dim_label}]\")",
         'lines.append("")'): 2,
        ("lines.append(f\"    {dim_name.title():15s} {arrow.get(direction, '?')} {direction}\")",
         'if r["recommendations"]:'): 2,
        ('lines.append(f"    {i}. {rec}")', 'lines.append("")'): 2,
        ('lines.append("")', 'lines.append("=" * 72)'): 1,
    },
    "churn": {
        ('warnings.append({"severity": "medium", "signal": f"Login frequency dipping {abs(login_trend)}%"})',
         "if feature_change <= -15:"): 1,
        ('warnings.append({"severity": "medium", "signal": f"Feature adoption declining {abs(feature_change)}%"})',
         "if dau_mau_change <= -0.10:"): 1,
        ('warnings.append({"severity": "high", "signal": f"{cancellations} meeting cancellations recently"})',
         "if response_days >= 7:"): 1,
        ('warnings.append({"severity": "high", "signal": f"Customer response time increasing: {response_days} days"})',
         "if nps_change <= -4:"): 1,
        ('warnings.append({"severity": "high", "signal": "Unresolved critical support ticket"})',
         "if escalations >= 2:"): 1,
        ('warnings.append({"severity": "medium", "signal": "Open support escalation"})',
         'if sat_trend == "critical":'): 1,
        ('warnings.append({"severity": "critical", "signal": "Internal champion has left the organisation"})',
         "if sponsor_change:"): 1,
        ('warnings.append({"severity": "high", "signal": "Executive sponsor change detected"})',
         "if competitor_mentions >= 3:"): 1,
        ('warnings.append({"severity": "medium", "signal": f"Customer mentioned competitor {competitor_mentions} time(s)"})',
         "score = clamp(risk_points)"): 1,
        ("risk_points += 15.0", "if pricing_complaints:"): 1,
        ('warnings.append({"severity": "high", "signal": "Customer has raised pricing complaints"})',
         "if budget_cuts:"): 1,
        ('warnings.append({"severity": "high", "signal": "Customer mentioned budget cuts or cost reduction"})',
         "score = clamp(risk_points)"): 1,
        ('lines.append(f"  ** Urgency multiplier applied: {r[\'urgency_multiplier\']}x (renewal approaching)")',
         'lines.append("")'): 2,
        ("lines.append(f\"    {display_name:25s} {signal_data['score']:6.1f}/100  ({signal_data['weight']})\")",
         'if r["warning_signals"]:'): 2,
        ("lines.append(f\"    [{severity_tag}] {w['signal']}\")", 'if r["recommended_actions"]:'): 2,
        ('lines.append(f"    {i}. {action}")', 'lines.append("")'): 2,
        ('lines.append("")', 'lines.append("=" * 72)'): 1,
    },
    "expansion": {
        ("rationale = f\"Upgrade from {current_tier} to {tier} adds ${incremental:,.0f} ARR\"",
         "return best_revenue, best_tier, rationale"): 1,
        ("pass # Skip -- needs enablement, not a sales motion", "return opportunities"): 1,
        ("})", "# 2. Tier upgrade"): 1,
        ("})", "# 3. Module cross-sell"): 1,
        ("all_opportunities.append(opp)", "# 4. Department expansion"): 1,
        ("all_opportunities.append(opp)", "# Sort by priority score descending"): 1,
        ('lines.append(f"       {opp.get(\'rationale\', \'\')}")', "else:"): 2,
        ('lines.append("  No expansion opportunities identified at this time.")', 'lines.append("")'): 2,
        ('lines.append("")', 'lines.append("=" * 72)'): 1,
    },
}

_TOP_LEVEL = re.compile(r"^(def |class |@|import |from \S+ import |if __name__|[A-Z_][A-Z0-9_]*\s*[:=])")
_BLOCK_CONTINUATION = re.compile(r"^(elif\b|else\s*:|except\b|finally\s*:)")
_CLOSES_BLOCK = re.compile(r"^(return\b|pass\b|continue\b|break\b|raise\b|sys\.exit\()")
_OPENERS = {"elif": ("if", "elif"), "else": ("if", "elif", "for", "while", "try", "except"),
            "except": ("try", "except"), "finally": ("try", "except", "else")}


def _strip_comment(line: str) -> str:
    """The line without a trailing comment (a '#' outside string literals)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index].rstrip()
    return line.rstrip()


def _bracket_delta(line: str) -> int:
    depth, quote = 0, ""
    for char in _strip_comment(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depth


def reindent(flat: str, script: str) -> str:
    """Restore the indentation of one of the three toolkit scripts from its flattened text.

    Python's own rules give most of it: a line ending in ':' opens a block, elif/else/except/finally
    close one at the level of their opener, return/pass/raise/sys.exit() end one, definitions and
    module constants start at column 0, a function's last `return` is at its body's level. The
    block ends that leave no trace in the text come from DEDENTS.
    """
    dedents = DEDENTS[script]
    used: set[tuple[str, str]] = set()
    out: list[str] = []
    blocks: list[tuple[str, int]] = []  # open compound statements: (keyword, level)
    level = 0  # level of the next logical line
    depth = 0  # brackets left open by the previous lines
    in_docstring = False
    prev_stmt, prev_level, prev_opened = "", 0, False
    lines = flat.splitlines()
    for number, raw in enumerate(lines):
        text = raw.strip()
        if in_docstring:
            out.append(("    " * level if text else "") + text)
            in_docstring = '"""' not in text
            continue
        if depth > 0:  # inside a bracketed expression: indentation is cosmetic
            depth += _bracket_delta(text)
            closing = depth == 0 and text[:1] in ")]}"
            out.append("    " * (prev_level + (0 if closing else 1)) + text)
            prev_stmt = text
            if depth == 0 and _strip_comment(text).endswith(":"):
                blocks.append((prev_stmt.split()[0], prev_level))
                level, prev_opened = prev_level + 1, True
            continue
        if not text:
            out.append("")
            continue
        code = _strip_comment(text)
        continuation = _BLOCK_CONTINUATION.match(text)
        if prev_opened:
            pass  # the first line of a block: one level in, whatever it says
        elif (prev_stmt, text) in dedents:
            level = dedents[(prev_stmt, text)]
            used.add((prev_stmt, text))
        elif _TOP_LEVEL.match(text) or (text.startswith("# ---") and not _inside_def(blocks)):
            level = 0
        elif continuation:
            keyword = text.split()[0].rstrip(":")
            while blocks and blocks[-1][0] not in _OPENERS[keyword]:
                blocks.pop()
            level = blocks[-1][1] if blocks else 0
        elif text.startswith("return") and _next_is_top_level(lines, number):
            level = 1
        while blocks and (blocks[-1][1] > level or (blocks[-1][1] == level and not text.startswith("#"))):
            blocks.pop()
        out.append("    " * level + text)
        prev_stmt, prev_level = text, level
        if text.startswith("#"):
            continue  # a comment keeps the block it is in open
        prev_opened = False
        depth = _bracket_delta(text)
        if text.startswith('"""') and text.count('"""') == 1:
            in_docstring = True
            continue
        if depth > 0:
            continue
        if code.endswith(":"):
            blocks.append((code.split()[0].rstrip(":"), level))
            level, prev_opened = level + 1, True
        elif _CLOSES_BLOCK.match(code):
            level = max(level - 1, 0)
    if used != set(dedents):
        raise ValueError(f"{script}: block ends not found in the seed: {sorted(set(dedents) - used)}")
    return "\n".join(out) + "\n"


def _inside_def(blocks: list[tuple[str, int]]) -> bool:
    return any(keyword in ("def", "class") for keyword, _ in blocks)


def _next_is_top_level(lines: list[str], number: int) -> bool:
    for following in lines[number + 1:]:
        text = following.strip()
        if text and not text.startswith("#"):
            return bool(_TOP_LEVEL.match(text))
    return True


def extract_flat_scripts(seed_text: str) -> dict[str, str]:
    """The three scripts' flattened source, by name, as the seed holds them."""
    lines = seed_text.splitlines()
    scripts: dict[str, str] = {}
    for start, line in enumerate(lines):
        if line.strip() != "#!/usr/bin/env python3":
            continue
        title = lines[start + 2].strip()
        name = next(key for key, (script_title, _) in SCRIPTS.items() if script_title == title)
        end = next(i for i in range(start, len(lines)) if lines[i].strip() == 'if __name__ == "__main__":')
        scripts[name] = "\n".join(lines[start:end + 2]) + "\n"
    missing = set(SCRIPTS) - set(scripts)
    if missing:
        raise ValueError(f"seed 002 does not hold the script(s) {sorted(missing)}")
    return scripts


def restore_literals(source: str, script: str) -> str:
    for collapsed, original in LITERAL_FIXES[script]:
        count = source.count(collapsed)
        if count != 1:
            raise ValueError(f"{script}: expected the literal {collapsed!r} once in the seed, found it {count} times")
        source = source.replace(collapsed, original)
    return source


def seed_text() -> str:
    found = sorted(SEEDS_DIR.glob(SEED_FILE_GLOB))
    if not found:
        raise FileNotFoundError(SEEDS_MISSING_REASON)
    return found[0].read_text(encoding="utf-8")


def seed_sample_input() -> dict:
    """The sample portfolio the seed ships (assets/sample_customer_data.json), parsed."""
    return json.loads(_json_block(seed_text(), '"customers": ['))


def seed_sample_health_output() -> dict:
    """The seed's sample output of the health script in JSON format, parsed."""
    return json.loads(_json_block(seed_text(), '"report": "customer_health_scores",'))


def _json_block(text: str, marker: str) -> str:
    """The JSON document that starts on the line before `marker` (a line holding just '{')."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == marker and lines[i - 1] == "{") - 1
    tail = "\n".join(lines[start:])
    _, end = json.JSONDecoder().raw_decode(tail)
    return tail[:end]


@dataclass(frozen=True)
class Oracle:
    """The rebuilt original scripts, written to a directory, runnable as programs or in-process."""

    directory: Path
    _modules: dict[str, ModuleType] = field(default_factory=dict, compare=False, repr=False)

    def path(self, script: str) -> Path:
        return self.directory / SCRIPTS[script][1]

    def run(self, script: str, input_file: Path, output_format: str = "text", today: str | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run one original script as its users do; `today` fixes datetime.now() to noon of that day."""
        args = [str(input_file), "--format", output_format]
        runner = self.directory / "run_with_today.py"
        command = [sys.executable, str(runner), str(self.path(script)), today or "", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONHASHSEED": "0"})

    def report(self, script: str, input_file: Path, output_format: str = "text", today: str | None = None) -> str:
        """What `run` prints on stdout, computed in this process: the script's main(), its module
        imported once, without a Python start-up per report. SystemExit propagates where it exits."""
        module = self._module(script)
        if hasattr(module, "datetime"):  # `from datetime import datetime`: the churn script's clock
            module.datetime = _clock(today)
        out = io.StringIO()
        argv = sys.argv
        sys.argv = [str(self.path(script)), str(input_file), "--format", output_format]
        try:
            with contextlib.redirect_stdout(out):
                module.main()
        finally:
            sys.argv = argv
        return out.getvalue()

    def _module(self, script: str) -> ModuleType:
        if script not in self._modules:
            spec = importlib.util.spec_from_file_location(f"toolkit_oracle_{script}", self.path(script))
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._modules[script] = module
        return self._modules[script]


def _clock(today: str | None) -> type[dt.datetime]:
    """datetime with now() at noon of `today` (the real clock when None), as run_with_today.py fixes it."""
    if not today:
        return dt.datetime
    fixed = dt.datetime.strptime(today, "%Y-%m-%d")

    class FixedDatetime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> FixedDatetime:
            return cls(fixed.year, fixed.month, fixed.day, 12, 0, 0)

    return FixedDatetime


_RUNNER = '''\
"""Run a script with datetime.now() fixed to noon of a given day (empty: the real clock)."""
import datetime as _datetime
import runpy
import sys

script, today, *args = sys.argv[1:]
if today:
    _fixed = _datetime.datetime.strptime(today, "%Y-%m-%d").replace(hour=12)

    class _FixedDatetime(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(_fixed.year, _fixed.month, _fixed.day, 12, 0, 0)

    _datetime.datetime = _FixedDatetime
sys.argv = [script, *args]
runpy.run_path(script, run_name="__main__")
'''


def build_oracle(directory: Path) -> Oracle:
    """Rebuild the three original scripts from the seed into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, flat in extract_flat_scripts(seed_text()).items():
        source = reindent(restore_literals(flat, name), name)
        compile(source, SCRIPTS[name][1], "exec")
        (directory / SCRIPTS[name][1]).write_text(source, encoding="utf-8")
    (directory / "run_with_today.py").write_text(_RUNNER, encoding="utf-8")
    return Oracle(directory)
