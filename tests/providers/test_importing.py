"""Reading spreadsheets: encodings, line endings, line numbers and XLSX."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from providers.importing import ImportFileError, neutralise, read_table


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_with_byte_order_mark_and_crlf_reads_the_same_as_plain():
    plain = read_table(b"code,name\nA1,One\nB2,Two\n", "x.csv")
    bom_crlf = read_table("\ufeffcode,name\r\nA1,One\r\nB2,Two\r\n".encode(), "x.csv")
    assert plain == bom_crlf
    assert plain == (["code", "name"], [(2, {"code": "A1", "name": "One"}), (3, {"code": "B2", "name": "Two"})])


def test_line_numbers_are_the_files_own_even_with_quoted_newlines_and_blank_lines():
    data = b'code,name\nA1,"Two\nline name"\n\nB2,Plain\n'
    _header, rows = read_table(data, "x.csv")
    assert [line for line, _row in rows] == [2, 5]


def test_header_is_case_and_space_insensitive_and_cells_are_stripped():
    header, rows = read_table(b" Code , NAME \n A1 , One \n", "x.csv")
    assert header == ["code", "name"]
    assert rows[0][1] == {"code": "A1", "name": "One"}


def test_short_rows_give_blank_cells():
    _header, rows = read_table(b"code,name,extra\nA1\n", "x.csv")
    assert rows[0][1] == {"code": "A1", "name": "", "extra": ""}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        ("code,name\nA1,Caf\xe9\n".encode("latin-1"), "x.csv", "not UTF-8"),
        (b"code,name\n", "x.pdf", "Upload a CSV"),
        (b"PK\x03\x04not really a workbook", "x.xlsx", "not a readable Excel"),
        (b",,\nA1,B,C\n", "x.csv", "header row"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data, name)


def test_header_only_file_has_no_rows():
    assert read_table(b"code,name\n", "x.csv") == (["code", "name"], [])


def test_xlsx_cells_become_the_text_a_csv_would_hold():
    data = xlsx_bytes(
        [
            ["code", "value", "start", "when", "flag"],
            ["A1", 1500000.0, date(2024, 4, 1), datetime(2024, 4, 1), True],
            [None, None, None, None, None],
            ["B2", 12.5, "2024-05-01", None, False],
        ]
    )
    header, rows = read_table(data, "register.xlsx")
    assert header == ["code", "value", "start", "when", "flag"]
    assert rows == [
        (2, {"code": "A1", "value": "1500000", "start": "2024-04-01", "when": "2024-04-01", "flag": "yes"}),
        (4, {"code": "B2", "value": "12.5", "start": "2024-05-01", "when": "", "flag": "no"}),
    ]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Cardiac", "Cardiac"),
        (42, 42),
        ("", ""),
    ],
)
def test_exported_text_cannot_run_as_a_formula(value, safe):
    assert neutralise(value) == safe
