"""The parts plugin's company settings (stored as ``parts.<name>``) and how they read back.

Rule: each ``parse`` accepts what an operator types (a string) or a JSON value, returns the value to
store, and gives the same value back when given its own result, so stored values parse again unchanged.

- ``import_filter`` — the "Items into Part Numbers Filter": which QuickBooks service items the
  importables read brings in, matched by QuickBooks on the item's full name, ignoring case.
  ``""`` every service item; ``TEXT`` (or ``startswith:TEXT``) names starting with TEXT;
  ``contains:TEXT``; ``endswith:TEXT``.
- ``income_account`` — the income account (FullName) of items qbbridge creates; a part's own
  ``income_account`` wins. ``""``: none, so a part that must be created waits for it.
- ``read_every_minutes`` — minutes between importables reads (``classes.reading``).
"""

from __future__ import annotations

import re
from typing import Any

from qbbridge.core import CompanySetting
from qbbridge.plugins.classes.reading import read_every_setting

FILTER_MAX = 159  # an item FullName holds at most 159 characters
ACCOUNT_MAX = 159
#: The filter forms, by the word an operator writes before the colon, and QuickBooks' MatchCriterion.
CRITERIA = {"startswith": "StartsWith", "contains": "Contains", "endswith": "EndsWith"}
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_FILTER_HELP = ("give a name prefix, or contains:TEXT, endswith:TEXT, startswith:TEXT, "
                "or nothing for every service item")
_TOO_LONG = "{} characters; QuickBooks item full names hold at most 159, so it could match nothing"


def parse_import_filter(value: Any) -> str:
    """``"Labor"``, ``"contains:bolt"`` …: the form word in lower case, the text trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str) or _CONTROL.search(value):
        raise ValueError(f"not a usable filter (plain text, no control characters); {_FILTER_HELP}")
    text = value.strip()
    word, colon, rest = text.partition(":")
    form = word.strip().lower() if colon else ""
    if form in CRITERIA:
        text = rest.strip()
        if not text:
            raise ValueError(f"no text after '{form}:'; {_FILTER_HELP}")
    if len(text) > FILTER_MAX:
        raise ValueError(_TOO_LONG.format(len(text)))
    return f"{form}:{text}" if form in CRITERIA else text


def name_filter(stored: str) -> tuple[str, str] | None:
    """QuickBooks' NameFilter for a parsed ``import_filter``: (MatchCriterion, Name), or None for all."""
    if not stored:
        return None
    form, colon, rest = stored.partition(":")
    if colon and form in CRITERIA:
        return CRITERIA[form], rest
    return "StartsWith", stored


def parse_income_account(value: Any) -> str:
    """An account FullName (``Income:Services`` for a sub-account), trimmed; ``""`` unsets it."""
    if value is None:
        return ""
    if not isinstance(value, str) or _CONTROL.search(value):
        raise ValueError("not an account name: give the income account's full name as QuickBooks shows "
                         "it, e.g. 'Services Income'")
    account = value.strip()
    if len(account) > ACCOUNT_MAX:
        raise ValueError(f"{len(account)} characters; QuickBooks account full names hold at most "
                         f"{ACCOUNT_MAX}")
    return account


IMPORT_FILTER = CompanySetting(
    "import_filter",
    "Items into Part Numbers Filter: which QuickBooks service items become importable parts. Empty: all; "
    "TEXT or startswith:TEXT: full names starting with TEXT; contains:TEXT; endswith:TEXT (any case).",
    "", parse_import_filter)
INCOME_ACCOUNT = CompanySetting(
    "income_account",
    "Income account (full name) of the QuickBooks items created for new parts; a part's own "
    "income_account wins.",
    "", parse_income_account)
READ_EVERY = read_every_setting("QuickBooks' service items")
SETTINGS = (IMPORT_FILTER, INCOME_ACCOUNT, READ_EVERY)
