"""Commands that act on several records or importables by key, or on all of them: ``finalize``,
``importables``, ``import`` and ``ignore``.

Rule: each takes the keys (record ids; QuickBooks ids or names of importables) or ``--all``, never both
and never neither. It prints one summary line; every key refused is printed on stderr with its reason,
and then the exit status is 1 (the others were done all the same). ``--all`` with nothing to do says so
and succeeds: running it on a schedule is not an error. Mistakes of the command itself (unknown company
or object type) are ``HandledError``s from the host: exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .cli_admin import resolve_company, text_table
from .cli_server import add_settings_options, load_settings, open_app
from .errors import HandledError
from .store.models import ImportStatus

IMPORTABLE_COLUMNS = (("object type", "object_type"), ("QuickBooks id", "qb_id"), ("name", "name"),
                      ("active", "is_active"), ("status", "status"), ("last seen", "last_seen_at"))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``finalize``, ``importables``, ``import`` and ``ignore``."""
    finalize = _keyed(subparsers, "finalize", "make drafts due: the next update sends them",
                      "ID", "the ids of the drafts, as submitted")
    finalize.set_defaults(func=command_finalize)
    listing = subparsers.add_parser("importables", help="objects read from QuickBooks, to import or ignore")
    listing.add_argument("object_type", metavar="OBJECT_TYPE", nargs="?", help="only this type")
    listing.add_argument("--status", choices=[status.value for status in ImportStatus], help="only these")
    listing.add_argument("--company", help="the company (default: the only one)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_settings_options(listing)
    listing.set_defaults(func=command_importables)
    imports = _keyed(subparsers, "import", "make importables host records, synced and linked",
                     "ID_OR_NAME", "QuickBooks ids or names (see `qbbridge importables`)")
    imports.set_defaults(func=command_import)
    ignore = _keyed(subparsers, "ignore", "mark importables ignored (they stay ignored when read again)",
                    "ID_OR_NAME", "QuickBooks ids or names (see `qbbridge importables`)")
    ignore.set_defaults(func=command_ignore)


def _keyed(subparsers: argparse._SubParsersAction, name: str, help_text: str, metavar: str,
           keys_help: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text)
    parser.add_argument("object_type", metavar="OBJECT_TYPE")
    parser.add_argument("keys", nargs="*", metavar=metavar, help=keys_help)
    parser.add_argument("--all", action="store_true", help="every one there is to do")
    parser.add_argument("--company", help="the company (default: the only one)")
    add_settings_options(parser)
    return parser


def chosen_keys(args: argparse.Namespace, what: str) -> list[str] | None:
    """The keys given, or None for ``--all``; ``HandledError`` for both or neither."""
    if args.all and args.keys:
        raise HandledError(f"give {what} or --all, not both")
    if not args.all and not args.keys:
        raise HandledError(f"give {what}, or --all for every one")
    return None if args.all else list(args.keys)


def command_finalize(args: argparse.Namespace) -> int:
    keys = chosen_keys(args, "the ids of the drafts to finalize")
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        report = app.host.finalize(company, args.object_type, keys)
    if keys is None and not report.finalized:
        print(f"{args.object_type} for company {company!r}: no drafts to finalize")
        return 0
    return _outcome(f"{args.object_type} for company {company!r}: {len(report.finalized)} finalized",
                    report.refused)


def command_import(args: argparse.Namespace) -> int:
    selectors = chosen_keys(args, "the QuickBooks ids or names to import")
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        report = app.host.import_objects(company, args.object_type, selectors)
    head = f"{args.object_type} for company {company!r}"
    if selectors is None and not (report.imported or report.linked or report.refused):
        print(f"{head}: no new importables to import (`qbbridge importables {args.object_type}` lists them)")
        return 0
    return _outcome(f"{head}: {len(report.imported)} imported, {len(report.linked)} linked, "
                    f"{len(report.unchanged)} unchanged", report.refused)


def command_ignore(args: argparse.Namespace) -> int:
    selectors = chosen_keys(args, "the QuickBooks ids or names to ignore")
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        report = app.host.ignore_objects(company, args.object_type, selectors)
    head = f"{args.object_type} for company {company!r}"
    if selectors is None and not (report.ignored or report.refused):
        print(f"{head}: no new importables to ignore")
        return 0
    return _outcome(f"{head}: {len(report.ignored)} ignored, {len(report.unchanged)} unchanged",
                    report.refused)


def _outcome(summary: str, refused: list[str]) -> int:
    print(f"{summary}, {len(refused)} refused")
    for message in refused:
        print(message, file=sys.stderr)
    return 1 if refused else 0


def command_importables(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        company = resolve_company(app, args.company)
        rows = app.host.importables(company, args.object_type, args.status)
    if args.json:
        print(json.dumps({"company": company, "importables": rows}, indent=2))
        return 0
    if not rows:
        what = " ".join(filter(None, [args.status, "importables"]))
        of_type = f" of {args.object_type}" if args.object_type else ""
        print(f"Company {company!r} has no {what}{of_type}; an update that reads QuickBooks brings them in.")
        return 0
    print(f"Company {company!r}")
    print(text_table([title for title, _ in IMPORTABLE_COLUMNS],
                     [[_cell(row[key]) for _, key in IMPORTABLE_COLUMNS] for row in rows]))
    return 0


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
