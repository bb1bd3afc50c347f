"""``qbbridge mockqb …``: run the Web Connector simulator against a server, create a company, demo.

Rule: user mistakes (a bad URL, a missing company file, a bad fault spec) raise ``UserError`` with a
message naming the problem; ``qbbridge``'s ``main()`` prints it and exits 2. ``run`` exits 0 only when
the update completed without error, 1 when it ran but failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .clock import SimulatedClock, SystemClock
from .company import CompanyFile, CompanyFileError
from .errors import MockQbError
from .faults import FaultPlan, FaultSpecError
from .processor import QuickBooks
from .sample import sample_company
from .transports import HttpTransport

PASSWORD_ENV = "QBBRIDGE_MOCKQB_PASSWORD"


class UserError(MockQbError):
    """A command-line mistake; the message says what to fix."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``mockqb`` command and its subcommands to a parent parser."""
    parser = subparsers.add_parser("mockqb", help="the bundled QuickBooks and Web Connector simulators",
                                   description="Run the Web Connector simulator against a QBWC server, "
                                               "create a sample company, or watch the self-demo.")
    commands = parser.add_subparsers(dest="mockqb_command", metavar="SUBCOMMAND", required=True)
    _add_run(commands)
    _add_init(commands)
    _add_demo(commands)


def _add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="run one Web Connector update against a QBWC server URL")
    run.add_argument("--url", required=True, help="the QBWC server's SOAP URL (http:// or https://)")
    run.add_argument("--user", required=True, help="the Web Connector user name (the .qwc UserName)")
    run.add_argument("--password", help=f"the user's password (default: ${PASSWORD_ENV})")
    run.add_argument("--company", required=True, type=Path, help="company file (JSON); saved after the run")
    run.add_argument("--fault", action="append", default=[], metavar="SPEC",
                     help="a scripted fault, KIND[:OP][@N][=VALUE]; repeatable (see docs/mockqb.md)")
    run.add_argument("--app-name", default="qbbridge", help="the application name QuickBooks sees")
    run.add_argument("--real-time", action="store_true", help="really wait on NoOp pauses (default: simulated)")
    run.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each SOAP call")
    run.add_argument("--json", action="store_true", help="print the result and transcript as JSON")
    run.add_argument("--verbose", action="store_true", help="show every call's arguments in the transcript")
    run.set_defaults(func=command_run)


def _add_init(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="write a sample company file")
    init.add_argument("file", type=Path, help="where to write the company (JSON)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(func=command_init)


def _add_demo(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="see the simulators at work: two updates over HTTP on 127.0.0.1")
    demo.add_argument("--company", type=Path, help="use and save this company file (default: a fresh sample)")
    demo.set_defaults(func=command_demo)


def command_run(args: argparse.Namespace) -> int:
    password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
    if password is None:
        raise UserError(f"no password: give --password or set {PASSWORD_ENV}")
    try:
        with CompanyFile.opened(args.company, clock=SystemClock()) as company:
            result = _connector(args, company, password).run_update()
    except CompanyFileError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print(json.dumps(result.to_json(), indent=2, default=str))
    else:
        print(result.summary(brief=not args.verbose))
    return 0 if result.ok else 1


def _connector(args: argparse.Namespace, company: CompanyFile, password: str):
    from .webconnector import WebConnector

    try:
        faults = FaultPlan.parse(args.fault)
        transport = HttpTransport(args.url, timeout=args.timeout)
    except FaultSpecError as exc:
        raise UserError(str(exc)) from exc
    except ValueError as exc:
        raise UserError(f"--url {args.url!r}: {exc}") from exc
    clock = SystemClock() if args.real_time else SimulatedClock()
    return WebConnector(transport, QuickBooks(company), user=args.user, password=password,
                        app_name=args.app_name, clock=clock, faults=faults)


def _load_company(path: Path) -> CompanyFile:
    try:
        return CompanyFile.load(path, clock=SystemClock())
    except CompanyFileError as exc:
        raise UserError(str(exc)) from exc


def command_init(args: argparse.Namespace) -> int:
    if args.file.exists() and not args.force:
        raise UserError(f"{args.file} exists; pass --force to overwrite it")
    try:
        sample_company().save(args.file)
    except OSError as exc:
        raise UserError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    print(f"Wrote a sample company to {args.file}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    if args.company is not None and args.company.exists():
        _load_company(args.company)  # fail early, with the message, on a bad file
    return run_demo(args.company)


def main(argv: list[str] | None = None) -> int:
    """``python -m qbbridge.mockqb``: the same commands without the ``qbbridge`` front end."""
    parser = argparse.ArgumentParser(prog="python -m qbbridge.mockqb")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["mockqb", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"mockqb: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug, reported in one line as the qbbridge front end does
        if os.environ.get("QBBRIDGE_DEBUG"):
            raise
        print(f"mockqb: internal error: {type(exc).__name__}: {exc}. This is a bug; set QBBRIDGE_DEBUG=1 "
              "to see the traceback.", file=sys.stderr)
        return 70
