"""Errors the user is meant to read. Anything else reaching the top is a bug."""


class WorkbenchError(Exception):
    """A problem with the user's input or files; ``str(err)`` is the one-line message."""


class BadInput(WorkbenchError):
    """A malformed file, sheet or cell. The message names the file and the place."""


class ProjectFileError(WorkbenchError):
    """A project file that cannot be opened as asked (corrupt, newer, locked)."""
