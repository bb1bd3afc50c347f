"""Record files for ``qbbridge submit``: JSON lines or CSV in, ``(line, id, payload)`` records out.

Rule: a problem with one record (a line that is not JSON, a row without an id) is that record's problem,
reported with its line number while the other records go on; a problem with the whole file (unreadable,
not UTF-8 text, a CSV header without an ``id`` column) is a ``HandledError`` naming the file. Values keep
their JSON types; CSV values stay strings (the plugin's ``validate`` converts them) and an empty CSV
cell means the field is absent. Nothing here knows object types or the store.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import HandledError

FORMATS = ("jsonl", "csv")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
STDIN = "-"
ID_FIELD = "id"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record of a file: where it starts, its id and the rest of its fields."""

    line: int
    local_key: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read; ``reason`` says why."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class RecordFile:
    """What one file held: readable records and unreadable ones, each in file order."""

    name: str
    records: tuple[SourceRecord, ...]
    bad: tuple[BadRecord, ...]


def format_for(path: str, given: str | None = None) -> str:
    """The format to read ``path`` with: ``given`` if any, else from the extension (stdin: JSON lines).

    Raises ``HandledError`` for an unknown format or an extension that does not say.
    """
    if given is not None:
        if given not in FORMATS:
            raise HandledError(f"unknown record format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    if path == STDIN:
        return "jsonl"
    found = EXTENSIONS.get(Path(path).suffix.lower())
    if found is None:
        known = ", ".join(EXTENSIONS)
        raise HandledError(f"cannot tell the format of {path!r} from its extension (known: {known}); "
                           f"give --format {' or --format '.join(FORMATS)}")
    return found


def read_records(path: str, fmt: str | None = None, *, stdin: BinaryIO | None = None) -> RecordFile:
    """Read the records of ``path`` (``"-"``: ``stdin``, by default the process's standard input)."""
    fmt = format_for(path, fmt)
    name = "<stdin>" if path == STDIN else path
    text = _decode(name, _read_bytes(path, stdin))
    records, bad = [], []
    for item in (_jsonl(text) if fmt == "jsonl" else _csv(name, text)):
        (records if isinstance(item, SourceRecord) else bad).append(item)
    return RecordFile(name, tuple(records), tuple(bad))


def _read_bytes(path: str, stdin: BinaryIO | None) -> bytes:
    if path == STDIN:
        return (stdin or sys.stdin.buffer).read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise HandledError(f"record file {path!r} does not exist") from None
    except OSError as exc:
        raise HandledError(f"record file {path!r} cannot be read: {exc.strerror or exc}") from None


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # -sig: spreadsheet programs often start CSV files with a BOM
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise HandledError(f"record file {name!r} is not UTF-8 text (line {line}); "
                           "save it as UTF-8") from None


def _key(raw: object) -> str | None:
    """The record id as text: a non-empty string, or a whole number (JSON ids like 17 are common)."""
    if isinstance(raw, str) and raw.strip():
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return None


# --- JSON lines ----------------------------------------------------------------------------------


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _jsonl(text: str) -> Iterator[SourceRecord | BadRecord]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield _json_record(number, line)


def _json_record(number: int, line: str) -> SourceRecord | BadRecord:
    try:
        value = json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return BadRecord(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
    except ValueError as exc:  # NaN or Infinity, which JSON does not have
        return BadRecord(number, f"not valid JSON: {exc}")
    if not isinstance(value, dict):
        return BadRecord(number, f"a record must be a JSON object {{\"id\": …}}, not {type(value).__name__}")
    key = _key(value.pop(ID_FIELD, None))
    if key is None:
        return BadRecord(number, f"the record has no {ID_FIELD!r} (a non-empty string or a whole number)")
    return SourceRecord(number, key, value)


# --- CSV -----------------------------------------------------------------------------------------


def _csv(name: str, text: str) -> Iterator[SourceRecord | BadRecord]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if header is None:
                    header = _header(name, row, start)
                else:
                    yield _csv_record(header, row, start)
            start = reader.line_num + 1  # a quoted value may span lines; the next row starts here
    except csv.Error as exc:
        raise HandledError(f"record file {name!r} is not valid CSV at line {reader.line_num}: "
                           f"{exc}") from None
    if header is None:
        raise HandledError(f"record file {name!r} has no header row; the first row names the columns, "
                           f"one of them {ID_FIELD!r}")


def _header(name: str, row: list[str], line: int) -> list[str]:
    header = [cell.strip() for cell in row]
    where = f"record file {name!r}, header row (line {line})"
    if ID_FIELD not in header:
        raise HandledError(f"{where} has no {ID_FIELD!r} column (columns: {', '.join(header)})")
    if "" in header:
        raise HandledError(f"{where}: column {header.index('') + 1} has no name")
    duplicates = sorted({column for column in header if header.count(column) > 1})
    if duplicates:
        raise HandledError(f"{where} names a column twice: {', '.join(duplicates)}")
    return header


def _csv_record(header: list[str], row: list[str], line: int) -> SourceRecord | BadRecord:
    if len(row) != len(header):
        return BadRecord(line, f"the row has {len(row)} values but the header has {len(header)} columns")
    values = {column: cell for column, cell in zip(header, row, strict=True) if cell != ""}
    key = _key(values.pop(ID_FIELD, None))
    if key is None:
        return BadRecord(line, f"the row has no {ID_FIELD!r}")
    return SourceRecord(line, key, values)
