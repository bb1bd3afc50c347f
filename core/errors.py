"""qbbridge's exception hierarchy (grows with the engine).

Rule: ``HandledError`` is for failures a user can fix; the command line prints its message and exits
with its ``exit_code`` — never a stack trace. Anything else reaching ``main()`` is a bug.
"""

from __future__ import annotations


class QbBridgeError(Exception):
    """Base class of qbbridge's own exceptions."""


class HandledError(QbBridgeError):
    """A user-facing failure with a message that names the problem and the fix."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
