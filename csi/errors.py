"""Errors the user can act on."""

from __future__ import annotations

import re

from csi.paths import published_dir

# DuckDB's refusal to open a file another process holds (the holder is named where the OS tells).
_LOCKED = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)"(?:: Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\))?'
)


class UserError(Exception):
    """A problem the user can fix (bad argument, missing file): shown as one line, never a traceback."""


def locked_file(error: object) -> UserError | None:
    """The one-line error for a DuckDB file that another program holds open, when `error` (an
    exception or its message) is DuckDB refusing it; None for anything else."""
    match = _LOCKED.search(str(error))
    if match is None:
        return None
    holder = f" ({match['program']}, PID {match['pid']})" if match["pid"] else ""
    return UserError(
        f"{match['file']} is open in another program{holder}: close it and retry; "
        f"BI tools and notebooks should read the published copy in {published_dir()} instead"
    )
