"""Record files for ``submit``: JSON lines keep types, CSV keeps text, each bad record keeps its line."""

from __future__ import annotations

import io

import pytest

from qbbridge.core.errors import HandledError
from qbbridge.core.records_io import BadRecord, SourceRecord, format_for, read_records


def write(tmp_path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def test_json_lines_keep_their_types_and_skip_blank_lines(tmp_path):
    path = write(tmp_path, "r.jsonl", '{"id": "a", "minutes": 60, "after": ["b"], "ok": true}\n\n'
                                      '  \n{"id": 17, "price": 1.5, "note": null}\n')
    source = read_records(path)
    assert source.records == (SourceRecord(1, "a", {"minutes": 60, "after": ["b"], "ok": True}),
                              SourceRecord(4, "17", {"price": 1.5, "note": None}))
    assert source.bad == ()


@pytest.mark.parametrize(("line", "reason"), [
    ("not json", "not valid JSON"),
    ('{"id": "a", "x": NaN}', "NaN is not a JSON number"),
    ('["id", "a"]', "must be a JSON object"),
    ('{"minutes": 3}', "has no 'id'"),
    ('{"id": ""}', "has no 'id'"),
    ('{"id": true}', "has no 'id'"),
    ('{"id": {"k": 1}}', "has no 'id'"),
])
def test_a_bad_json_line_is_refused_with_its_line_number_and_the_rest_are_read(tmp_path, line, reason):
    path = write(tmp_path, "r.jsonl", '{"id": "first"}\n' + line + '\n{"id": "last"}\n')
    source = read_records(path)
    assert [record.local_key for record in source.records] == ["first", "last"]
    assert len(source.bad) == 1 and source.bad[0].line == 2 and reason in source.bad[0].reason


def test_csv_values_are_text_empty_cells_are_absent_and_lines_follow_quoted_newlines(tmp_path):
    text = 'id,minutes,note\r\na,60,\r\n\r\nb,5,"two\nlines"\r\nc,7,x\r\n'
    source = read_records(write(tmp_path, "r.csv", text))
    assert source.records == (SourceRecord(2, "a", {"minutes": "60"}),
                              SourceRecord(4, "b", {"minutes": "5", "note": "two\nlines"}),
                              SourceRecord(6, "c", {"minutes": "7", "note": "x"}))


def test_a_csv_row_without_id_or_with_the_wrong_width_is_refused_alone(tmp_path):
    source = read_records(write(tmp_path, "r.csv", "id,minutes\n,60\nb,1,extra\nc,2\n"))
    assert [record.local_key for record in source.records] == ["c"]
    assert source.bad == (BadRecord(2, "the row has no 'id'"),
                          BadRecord(3, "the row has 3 values but the header has 2 columns"))


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    source = read_records(write(tmp_path, "r.csv", "\ufeffid,minutes\na,1\n".encode()))
    assert source.records == (SourceRecord(2, "a", {"minutes": "1"}),)


@pytest.mark.parametrize(("text", "problem"), [
    ("key,minutes\na,1\n", "has no 'id' column (columns: key, minutes)"),
    ("id,,minutes\na,1,2\n", "column 2 has no name"),
    ("id,x,x\na,1,2\n", "names a column twice: x"),
    ("\n\n", "has no header row"),
    ('id,x\na,"unterminated\n', "is not valid CSV"),
])
def test_a_csv_file_that_cannot_be_read_as_records_is_one_error_naming_it(tmp_path, text, problem):
    path = write(tmp_path, "r.csv", text)
    with pytest.raises(HandledError, match="r.csv") as raised:
        read_records(path)
    assert problem in str(raised.value)


def test_unreadable_files_name_the_problem(tmp_path):
    with pytest.raises(HandledError, match="does not exist"):
        read_records(str(tmp_path / "missing.jsonl"))
    with pytest.raises(HandledError, match="cannot be read"):
        read_records(str(tmp_path), "jsonl")  # a directory
    with pytest.raises(HandledError, match=r"not UTF-8 text \(line 2\)"):
        read_records(write(tmp_path, "r.jsonl", b'{"id": "a"}\n{"id": "\xff"}\n'))


def test_stdin_is_json_lines_unless_told_otherwise():
    source = read_records("-", stdin=io.BytesIO(b'{"id": "a"}\n'))
    assert source.name == "<stdin>" and source.records == (SourceRecord(1, "a", {}),)
    assert read_records("-", "csv", stdin=io.BytesIO(b"id\nb\n")).records == (SourceRecord(2, "b", {}),)


def test_the_format_comes_from_the_extension_or_must_be_given():
    assert format_for("x.JSONL") == "jsonl" and format_for("x.ndjson") == "jsonl"
    assert format_for("x.csv") == "csv" and format_for("x.txt", "csv") == "csv"
    with pytest.raises(HandledError, match="cannot tell the format of 'x.txt'"):
        format_for("x.txt")
    with pytest.raises(HandledError, match="unknown record format 'xml'"):
        format_for("x.csv", "xml")
