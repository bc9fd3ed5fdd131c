"""Errors the user can act on."""


class UserError(Exception):
    """A problem the user can fix (bad argument, missing file): shown as one line, never a traceback."""
