"""One pass over the bytes (fingerprint, quote parity); UTF-8 decided early and the reader's fallback."""

from __future__ import annotations

import codecs
import hashlib
import threading
from pathlib import Path

import pytest

from migration_assistant.core.encoding import Utf8Checker, detect_encoding
from migration_assistant.core.readers import byte_scan
from migration_assistant.core.readers.byte_scan import scan_file
from migration_assistant.core.readers.csv_reader import read_csv

MIB = 1 << 20


def _naive_parity(data: bytes, delimiter: bytes) -> bool:
    """The quote rule written out the slow, obvious way (whole file in memory)."""
    if data.count(b'"') % 2 == 0:
        return False
    i = data.rfind(b'"')
    before = data[i - 1 : i] if i else b""
    after = data[i + 1 : i + 2]
    return before in (b"", delimiter, b"\n", b"\r") and after not in (delimiter, b"\n", b"\r")


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n1,"x"\n',
        b'a,b\n1,"unterminated\nmore',
        b'a,b\n1,"',
        b'"',
        b'a,b\n1,2 "inch\n',
        b'a,b\n1,"x""y"\n2,"open',
        b"",
    ],
)
@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 20])
def test_scan_matches_the_obvious_reading_whatever_the_block_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, block: int
) -> None:
    monkeypatch.setattr(byte_scan, "_BLOCK", block)
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    scan = scan_file(path)
    assert scan.sha256 == hashlib.sha256(data).hexdigest()
    assert scan.ends_inside_quotes(b",") is _naive_parity(data, b",")


def test_utf8_checker_counts_per_thread() -> None:
    """Two files are read at once: each count must only see its own file's bad bytes."""
    results: dict[int, int] = {}
    start = threading.Barrier(2)

    def work(n_bad: int) -> None:
        checker = Utf8Checker()
        start.wait()
        for _ in range(200):
            checker.feed(b"ok " + b"\xff" * n_bad + b" fine\n")
        checker.feed(b"", final=True)
        results[n_bad] = checker.invalid

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {1: 200, 3: 600}


def _big_utf8(rows: int = 30_000) -> str:
    lines = ["ID,Name,Note"] + [f"{i},José Pérez {i},Ça va — row {i}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def test_first_megabyte_decides_only_provisionally(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    text = _big_utf8()
    assert len(text.encode()) > MIB
    path.write_bytes(text.encode())
    quick = detect_encoding(path, whole_file=False)
    assert (quick.name, quick.provisional) == ("utf-8", True)
    small = tmp_path / "small.csv"
    small.write_bytes("ID,Name\n1,José\n".encode())
    # A file shorter than the sample was checked whole: nothing provisional about it.
    assert detect_encoding(small, whole_file=False).provisional is False


def test_bad_byte_after_the_first_megabyte_is_reported_as_before(tmp_path: Path) -> None:
    text = _big_utf8()
    data = text.encode() + b"99999,Bad \xff byte,late\n"
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    table = read_csv(path, path.name)
    assert table.encoding == detect_encoding(path).label == "UTF-8"
    assert table.sha256 == hashlib.sha256(data).hexdigest()
    bad = [f for f in table.findings if f.rule == "undecodable-bytes"]
    assert [(f.row, f.column) for f in bad] == [(table.rows + 1, "Name")]
    assert table.data["Name"].iloc[0] == "José Pérez 0"


def test_code_page_file_with_an_ascii_first_megabyte_is_read_in_its_code_page(tmp_path: Path) -> None:
    lines = ["ID,Name"] + [f"{i},Plain Name {i}" for i in range(60_000)] + ["60000,Café Müller"]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    assert data[:MIB].isascii()
    path = tmp_path / "legacy.csv"
    path.write_bytes(data)
    table = read_csv(path, path.name)
    assert table.encoding == detect_encoding(path).label
    assert table.data["Name"].iloc[-1] == "Café Müller"
    assert table.rows == 60_001


def test_bad_byte_in_a_ragged_row_after_the_first_megabyte(tmp_path: Path) -> None:
    """pyarrow hands a rejected row's text over as UTF-8: a bad byte there also means a fresh decision."""
    data = _big_utf8().encode() + b"99999,Bad \xff,extra,cell\n100000,Fine,row\n"
    path = tmp_path / "ragged.csv"
    path.write_bytes(data)
    table = read_csv(path, path.name)
    assert table.encoding == detect_encoding(path).label
    assert table.data["Name"].iloc[-1] == "Fine"
    assert any(f.rule == "undecodable-bytes" for f in table.findings)


CUT = 'Note ID,Subject,Body\r\nN1,Call,"a\r\nb"\r\nN2,Next,"this note\r\nwas cut, mid'
WHOLE = 'Note ID,Subject,Body\r\nN1,"He said ""no""",5\'2" tall\r\nN2,"a,b","c\r\nd"\r\n'
WIDE = [
    ("utf-16", b""),  # Python writes a BOM (little-endian here)
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),  # no BOM: detected from the NUL pattern
    ("utf-32", b""),
]


@pytest.mark.parametrize(("codec", "bom"), WIDE)
def test_wide_text_cut_inside_a_quote_is_a_truncated_record(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(bom + CUT.encode(codec))
    table = read_csv(path, path.name)
    assert [(f.rule, f.row) for f in table.findings if f.rule == "truncated-record"] == [
        ("truncated-record", 3)
    ]
    assert table.data["Body"].iloc[0] == "a\r\nb"


@pytest.mark.parametrize(("codec", "bom"), WIDE)
def test_wide_text_with_balanced_quotes_is_not_truncated(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "whole.csv"
    path.write_bytes(bom + WHOLE.encode(codec))
    table = read_csv(path, path.name)
    assert not [f for f in table.findings if f.rule in ("truncated-record", "missing-cells")]
    assert table.data["Subject"].tolist() == ['He said "no"', "a,b"]


def test_a_quote_byte_inside_another_utf16_character_does_not_count(tmp_path: Path) -> None:
    """U+2222 is 0x22 0x22 in UTF-16: two "quote" bytes that are no quote at all."""
    path = tmp_path / "math.csv"
    path.write_bytes(("ID,Note\r\n1,angle \u2222 sign\r\n2,plain\r\n").encode("utf-16"))
    scan = scan_file(path, unit=2, byteorder="little")
    assert scan.quotes == 0
    assert not [f for f in read_csv(path, path.name).findings if f.rule == "truncated-record"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_wide_text_short_last_record_is_cut_only_without_a_final_line_break(
    tmp_path: Path, codec: str
) -> None:
    path = tmp_path / "short.csv"
    path.write_bytes("Note ID,Subject,Body\r\nN1,Call,plain\r\nN2,Next".encode(codec))
    cut = read_csv(path, path.name)
    assert [(f.rule, f.row) for f in cut.findings if f.rule == "truncated-record"] == [
        ("truncated-record", 3)
    ]
    path.write_bytes("Note ID,Subject,Body\r\nN1,Call,plain\r\nN2,Next\r\n".encode(codec))
    ended = read_csv(path, path.name)
    assert not [f for f in ended.findings if f.rule == "truncated-record"]
    assert [f.row for f in ended.findings if f.rule == "missing-cell"] == [3]


def test_read_ahead_hands_its_result_to_the_reader_and_never_a_stale_one(tmp_path: Path) -> None:
    from migration_assistant.core.readers import csv_arrow

    folder = tmp_path / "export"
    folder.mkdir()
    big = folder / "time.csv"
    big.write_bytes(_big_utf8().encode())
    (folder / "staff.csv").write_bytes(b"ID,Name\n1,A\n")  # too small to be worth it
    (folder / "book.csv").write_bytes(b"PK\x03\x04" + b"\0" * (2 << 20))  # a workbook named .csv
    direct = read_csv(big, big.name)
    csv_arrow.read_ahead([folder])
    assert len(csv_arrow._ahead) == 1
    ahead = csv_arrow._ahead[next(iter(csv_arrow._ahead))]
    ahead.result(timeout=60)  # let it finish, so the reader takes it rather than reading itself
    taken = read_csv(big, big.name)
    assert csv_arrow._ahead == {}
    assert taken.data.equals(direct.data) and taken.sha256 == direct.sha256
    assert taken.findings == direct.findings and taken.encoding == direct.encoding

    csv_arrow.read_ahead([big])
    csv_arrow._ahead[next(iter(csv_arrow._ahead))].result(timeout=60)
    changed = _big_utf8(31_000).encode() + b'99999,"open'
    big.write_bytes(changed)  # edited after it was read ahead: size and time differ
    fresh = read_csv(big, big.name)
    assert fresh.sha256 == hashlib.sha256(changed).hexdigest()
    assert "truncated-record" in [f.rule for f in fresh.findings]
    csv_arrow._ahead.clear()


def test_reads_nobody_took_are_let_go(tmp_path: Path) -> None:
    from migration_assistant.core.readers import csv_arrow

    big = tmp_path / "time.csv"
    big.write_bytes(_big_utf8().encode())
    csv_arrow.read_ahead([big])
    assert csv_arrow._ahead
    csv_arrow.discard_read_ahead()
    assert csv_arrow._ahead == {} and csv_arrow.take_read_ahead(big) is None
