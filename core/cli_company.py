"""``qbbridge company set`` and ``qbbridge company show``: a company's settings, checked by the plugins.

Rule: values are typed as text; a setting a plugin declares converts it with its own parse (``KEY=``
unsets it, back to the default), a free core-level key (no dot) takes the value as JSON when it is JSON
(``true``, ``10``) and as text otherwise. Every refused key is a ``HandledError`` from the host naming
the key, the value and the fix; nothing is changed then. Values are shown as JSON.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from .cli_server import add_settings_options, load_settings, open_app
from .errors import HandledError


def register(company: argparse._SubParsersAction) -> None:
    """Add ``set`` and ``show`` to the ``company`` subcommands."""
    change = company.add_parser(
        "set", help="change a company's settings",
        description="Settings the plugins declare are named <object type>.<setting>, e.g. "
                    "parts.import_filter=Labor (see `qbbridge company show NAME`). KEY= unsets a setting.")
    change.add_argument("name", help="the company's name in qbbridge")
    change.add_argument("assignments", nargs="+", metavar="KEY=VALUE", help="one or more settings")
    add_settings_options(change)
    change.set_defaults(func=command_company_set)
    show = company.add_parser("show", help="a company's settings, with their defaults and meaning")
    show.add_argument("name", help="the company's name in qbbridge")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_settings_options(show)
    show.set_defaults(func=command_company_show)


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as host values: None for ``KEY=``, JSON for a free key when it is JSON."""
    values: dict[str, Any] = {}
    for text in assignments:
        key, equals, value = text.partition("=")
        if not equals or not key.strip():
            raise HandledError(f"{text!r} is not KEY=VALUE; for example parts.import_filter=Labor "
                               "(KEY= unsets a setting)")
        values[key.strip()] = None if value == "" else _free_value(value) if "." not in key else value
    return values


def _free_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def command_company_set(args: argparse.Namespace) -> int:
    values = parse_assignments(args.assignments)
    with open_app(load_settings(args)) as app:
        app.host.update_settings(args.name, **values)
        view = {row.key: row for row in app.host.company_settings(args.name)}
    print(f"Company {args.name!r}:")
    for key in values:
        row = view.get(key)
        if row is not None and row.is_set:
            print(f"  {key} = {_shown(row.value)}")
        else:
            print(f"  {key} unset" + (f" (default {_shown(row.default)})" if row is not None else ""))
    return 0


def command_company_show(args: argparse.Namespace) -> int:
    with open_app(load_settings(args)) as app:
        rows = app.host.company_settings(args.name)
    if args.json:
        print(json.dumps({"company": args.name, "settings": [asdict(row) for row in rows]}, indent=2,
                         default=str))
        return 0
    print(f"Company {args.name!r} settings:" if rows else f"Company {args.name!r} has no settings.")
    for row in rows:
        where = "" if row.is_set else "  (default)"
        default = f"  (default {_shown(row.default)})" if row.is_set and row.default is not None else ""
        print(f"  {row.key} = {_shown(row.value)}{where}{default}")
        print(f"      {row.help}")
    return 0


def _shown(value: Any) -> str:
    return json.dumps(value, default=str)
