"""``qbbridge demo``: the README's main job — the built-in plugins end to end on this machine."""

from __future__ import annotations

import argparse
from pathlib import Path

from .demo import run_demo


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="run qbbridge end to end against the simulated QuickBooks and Web Connector",
        description="Start qbbridge on SQLite behind a local HTTP server, load sample work blocks, parts "
                    "and invoices, run the Web Connector simulator against the QuickBooks simulator twice "
                    "(the first update stops on a job QuickBooks lacks; the job is added; the second sends "
                    "it) and print what landed in QuickBooks.")
    demo.add_argument("--dir", type=Path, metavar="DIR",
                      help="keep the demo's SQLite database in DIR (default: a temporary folder, "
                           "removed afterwards)")
    demo.set_defaults(func=command_demo)


def command_demo(args: argparse.Namespace) -> int:
    return run_demo(directory=args.dir)
