"""qbXML simple types for the simulator's own checks, with the exact rules libxml2 applies to Intuit's XSD.

Each type is a frozen object whose ``problem(value)`` returns ``None`` for an acceptable value, else the
complaint to print after the quoted value (``'1:30' is not a qbXML duration like PT1H30M``). The rules
follow reference/xsd/qbxml160/qbxmltypes160.xsd (identical in 13.0):

- string types (STRTYPE, IDTYPE, ENUMTYPE, and the pattern types AMTTYPE, PRICETYPE, QUANTYPE, PERCENTTYPE,
  GUIDTYPE, DATETIMETYPE's pattern) keep whitespace, so ``' 1'`` is not an amount;
- xsd:boolean, xsd:date, xsd:duration, xsd:decimal, xsd:integer collapse whitespace first;
- BOOLTYPE, DATETYPE, DATETIMETYPE, TIMEINTERVALTYPE and FLOATTYPE are unions with the empty token, so an
  empty (or blank) value is accepted;
- lengths count characters, not bytes.

``TYPES`` names every type the notation in ``shapes_model`` may refer to (``Name:STR31`` etc.).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_XML_SPACE = re.compile(r"[ \t\n\r]+")
_LONG_MAX = 2**63 - 1


def collapse(value: str) -> str:
    """XSD whitespace collapsing (only the four XML space characters count)."""
    return _XML_SPACE.sub(" ", value).strip(" ")


@dataclass(frozen=True, slots=True)
class Str:
    """STRTYPE / IDTYPE: any text, at most ``max_len`` characters when given."""

    max_len: int | None = None

    def problem(self, value: str) -> str | None:
        if self.max_len is not None and len(value) > self.max_len:
            return f"is {len(value)} characters long; the maximum is {self.max_len}"
        return None


@dataclass(frozen=True, slots=True)
class Enum:
    """ENUMTYPE restricted to ``values`` (compared exactly). ``default`` is the schema's element default,
    which makes an element with no text at all acceptable; the checker handles that case."""

    values: tuple[str, ...]
    default: str | None = None

    def problem(self, value: str) -> str | None:
        if value in self.values:
            return None
        shown = ", ".join(self.values[:8]) + (", …" if len(self.values) > 8 else "")
        return f"is not one of {shown}"


@dataclass(frozen=True, slots=True)
class Pattern:
    """A type checked by an anchored regular expression (the XSD pattern, or the lexical form of an xsd:*
    built-in). ``collapse_first`` for built-ins whose whitespace facet is collapse; ``blank_ok`` for the
    unions with the empty token; ``in_range`` for value checks a pattern cannot express."""

    regex: re.Pattern[str]
    like: str
    collapse_first: bool = False
    blank_ok: bool = False
    in_range: Callable[[re.Match[str]], bool] | None = None

    def problem(self, value: str) -> str | None:
        if self.blank_ok and collapse(value) == "":
            return None
        match = self.regex.fullmatch(collapse(value) if self.collapse_first else value)
        if match and (self.in_range is None or self.in_range(match)):
            return None
        return f"is not {self.like}"


def _date_in_range(match: re.Match[str]) -> bool:
    """xsd:date: a real calendar day (year 0000 does not exist), time zone within ±14:00."""
    year, month, day, zone_h, zone_m = (int(g) if g else 0 for g in match.group(1, 2, 3, 5, 6))
    if year == 0 or not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days and zone_m <= 59 and (zone_h, zone_m) <= (14, 0)


def _duration_in_range(match: re.Match[str]) -> bool:
    """xsd:duration: at least one part, and libxml2 keeps each part in a signed 64-bit long."""
    parts = [int(part[:-1]) for part in match.groups() if part]
    return bool(parts) and max(parts) <= _LONG_MAX


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL_10_5 = re.compile(r"([+-]?[0-9]{1,10}(\.[0-9]{1,5})?)?")
_NUMBER_LIKE = "a number like 12.5 (at most 10 digits and 5 decimals)"

STR = Str()
ID = Str(36)
MACRO = STR
BOOL = Pattern(re.compile(r"true|false|1|0"), "a qbXML boolean (true or false)", True, True)
DATE = Pattern(re.compile(r"-?([1-9][0-9]{4,}|[0-9]{4})-([0-9]{2})-([0-9]{2})(Z|[+-]([0-9]{2}):([0-9]{2}))?"),
               "a date like 2026-01-31", True, True, _date_in_range)
DATETIME = Pattern(
    re.compile(r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(T[0-9]{1,2}(:[0-9]{1,2}(:[0-9]{1,2}"
               r"([+-][0-9]{1,2}:[0-9]{1,2})?)?)?)?)?"),
    "a date-time like 2026-01-31T13:45:00", blank_ok=True)
DURATION = Pattern(re.compile(r"-?PT([0-9]+H)?([0-9]+M)?([0-9]+S)?"), "a qbXML duration like PT1H30M",
                   True, True, _duration_in_range)
AMT = Pattern(re.compile(r"([+-]?[0-9]{1,13}(\.[0-9]{2})?)?"),
              "an amount like 1234.50 (at most 13 digits, then no or exactly 2 decimals)")
PRICE = Pattern(_DECIMAL_10_5, _NUMBER_LIKE)
QUAN = Pattern(_DECIMAL_10_5, _NUMBER_LIKE)
PERCENT = Pattern(_DECIMAL_10_5, _NUMBER_LIKE)
FLOAT = Pattern(re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"), "a decimal number", True, True)
INT = Pattern(_INTEGER, "an integer", True)
INT1 = Pattern(_INTEGER, "an integer of at least 1", True, in_range=lambda match: int(match[0]) >= 1)
GUID = Pattern(re.compile(r"0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}"),
               "a GUID like {6B29FC40-CA47-1067-B31D-00DD010662DA} (or 0)")

SimpleType = Str | Enum | Pattern

#: Types the content-model notation may name after a colon; ``STR<n>`` means "STRTYPE, at most n chars".
TYPES: dict[str, SimpleType] = {
    "STR": STR, "ID": ID, "MACRO": MACRO, "BOOL": BOOL, "DATE": DATE, "DATETIME": DATETIME,
    "DURATION": DURATION, "AMT": AMT, "PRICE": PRICE, "QUAN": QUAN, "PERCENT": PERCENT, "FLOAT": FLOAT,
    "INT": INT, "INT1": INT1, "GUID": GUID,
}


def named(key: str) -> SimpleType:
    """The simple type a notation key names (``STR``, ``STR31``, ``DATE`` …); KeyError if unknown."""
    if key.startswith("STR") and key[3:].isdigit():
        return Str(int(key[3:]))
    return TYPES[key]
