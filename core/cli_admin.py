"""The operator's commands: ``company add`` (``company set``/``show``: cli_company), ``user add``,
``plugins``, ``status``, ``submit``, ``resolve``.

Rule: each command is a thin shell over the host API (``App.host``) — it reads options, files and the
password, calls one host method and prints the result; every mistake is a ``HandledError`` naming it.
A password is never an argument: it is typed twice at a prompt or piped with ``--password-stdin``.
``submit`` exits 1 when any record was refused (the valid ones are stored all the same).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from . import cli_company, records_io
from .app import App
from .cli_server import add_settings_options, load_settings, open_app
from .errors import HandledError
from .plugins import plugin_summary

_NO_STORE_PLUGINS = ("database_url", "disabled_plugins")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``company``, ``user``, ``plugins``, ``status`` and ``submit``."""
    company = subparsers.add_parser("company", help="companies (QuickBooks company files)").add_subparsers(
        dest="company_command", metavar="SUBCOMMAND", required=True)
    add = company.add_parser("add", help="add a company")
    add.add_argument("name", help="the company's name in qbbridge")
    add.add_argument("--qb-file", default="", metavar="PATH",
                     help="the QuickBooks company file's path on the Windows machine (default: the open one)")
    add_settings_options(add, _NO_STORE_PLUGINS)
    add.set_defaults(func=command_company_add)
    cli_company.register(company)
    _add_user(subparsers)
    _add_plugins(subparsers)
    _add_status(subparsers)
    _add_submit(subparsers)
    _add_resolve(subparsers)


def _add_user(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help="Web Connector logins").add_subparsers(
        dest="user_command", metavar="SUBCOMMAND", required=True)
    add = user.add_parser("add", help="add a Web Connector login for one company",
                          description="The password is asked twice at a prompt, or read from the first "
                                      "line of standard input with --password-stdin.")
    add.add_argument("username", help="the Web Connector user name (the .qwc's UserName)")
    add.add_argument("--company", required=True, help="the company this login syncs")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_settings_options(add, _NO_STORE_PLUGINS)
    add.set_defaults(func=command_user_add)


def _add_plugins(subparsers: argparse._SubParsersAction) -> None:
    plugins = subparsers.add_parser("plugins", help="list the plugins and their object types")
    plugins.add_argument("--json", action="store_true", help="print JSON")
    add_settings_options(plugins)
    plugins.set_defaults(func=command_plugins)


def _add_status(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser("status", help="what synced, what failed and why, per object type")
    status.add_argument("--company", help="the company (default: the only one)")
    status.add_argument("--json", action="store_true", help="print JSON")
    add_settings_options(status)
    status.set_defaults(func=command_status)


def _add_submit(subparsers: argparse._SubParsersAction) -> None:
    submit = subparsers.add_parser(
        "submit", help="store records to send to QuickBooks",
        description='Each record needs an "id"; its other fields are the payload. JSON lines keep their '
                    "types; CSV values are text (the plugin converts them) and an empty cell is no value.")
    submit.add_argument("object_type", metavar="OBJECT_TYPE", help="e.g. timesheets, invoices")
    submit.add_argument("file", metavar="FILE", help='a .jsonl or .csv file; "-" reads standard input')
    submit.add_argument("--company", help="the company (default: the only one)")
    submit.add_argument("--format", choices=records_io.FORMATS,
                        help="the file's format (default: from its extension; JSON lines for stdin)")
    submit.add_argument("--finalize", action="store_true",
                        help="for a type with drafts (e.g. invoices): store them finalized, to be sent, "
                             "not as drafts")
    add_settings_options(submit)
    submit.set_defaults(func=command_submit)


def _add_resolve(subparsers: argparse._SubParsersAction) -> None:
    resolve = subparsers.add_parser(
        "resolve", help="settle an uncertain record by hand, after checking QuickBooks",
        description="Only for a record whose answer was lost and that no natural-key lookup can find "
                    "(`qbbridge status` lists it as uncertain). Check QuickBooks first.")
    resolve.add_argument("object_type", metavar="OBJECT_TYPE")
    resolve.add_argument("record_id", metavar="ID", help="the record's id as submitted")
    found = resolve.add_mutually_exclusive_group(required=True)
    found.add_argument("--qb-id", metavar="TXN_OR_LIST_ID", help="it IS in QuickBooks with this id: link it")
    found.add_argument("--not-in-quickbooks", action="store_true",
                       help="it is NOT in QuickBooks: send it with the next update")
    resolve.add_argument("--company", help="the company (default: the only one)")
    add_settings_options(resolve)
    resolve.set_defaults(func=command_resolve)


def command_resolve(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        state = app.host.resolve(company, args.object_type, args.record_id, qb_id=args.qb_id)
    print(f"{args.object_type} {args.record_id!r} is now {state}.")
    return 0


# --- companies and users -------------------------------------------------------------------------


def resolve_company(app: App, given: str | None) -> str:
    """``given`` if it exists, else the only company; ``HandledError`` saying what to do otherwise."""
    names = app.host.companies()
    if given is not None:
        if given not in names:
            raise HandledError(f"no company named {given!r} (known: {', '.join(names) or 'none yet'})")
        return given
    if len(names) == 1:
        return names[0]
    if not names:
        raise HandledError("there is no company yet; add one with `qbbridge company add NAME`")
    raise HandledError(f"there are {len(names)} companies ({', '.join(names)}); choose one with --company")


def command_company_add(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        app.host.add_company(args.name, qb_file=args.qb_file)
    print(f"Added company {args.name!r}. Next: qbbridge user add USERNAME --company {args.name!r}")
    return 0


def command_user_add(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        app.host.add_user(args.username, read_password(args.password_stdin), company)
    print(f"Added Web Connector user {args.username!r} for company {company!r}")
    return 0


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a prompt (which must match)."""
    if from_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    elif not sys.stdin.isatty():
        raise HandledError("standard input is not a terminal, so the password cannot be asked for; "
                           "pipe it in with --password-stdin")
    else:
        try:
            password = getpass.getpass("Password for the Web Connector user: ")
            again = getpass.getpass("The same password again: ")
        except EOFError:
            raise HandledError("no password was typed; nothing was changed") from None
        if password != again:
            raise HandledError("the two passwords differ; nothing was changed")
    if not password:
        raise HandledError("the password is empty; a Web Connector user needs one")
    return password


# --- plugins and status --------------------------------------------------------------------------


def command_plugins(args: argparse.Namespace) -> int:
    with open_app(load_settings(args), migrate=False) as app:  # the database is not needed
        rows = plugin_summary(app.plugin_manager, app.registry)
        for row in rows:
            row["object_types"] = [_type_row(app, name) for name in row.get("object_types", [])]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        print(_plugin_line(row))
        for item in row["object_types"]:
            after = f"  after {', '.join(item['depends_on'])}" if item["depends_on"] else ""
            print(f"    {item['name']}: QuickBooks {item['qb_entity']} ({item['kind']}){after}")
    return 0


def _type_row(app: App, name: str) -> dict[str, Any]:
    kind = app.registry.object_type(name)
    return {"name": name, "qb_entity": kind.qb_entity, "kind": str(getattr(kind.kind, "value", kind.kind)),
            "depends_on": list(kind.depends_on)}


def _plugin_line(row: dict[str, Any]) -> str:
    if row["disabled"]:
        return f"{row['name']}: disabled"
    source = row["dist"] or "not packaged"
    types = "" if row["object_types"] else ", no object types"
    return f"{row['name']}: module {row['module']} ({source}){types}"


STATUS_COLUMNS = (("object type", "type"), ("last sync", "last_sync"), ("draft", "draft"),
                  ("pending", "pending"), ("in flight", "in_flight"), ("synced", "synced"),
                  ("failed", "failed"), ("rejected", "rejected"), ("held", "held"),
                  ("uncertain", "uncertain"), ("changed after sync", "changed_after_sync"))


def command_status(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        status = app.host.status(company)
    if args.json:
        print(json.dumps({"company": company, "object_types": status}, indent=2))
        return 0
    print(f"Company {company!r}")
    print(format_table([{"type": name, **values} for name, values in status.items()]))
    errors = [(name, error) for name, values in status.items() for error in values["errors"]]
    if errors:
        print("\nRecords with an error:")
        for name, error in errors:
            print(f"  {name} {error['id']!r}: {error['message']}")
    return 0


def format_table(rows: list[dict[str, Any]]) -> str:
    """The status rows as an aligned text table (``never`` for a type that has not synced yet)."""
    return text_table([title for title, _ in STATUS_COLUMNS],
                      [[str("never" if row[key] is None else row[key]) for _, key in STATUS_COLUMNS]
                       for row in rows])


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned with two spaces between them, the header first; no trailing spaces."""
    cells = [header, *rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in cells)


# --- submit --------------------------------------------------------------------------------------


def command_submit(args: argparse.Namespace) -> int:
    fmt = records_io.format_for(args.file, args.format)  # a bad extension fails before the database opens
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        if args.object_type not in app.registry.names():
            known = ", ".join(app.registry.names()) or "none (no plugin registered one)"
            raise HandledError(f"unknown object type {args.object_type!r}; known: {known}")
        source = records_io.read_records(args.file, fmt)
        records = [(record.local_key, record.payload) for record in source.records]
        report = app.host.submit(company, args.object_type, records, finalized=args.finalize)
    refused = [(bad.line, bad.reason) for bad in source.bad]
    refused += locate_refusals(args.object_type, source.records, report.invalid)
    print(f"{args.object_type} for company {company!r}: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {report.changed_after_sync} changed after sync, "
          f"{len(refused)} refused")
    for line, reason in sorted(refused, key=lambda item: item[0] or 0):
        print(f"{source.name}:{line if line is not None else '?'}: {reason}", file=sys.stderr)
    return 1 if refused else 0


def locate_refusals(object_type: str, records: tuple[records_io.SourceRecord, ...],
                    invalid: list[str]) -> list[tuple[int | None, str]]:
    """Pair the host's refusal messages with the line of the record each names.

    ``HostApi.submit`` reports refusals in record order as ``"<type> '<id>': field: problem"``, so one
    forward walk finds each record (None when a message names no record of the file).
    """
    located: list[tuple[int | None, str]] = []
    position = 0
    for message in invalid:
        for index in range(position, len(records)):
            key = records[index].local_key
            if message.startswith((f"{object_type} {key!r}:", f"{object_type} {key[:40] + '…'!r}:")):
                located.append((records[index].line, message))
                position = index + 1
                break
        else:
            located.append((None, message))
    return located
