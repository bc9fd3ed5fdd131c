"""Time a step and its peak memory: the step runs in a child process, whose resident memory (with
its own children) is sampled while it runs, so one step's memory never inflates another's."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from csi.errors import UserError

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    step: str
    seconds: float  # wall time of the child process
    peak_mb: float  # its peak resident memory, children included
    work_seconds: float | None  # the time the step itself reported (`seconds=`), without start-up
    # CPU time (user + system) of the process and its children: what the step costs whatever else
    # the shared machine runs meanwhile
    cpu_seconds: float | None = None


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # a child that just exited
            continue
    return total


def measure(step: str, command: list[str], log: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run `command` (argv) to completion, appending its output to `log`."""
    with open(log, "a") as out:
        out.write(f"\n=== {step}: {' '.join(command)}\n")
        out.flush()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        child = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        watched, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            try:
                peak = max(peak, tree_rss(watched))
            except psutil.NoSuchProcess:
                break
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime - cpu_before.ru_utime + cpu_after.ru_stime - cpu_before.ru_stime
    if child.returncode != 0:
        raise UserError(f"bench step '{step}' failed (exit {child.returncode}): see {log}")
    reported = re.findall(r"^seconds=([0-9.]+)", log.read_text().rsplit("\n=== ", 1)[-1], re.MULTILINE)
    return Measurement(step, seconds, peak / 2**20, float(reported[-1]) if reported else None, cpu)
