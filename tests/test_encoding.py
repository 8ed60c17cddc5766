"""Encoding detection: byte-order marks, UTF-16 without one, UTF-8 with stray bytes, 8-bit code pages."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from migration_assistant.core.encoding import detect_encoding, open_text
from migration_assistant.core.readers.csv_reader import read_csv
from tests.conftest import conformance_dir

ACCENTED = "Name,City,Note\nJosé Pérez,Montréal,Ça va\nZoë O'Brien,Köln,Grüße\nNuñez Peña,São Paulo,Año\n"
# Text with typography pasted from Word/Outlook: curly quotes, en dash, euro sign.
TYPOGRAPHY = "Name,Note\nSiobhán O’Brien,“Retainer” €500 – paid\nJosé,Ça va\n"


def write(tmp_path: Path, data: bytes, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "name", "label", "bom", "certain"),
    [
        (ACCENTED.encode("utf-8"), "utf-8", "UTF-8", False, True),
        (b"Name\nplain ascii\n", "utf-8", "UTF-8", False, True),
        (codecs.BOM_UTF8 + ACCENTED.encode("utf-8"), "utf-8-sig", "UTF-8 with BOM", True, True),
        (codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"), "utf-16", "UTF-16", True, True),
        (codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"), "utf-16", "UTF-16", True, True),
        (ACCENTED.encode("utf-16-le"), "utf-16-le", "UTF-16 LE", False, False),
        (ACCENTED.encode("utf-16-be"), "utf-16-be", "UTF-16 BE", False, False),
    ],
    ids=["utf8", "ascii", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom"],
)
def test_unicode_encodings(
    tmp_path: Path, data: bytes, name: str, label: str, bom: bool, certain: bool
) -> None:
    guess = detect_encoding(write(tmp_path, data))
    assert (guess.name, guess.label, guess.bom, guess.certain, guess.invalid_bytes) == (
        name,
        label,
        bom,
        certain,
        0,
    )


@pytest.mark.parametrize("text", [ACCENTED, TYPOGRAPHY], ids=["accents", "typography"])
@pytest.mark.parametrize(
    ("codec", "label"), [("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman")], ids=["cp1252", "mac-roman"]
)
def test_eight_bit_code_pages(tmp_path: Path, text: str, codec: str, label: str) -> None:
    path = write(tmp_path, text.encode(codec))
    guess = detect_encoding(path)
    assert guess.label == label
    assert not guess.certain  # an 8-bit code page is always a guess, and reported as one
    assert open_text(path, guess) == text
    table = read_csv(path, "x.csv")
    assert table.data["Name"].tolist()[0] == text.splitlines()[1].split(",")[0]
    assert [f.rule for f in table.findings] == ["encoding-guessed"]


def test_mostly_utf8_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    data = ACCENTED.encode("utf-8").replace("Grüße".encode(), b"Gr\xfc\xdfe")
    guess = detect_encoding(write(tmp_path, data))
    assert guess.name == "utf-8+replace" and guess.label == "UTF-8" and guess.invalid_bytes == 2


def test_stray_byte_after_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + ACCENTED.encode("utf-8").replace("Año".encode(), b"A\xf1o")
    path = write(tmp_path, data)
    guess = detect_encoding(path)
    assert guess.bom and guess.invalid_bytes == 1
    table = read_csv(path, "x.csv")
    assert [(f.rule, f.row, f.column) for f in table.findings] == [("undecodable-bytes", 4, "Note")]
    assert table.labels[0] == "Name"


def test_windows_1252_with_utf8_looking_pairs_is_not_utf8(tmp_path: Path) -> None:
    # Plenty of 8-bit accents: not "UTF-8 with a few bad bytes".
    text = "Name\n" + "".join(f"Élodie Lefèvre {i}\n" for i in range(50))
    guess = detect_encoding(write(tmp_path, text.encode("cp1252")))
    assert guess.label == "Windows-1252"


def test_conformance_windows_1252_iif_is_read_as_windows_1252() -> None:
    path = conformance_dir("formats", "iif") / "windows-1252.iif"
    guess = detect_encoding(path)
    assert guess.label == "Windows-1252"
    assert "\u201c" in open_text(path, guess)  # its curly quotes (0x93) come out as curly quotes
