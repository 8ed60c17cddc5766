"""The CSV reader: conformance corpora, dialects, spreadsheet row numbers and structural findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from migration_assistant.core.findings import Finding
from migration_assistant.core.readers.csv_reader import EXCEL_MAX_ROWS, read_csv
from migration_assistant.core.readers.table import ROW, SourceTable
from tests.conftest import CONFORMANCE, conformance_dir

SPECTRUM_CSVS = sorted((CONFORMANCE / "csv-spectrum" / "csvs").glob("*.csv"))


def read(tmp_path: Path, data: bytes | str, name: str = "x.csv") -> SourceTable:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_csv(path, name)


def records(table: SourceTable) -> list[dict[str, str]]:
    return table.data.drop(columns=[ROW]).to_dict("records")  # type: ignore[return-value]


def rows(table: SourceTable) -> list[int]:
    return [int(r) for r in table.data[ROW]]


def structural(table: SourceTable, rule: str) -> list[tuple[int | None, str | None]]:
    return [(f.row, f.column) for f in table.findings if f.rule == rule]


# ---------------------------------------------------------------- csv-spectrum


@pytest.mark.parametrize("name", [p.name for p in SPECTRUM_CSVS] or ["(corpus absent)"])
def test_csv_spectrum(name: str) -> None:
    base = conformance_dir("csv-spectrum")
    path = base / "csvs" / name
    table = read_csv(path, name)
    got = records(table)
    assert [f for f in table.findings if f.rule != "encoding-guessed"] == []
    if name == "location_coordinates.csv":
        # Upstream's expected JSON is known to be wrong (../shared/conformance/SOURCES.md): it is a
        # single object with phone 1234567890, while the CSV holds one record with 2095257564. The
        # correct parse keeps the bare " and ' and the U+FFFD characters of the unquoted cell as they are.
        assert got == [
            {
                "Contact Phone Number": "2095257564",
                "Location Coordinates": "37\ufffd36'37.8\"N 121\ufffd2'17.9\"W",
                "Cities": "Modesto",
                "Counties": "Stanislaus",
            }
        ]
        return
    expected = json.loads((base / "json" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert got == expected
    # Header keys in file order, and one spreadsheet row per record (multi-line cells included).
    assert table.labels == list(expected[0])
    assert rows(table) == list(range(2, 2 + len(expected)))


# ---------------------------------------------------------------- frictionless structural findings

_TYPE_MAP = {
    "blank-label": "blank-header",
    "duplicate-label": "duplicate-header",
    "missing-cell": "missing-cell",
    "extra-cell": "extra-cell",
    "blank-row": "blank-row",
}
_STRUCTURAL = set(_TYPE_MAP.values())


def _field_number(f: Finding, labels: list[str]) -> int | None:
    """The 1-based column a structural finding points at, in frictionless' terms."""
    if f.rule == "blank-row":
        return None
    if f.rule == "duplicate-header":
        # The finding names the label the user sees; its message says "columns 1 and 3": the repeat is the second.
        match = re.search(r"columns (\d+) and (\d+)", f.message)
        assert match, f.message
        return int(match.group(2))
    assert f.column is not None
    match = re.fullmatch(r"\((?:blank )?column (\d+)\)", f.column)
    return int(match.group(1)) if match else labels.index(f.column) + 1


def _ours(table: SourceTable) -> set[tuple[int | None, int | None, str]]:
    """Our structural findings as frictionless triples (rowNumber, fieldNumber, type).

    Header findings sit on the header row (row 1 here); frictionless gives header-level
    errors rowNumber null.
    """
    back = {v: k for k, v in _TYPE_MAP.items()}
    out = set()
    for f in table.findings:
        if f.rule in _STRUCTURAL:
            row = None if f.rule in ("blank-header", "duplicate-header") else f.row
            if f.rule in ("blank-header", "duplicate-header"):
                assert f.row == table.header_row == 1
            out.add((row, _field_number(f, table.labels), back[f.rule]))
    return out


FRICTIONLESS_FINDINGS = [
    "invalid.csv",
    "blank-rows.csv",
    "blank-rows-multiple.csv",
    "blank-headers.csv",
    "duplicate-headers.csv",
    "defective-rows.csv",
    "structure-errors.csv",
    "without-headers-extra.csv",
]


@pytest.mark.parametrize("name", FRICTIONLESS_FINDINGS)
def test_frictionless_structural_findings(name: str) -> None:
    base = conformance_dir("frictionless")
    spec = json.loads((base / "expected.json").read_text(encoding="utf-8"))["files"][name]
    listed = [e for e in spec if e.get("fields") == ["rowNumber", "fieldNumber", "type"]]
    assert len(listed) == 1
    expected = {tuple(x) for x in listed[0]["expected"]}
    table = read_csv(base / name, name)
    ours = _ours(table)
    if name == "structure-errors.csv":
        # frictionless ran with limit_errors=3 and stopped at three errors. We deliberately report
        # every problem (a specialist needs the whole list), so the row-5 extra cell in column 6 is
        # reported too; the three listed ones must be among ours, and nothing else.
        assert expected <= ours
        assert ours - expected == {(5, 6, "extra-cell")}
    elif name == "without-headers-extra.csv":
        # frictionless read this with header=False. We always take the first row as the header
        # (every export we accept has one), which happens to leave the physical row numbers the
        # same: the third line still has one cell too many, in column 3.
        assert ours == expected
        assert table.labels == ["1", "english"]
    else:
        assert ours == expected
    if name == "invalid.csv":
        # Values are not shifted: row 5's first two cells stay under their own headings.
        assert records(table)[-1]["id"] == "2" and records(table)[-1]["name"] == "german"
        assert rows(table) == [2, 3, 5]


FRICTIONLESS_OTHER = {
    "blank-rows-no-fields.csv", "bom.csv", "delimiter.csv", "latin1.csv", "empty.csv", "without-rows.csv",
    "issue-1009-semicolon.csv", "leading-zeros.csv", "duplicate-rows.csv", "ascii-notvalid.csv",
    "duplicate-column.csv", "without-headers.csv",
}  # fmt: skip


def test_every_frictionless_expectation_is_covered() -> None:
    """A file added to the corpus's expected.json must get a test here."""
    base = conformance_dir("frictionless")
    listed = set(json.loads((base / "expected.json").read_text(encoding="utf-8"))["files"])
    assert listed == set(FRICTIONLESS_FINDINGS) | FRICTIONLESS_OTHER


def test_frictionless_rows_and_deliberate_differences() -> None:
    base = conformance_dir("frictionless")

    def read_named(name: str) -> SourceTable:
        return read_csv(base / name, name)

    # Blank rows are dropped from the records (and reported): the rows that remain keep their numbers.
    for name in ("blank-rows.csv", "blank-rows-multiple.csv", "blank-rows-no-fields.csv"):
        table = read_named(name)
        # frictionless infers integers (1101, 30); we keep every cell as text so IDs keep their zeros.
        assert records(table) == [
            {"id": "1101", "name": "John", "age": "30"},
            {"id": "1102", "name": "Julie", "age": "26"},
        ]
    # A truly empty line between records: the tests state no findings; we report it as a blank row (row 3).
    assert structural(read_named("blank-rows-no-fields.csv"), "blank-row") == [(3, None)]

    bom = read_named("bom.csv")
    assert bom.labels == ["id", "name"] and records(bom)[1] == {"id": "2", "name": "中国人"}

    delim = read_named("delimiter.csv")
    assert delim.delimiter == ";" and records(delim) == [
        {"id": "1", "name": "english"},
        {"id": "2", "name": "中国人"},
    ]

    # frictionless (forced to utf-8) reports an encoding error; we detect the 8-bit code page
    # instead, read "©" correctly and only note that the encoding was a guess.
    latin = read_named("latin1.csv")
    assert records(latin)[1] == {"id": "2", "name": "©"}
    assert [f.rule for f in latin.findings] == ["encoding-guessed"]

    # frictionless' "source is empty" error is our blocker "empty-file".
    empty = read_named("empty.csv")
    assert [(f.rule, f.row, f.severity.label) for f in empty.findings] == [("empty-file", None, "blocker")]

    without_rows = read_named("without-rows.csv")
    assert without_rows.findings == [] and without_rows.labels == ["id", "name"] and without_rows.rows == 0

    # frictionless turns "0123" into 123 and "002" into 2 (integer inference); we keep them as written.
    assert records(read_named("issue-1009-semicolon.csv")) == [{"fieldNameA": "0123", "fieldNameB": "c"}]
    assert [r["value"] for r in records(read_named("leading-zeros.csv"))] == ["01", "002", "00003"]

    # Optional frictionless checks (duplicate_row, ascii_value) are not ours: whole-row repeats are
    # found by the duplicate-key rule on IDs, and non-ASCII text is normal in names.
    assert read_named("duplicate-rows.csv").findings == []
    assert read_named("ascii-notvalid.csv").findings == []

    # With a schema and schema_sync frictionless refuses duplicate labels; we read the file and
    # report the repeated heading on the header row, keeping both columns apart.
    dup = read_named("duplicate-column.csv")
    assert structural(dup, "duplicate-header") == [(1, "B")]
    assert records(dup) == [{"A": "a", "B": "b", "B (2)": "C", "C": "c"}]

    # Headerless files: frictionless needs Dialect(header=False); we always take row 1 as headings.
    assert read_named("without-headers.csv").labels == ["1", "english"]


# ---------------------------------------------------------------- encodings (see also test_encoding.py)

NAMES = (
    "Contact ID,First Name,Last Name,City\r\n"
    "C1,José,Pérez,Montréal\r\nC2,Zoë,O'Brien,Köln\r\nC3,François,Nuñez,São Paulo\r\n"
)
DECODED = [
    {"Contact ID": "C1", "First Name": "José", "Last Name": "Pérez", "City": "Montréal"},
    {"Contact ID": "C2", "First Name": "Zoë", "Last Name": "O'Brien", "City": "Köln"},
    {"Contact ID": "C3", "First Name": "François", "Last Name": "Nuñez", "City": "São Paulo"},
]


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (NAMES.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + NAMES.encode("utf-8"), "UTF-8 with BOM"),
        (b"\xff\xfe" + NAMES.encode("utf-16-le"), "UTF-16"),
        (b"\xfe\xff" + NAMES.encode("utf-16-be"), "UTF-16"),
        (NAMES.encode("cp1252"), "Windows-1252"),
        (NAMES.encode("mac_roman"), "Mac Roman"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252", "mac-roman"],
)
def test_encodings_decode_accented_names(tmp_path: Path, encoded: bytes, label: str) -> None:
    table = read(tmp_path, encoded)
    assert table.encoding == label
    assert table.labels == ["Contact ID", "First Name", "Last Name", "City"]  # no BOM left in the first label
    assert records(table) == DECODED
    assert rows(table) == [2, 3, 4]
    assert [f.rule for f in table.findings if f.rule != "encoding-guessed"] == []


# ---------------------------------------------------------------- dialects


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    lines = [["Entry ID", "Description", "Hours"], ["T1", "Call with client", "1.5"], ["T2", "Letter", "2"]]
    if delimiter != ",":
        lines[1][1] = "Call, then e-mail"  # a comma inside a cell of a non-comma file
    table = read(tmp_path, "".join(delimiter.join(line) + "\n" for line in lines))
    assert table.delimiter == delimiter
    assert table.labels == lines[0]
    assert [list(r.values()) for r in records(table)] == lines[1:]
    assert table.findings == []


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_multiline_cell_keeps_spreadsheet_rows(tmp_path: Path, newline: str) -> None:
    body = f'line one{newline}line two with ""quotes""{newline}line three'
    text = newline.join(
        [
            "Note ID,Subject,Body",
            f'N1,Call,"{body}"',
            "N2,Next,plain",
            f'N3,"Multi{newline}subject",x',
            "N4,Last,y",
        ]
    )
    table = read(tmp_path, text + newline)
    assert rows(table) == [2, 3, 4, 5]  # N2 is row 3 although N1's cell spans three lines
    assert records(table)[0]["Body"] == f'line one{newline}line two with "quotes"{newline}line three'
    assert records(table)[1] == {"Note ID": "N2", "Subject": "Next", "Body": "plain"}
    assert table.findings == []


def test_no_final_newline(tmp_path: Path) -> None:
    table = read(tmp_path, "Note ID,Subject\r\nN1,a\r\nN2,b")
    assert records(table)[-1] == {"Note ID": "N2", "Subject": "b"} and table.findings == []


@pytest.mark.parametrize(
    "above",
    ["Smith & Co LLP - Contacts export\r\nPrinted 2024-05-01\r\n\r\n", ",,\r\nContacts,,\r\n,,\r\n"],
    ids=["title-lines", "title-in-cells"],
)
def test_title_and_blank_rows_above_header(tmp_path: Path, above: str) -> None:
    table = read(tmp_path, above + "Contact ID,First Name,Last Name\r\nC1,Ann,Lee\r\nC2,Bo,Chen\r\n")
    assert table.header_row == 4
    assert table.labels == ["Contact ID", "First Name", "Last Name"]
    assert rows(table) == [5, 6]  # as a spreadsheet numbers them
    assert [(f.rule, f.row) for f in table.findings] == [("header-not-first", 4)]


def test_ragged_rows_are_reported_and_not_shifted(tmp_path: Path) -> None:
    text = (
        "Contact ID,First Name,Last Name,City\n"
        "C1,Ann,Lee,Toronto\n"
        "C2,Bo\n"
        "C3,Cy,Doe,Paris,extra1,extra2\n"
        'C4,"Di\nmulti",Eve,Rome\n'
        "C5,Fay\n"
        "C6,Gus,Hill,Oslo\n"
    )
    table = read(tmp_path, text)
    assert rows(table) == [2, 3, 4, 5, 6, 7]
    assert records(table)[1] == {"Contact ID": "C2", "First Name": "Bo", "Last Name": "", "City": ""}
    assert records(table)[2] == {"Contact ID": "C3", "First Name": "Cy", "Last Name": "Doe", "City": "Paris"}
    assert records(table)[5] == {"Contact ID": "C6", "First Name": "Gus", "Last Name": "Hill", "City": "Oslo"}
    assert structural(table, "missing-cell") == [(3, "Last Name"), (3, "City"), (6, "Last Name"), (6, "City")]
    extra = [(f.row, f.column, f.value) for f in table.findings if f.rule == "extra-cell"]
    assert extra == [(4, "(column 5)", "extra1"), (4, "(column 6)", "extra2")]
    # A short record in the middle of a file that ends without a line break is not "cut off".
    table = read(tmp_path, text.rstrip("\n"), "no-final-newline.csv")
    assert structural(table, "truncated-record") == []


def test_unterminated_quote_at_end_is_truncated_record(tmp_path: Path) -> None:
    table = read(tmp_path, 'Note ID,Subject,Body\nN1,Call,"a\nb"\nN2,Next,"this note\nwas cut, mid')
    hits = [f for f in table.findings if f.rule == "truncated-record"]
    assert [(f.row, f.severity.label) for f in hits] == [(3, "blocker")]
    # The same with the cut right after the opening quote's first words, on one line.
    table = read(tmp_path, 'Note ID,Subject,Body\r\nN1,Call,plain\r\nN2,Next,"this note was cu', "b.csv")
    assert [(f.rule, f.row) for f in table.findings] == [("truncated-record", 3)]


def test_last_record_short_without_newline_is_truncated(tmp_path: Path) -> None:
    table = read(tmp_path, "Note ID,Subject,Body\nN1,Call,plain\nN2,Next")
    assert structural(table, "truncated-record") == [(3, None)]


def test_balanced_quotes_and_bare_quotes_are_not_truncation(tmp_path: Path) -> None:
    text = 'Note ID,Subject,Body\nN1,"He said ""no""",5\'2" tall\nN2,"a,b","c\nd"'
    table = read(tmp_path, text)
    assert table.findings == []
    assert records(table)[0] == {"Note ID": "N1", "Subject": 'He said "no"', "Body": "5'2\" tall"}


def test_excel_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "time.csv"
    path.write_bytes(b"".join([b"Entry ID,Hours\n", b"T,1\n" * (EXCEL_MAX_ROWS - 1)]))
    table = read_csv(path, "time.csv")
    assert table.rows == EXCEL_MAX_ROWS - 1
    assert [(f.rule, f.row, f.severity.label) for f in table.findings] == [
        ("excel-row-limit", EXCEL_MAX_ROWS, "blocker")
    ]


@pytest.mark.parametrize("records", [EXCEL_MAX_ROWS - 2, EXCEL_MAX_ROWS], ids=["one-short", "one-more"])
def test_other_row_counts_near_the_limit_are_fine(tmp_path: Path, records: int) -> None:
    # One row short of the limit is an ordinary file; one row more than a sheet holds was never saved by Excel.
    path = tmp_path / "time.csv"
    path.write_bytes(b"".join([b"Entry ID,Hours\n", b"T,1\n" * records]))
    assert read_csv(path, "time.csv").findings == []


def test_excel_row_limit_with_a_title_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "time.csv"
    path.write_bytes(b"".join([b"Time export\n\nEntry ID,Hours\n", b"T,1\n" * (EXCEL_MAX_ROWS - 3)]))
    table = read_csv(path, "time.csv")
    assert [(f.rule, f.row) for f in table.findings if f.rule != "header-not-first"] == [
        ("excel-row-limit", EXCEL_MAX_ROWS)
    ]


def test_undecodable_bytes_at_their_row(tmp_path: Path) -> None:
    text = "Contact ID,First Name,Last Name\nC1,José,Pérez\nC2,Zoë,O'Brien\nC3,François,Nuñez\nC4,Ann,Lee\n"
    data = text.encode("utf-8").replace("ç".encode(), b"\xe7")  # one stray Latin-1 byte in a UTF-8 file
    table = read(tmp_path, data)
    assert table.encoding == "UTF-8"
    hits = [f for f in table.findings if f.rule == "undecodable-bytes"]
    assert [(f.row, f.column, f.value) for f in hits] == [(4, "First Name", "Fran\ufffdois")]
    assert records(table)[0]["First Name"] == "José"  # the rest of the file is still read as UTF-8


def test_blank_rows_between_records(tmp_path: Path) -> None:
    table = read(tmp_path, "Contact ID,First Name\nC1,Ann\n,\n  ,  \nC2,Bo\n")
    assert rows(table) == [2, 5]
    assert structural(table, "blank-row") == [(3, None), (4, None)]


def test_empty_file(tmp_path: Path) -> None:
    table = read(tmp_path, b"")
    assert [(f.rule, f.row) for f in table.findings] == [("empty-file", None)]


def test_values_are_text_and_only_empty_is_empty(tmp_path: Path) -> None:
    table = read(tmp_path, "ID,Date,Flag,Amount\n000123,N/A,NULL,1e5\n0042,NA,None,007\n")
    assert records(table) == [
        {"ID": "000123", "Date": "N/A", "Flag": "NULL", "Amount": "1e5"},
        {"ID": "0042", "Date": "NA", "Flag": "None", "Amount": "007"},
    ]


def test_values_under_a_missing_trailing_heading_are_reported(tmp_path: Path) -> None:
    # A header ending in a comma is common and harmless while the column is empty ...
    table = read(tmp_path, "Contact ID,First Name,\nC1,Ann,\nC2,Bo,\n")
    assert table.findings == []
    # ... but values under it would be lost without anyone being told.
    table = read(tmp_path, "Contact ID,First Name,\nC1,Ann,\nC2,Bo,VIP client\n", "y.csv")
    assert structural(table, "blank-header") == [(1, "(blank column 3)")]
