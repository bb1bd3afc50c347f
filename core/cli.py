"""The ``qbbridge`` command line.

Rule: each area adds its own subcommands through a ``register(subparsers)`` function (``cli_server``:
serve, qwc; ``cli_admin``: company, user, plugins, status, submit, resolve; ``cli_lists``: finalize,
importables, import, ignore; ``cli_demo``: demo; ``mockqb``); ``main()`` is the one place that turns
``HandledError``, ``PluginError`` (a plugin that cannot load, exit 2) and the simulator's user errors into
a message and an exit code.
Anything else is a bug: the user sees one line saying so (exit 70), and the traceback only with
``QBBRIDGE_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from qbbridge.mockqb import cli as mockqb_cli

from . import cli_admin, cli_demo, cli_lists, cli_server
from .errors import HandledError, PluginError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qbbridge",
        description="QuickBooks Desktop sync through the QuickBooks Web Connector, exactly once.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    cli_server.register(subparsers)
    cli_admin.register(subparsers)
    cli_lists.register(subparsers)
    cli_demo.register(subparsers)
    mockqb_cli.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 only on success)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except HandledError as exc:
        print(f"qbbridge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except PluginError as exc:
        print(f"qbbridge: error: {exc}", file=sys.stderr)
        return 2
    except mockqb_cli.UserError as exc:
        print(f"qbbridge: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qbbridge: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, reported as one
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("QBBRIDGE_DEBUG"):
        traceback.print_exc()
    print(f"qbbridge: internal error: {type(exc).__name__}: {exc}. This is a bug in qbbridge; "
          "set QBBRIDGE_DEBUG=1 to see the traceback.", file=sys.stderr)
    return 70


if __name__ == "__main__":
    sys.exit(main())
