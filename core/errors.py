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


class ConfigError(HandledError):
    """A setting, a command-line value or a config file that cannot be used; the message names it."""


class PluginError(QbBridgeError):
    """A plugin that cannot be loaded or registered (duplicate type, unknown dependency, cycle)."""

    def __init__(self, plugin_name: str, message: str) -> None:
        super().__init__(f"plugin {plugin_name!r}: {message}")
        self.plugin_name = plugin_name


class ProtocolError(QbBridgeError):
    """A QBWC call that breaks the protocol (h11 style: who broke it decides the subclass)."""


class ClientProtocolError(ProtocolError):
    """The Web Connector (or whatever speaks for it) called out of order or sent garbage."""


class ServerProtocolError(ProtocolError):
    """qbbridge misused its own engine: a bug."""


class QbXmlError(QbBridgeError):
    """qbXML that cannot be parsed or lacks what the protocol requires."""
