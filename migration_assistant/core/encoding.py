"""Which text encoding a file uses, decided without loading the whole file.

Law-firm exports arrive as UTF-8 (with or without a byte-order mark), UTF-16 from
Windows tools, or an 8-bit code page (Windows-1252, Mac Roman) when Excel saved them.
8-bit code pages cannot be told apart with certainty, so the guess is reported.
"""

from __future__ import annotations

import codecs
import itertools
import re
import threading
from dataclasses import dataclass
from pathlib import Path

_SAMPLE = 1 << 20
_CHUNK = 16 << 20
REPLACING_SUFFIX = "+replace"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY_CANDIDATES = (
    "cp1252",
    "mac_roman",
    "latin_1",
    "cp850",
    "shift_jis",
    "cp1250",
    "cp1251",
    "iso8859_15",
)


@dataclass(frozen=True, slots=True)
class EncodingGuess:
    """The encoding to read a file with.

    Attributes:
        name: a Python codec name to decode with (may end in ``+replace``, see
            :func:`register_replacing_codecs`).
        label: what to tell the user ("UTF-8", "Windows-1252"...).
        bom: the file starts with a byte-order mark.
        certain: False when the encoding is a guess between 8-bit code pages.
        invalid_bytes: how many byte sequences were not valid in the chosen encoding.
        provisional: UTF-8 judged from the first megabyte only (see :func:`detect_encoding`).
    """

    name: str
    label: str
    bom: bool = False
    certain: bool = True
    invalid_bytes: int = 0
    provisional: bool = False


_LABELS = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "latin_1": "ISO-8859-1",
    "cp850": "DOS Latin (CP850)",
    "shift_jis": "Shift JIS",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "iso8859_15": "ISO-8859-15",
    "ascii": "ASCII",
}


def label_for(name: str) -> str:
    base = name.removesuffix(REPLACING_SUFFIX)
    return _LABELS.get(base, _LABELS.get(codecs.lookup(base).name, base.upper()))


_tally = threading.local()


def _count_error(err: UnicodeError) -> tuple[str, int]:
    _tally.count += 1
    assert isinstance(err, UnicodeDecodeError)
    return ("\ufffd", err.end)


# One handler for the whole process, counting per thread: files are read two at a time.
codecs.register_error("migration-assistant-count", _count_error)


class Utf8Checker:
    """Counts the invalid UTF-8 sequences of a byte stream fed in blocks."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="migration-assistant-count")
        self.invalid = 0

    def feed(self, block: bytes, final: bool = False) -> None:
        _tally.count = 0
        self._decoder.decode(block, final)
        self.invalid += _tally.count


def _count_invalid_utf8(path: Path, skip: int) -> int:
    """Invalid UTF-8 sequences in the file, decoded in chunks so memory stays flat."""
    checker = Utf8Checker()
    with path.open("rb") as fh:
        fh.seek(skip)
        while chunk := fh.read(_CHUNK):
            checker.feed(chunk)
            if checker.invalid > 1000:
                break
        checker.feed(b"", final=True)
    return checker.invalid


def _valid_utf8_head(head: bytes, whole: bool) -> bool:
    """The sample is UTF-8 (a character cut at the sample's end does not count against it)."""
    checker = Utf8Checker()
    checker.feed(head, final=whole)
    return checker.invalid == 0


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def detect_encoding(path: Path, *, whole_file: bool = True) -> EncodingGuess:
    """Decide how to decode *path*.

    Order: byte-order mark; UTF-16 without BOM (many NUL bytes in alternate positions);
    valid UTF-8; mostly-valid UTF-8 with a few bad bytes (read with replacement and
    reported); otherwise charset-normalizer's choice among 8-bit code pages.

    With *whole_file* False, a file whose first megabyte is valid UTF-8 is taken as UTF-8
    at once, marked ``provisional``: the caller proves the rest (the CSV reader reads it
    strictly with pyarrow, which checks every cell) and asks again with *whole_file* True
    when that fails.
    """
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    whole = len(head) < _SAMPLE
    for bom, name in _BOMS:
        if head.startswith(bom):
            if name == "utf-8-sig":
                if not whole_file and _valid_utf8_head(head[len(bom) :], whole):
                    return EncodingGuess(name, label_for(name), bom=True, provisional=not whole)
                bad = _count_invalid_utf8(path, len(bom))
                if bad:
                    return EncodingGuess("utf-8-sig" + REPLACING_SUFFIX, "UTF-8 with BOM", True, True, bad)
            return _whole_units(path, EncodingGuess(name, label_for(name), bom=True))
    utf16 = _utf16_without_bom(head)
    if utf16:
        return _whole_units(path, EncodingGuess(utf16, label_for(utf16), certain=False))
    if not whole_file and _valid_utf8_head(head, whole):
        return EncodingGuess("utf-8", "UTF-8", provisional=not whole)
    bad = _count_invalid_utf8(path, 0)
    if bad == 0:
        return EncodingGuess("utf-8", "UTF-8")
    decoded = head.decode("utf-8", errors="replace")
    valid_multibyte = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd") if bad < 50 else 0
    if valid_multibyte and bad <= max(3, valid_multibyte // 4):
        # Mostly UTF-8 with a handful of stray bytes: decoding as a code page would
        # garble every accented letter, so keep UTF-8 and report the bad bytes.
        return EncodingGuess("utf-8" + REPLACING_SUFFIX, "UTF-8", certain=True, invalid_bytes=bad)
    return _legacy(head)


def _whole_units(path: Path, guess: EncodingGuess) -> EncodingGuess:
    """*guess* as it is, or decoding with replacement when the file ends in part of a character.

    A UTF-16 or UTF-32 file whose size is not a whole number of code units was cut (or has a
    stray byte at the end); a strict decoder stops on that last byte, so the remainder
    becomes a replacement character, counted as one invalid sequence.
    """
    if not guess.name.startswith(("utf-16", "utf-32")):
        return guess
    unit = 4 if guess.name.startswith("utf-32") else 2
    if path.stat().st_size % unit == 0:
        return guess
    return EncodingGuess(
        guess.name + REPLACING_SUFFIX, guess.label, guess.bom, guess.certain, invalid_bytes=1
    )


_PRIOR = {"cp1252": 0.2, "mac_roman": 0.05}
_MULTIBYTE = {"shift_jis", "cp932", "euc_jp", "gb2312", "gbk", "big5", "euc_kr"}


_TYPOGRAPHY = frozenset("’‘“”„–—…€•«»°©®™·×§¶¢£¥¿¡\u00a0")
_HIGH = re.compile(r"[^\x00-\x7f]")
_PLAUSIBILITY_SAMPLE = 4000


def _plausibility(text: str, name: str) -> float:
    """How much the non-ASCII characters of *text* read like words, plus a prior for likely code pages.

    Decoding with the wrong 8-bit code page turns letters and typographic quotes into
    symbols, control codes, or capitals in the middle of a word (``JosŽ``, ``JŸrgen``,
    ``O’Brien`` read as DOS Latin gives ``OÆBrien`` and ``“`` gives ``ô``), so each
    non-ASCII character scores +1 when it is a letter in a natural place or common
    typography (curly quotes, dashes, €), and -1 (control codes -2) otherwise.
    """
    score = 0
    total = 0
    # A few thousand characters decide it as well as all of them (a code-page export can hold
    # tens of thousands, scored once per candidate code page).
    for match in itertools.islice(_HIGH.finditer(text), _PLAUSIBILITY_SAMPLE):
        ch = match.group()
        total += 1
        if ch in _TYPOGRAPHY:
            score += 1
        elif 0x80 <= ord(ch) <= 0x9F:
            score -= 2
        elif ch.isalpha():
            at = match.start()
            prev = text[at - 1] if at else " "
            nxt = text[at + 1] if at + 1 < len(text) else " "
            inside_word = ch.isupper() and prev.isalpha() and (prev.islower() or nxt.islower())
            score += -1 if inside_word else 1
        else:
            score -= 1
    if not total:
        return _PRIOR.get(name, 0.0)
    if name in _MULTIBYTE and total < 8:
        return -1.0
    return score / total + _PRIOR.get(name, 0.0)


def _legacy(head: bytes) -> EncodingGuess:
    candidates = list(_LEGACY_CANDIDATES)
    from charset_normalizer import from_bytes  # only code-page files get this far

    best = from_bytes(head[:65536]).best()
    if best is not None:
        suggested = codecs.lookup(best.encoding).name.replace("-", "_")
        if suggested not in ("utf_8", "ascii") and suggested not in candidates:
            candidates.append(suggested)
    scored: list[tuple[float, str]] = []
    for name in candidates:
        try:
            text = head.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_plausibility(text, codecs.lookup(name).name.replace("-", "_")), name))
    if not scored:
        return EncodingGuess("cp1252" + REPLACING_SUFFIX, label_for("cp1252"), certain=False, invalid_bytes=1)
    scored.sort(key=lambda pair: -pair[0])
    return EncodingGuess(scored[0][1], label_for(scored[0][1]), certain=False)


def _search(name: str) -> codecs.CodecInfo | None:
    if not name.endswith(REPLACING_SUFFIX.replace("+", "_")) and not name.endswith(REPLACING_SUFFIX):
        return None
    base = codecs.lookup(name.replace("_replace", "").replace(REPLACING_SUFFIX, ""))

    class Decoder(base.incrementaldecoder):  # type: ignore[misc, name-defined]
        def __init__(self, errors: str = "strict") -> None:
            super().__init__("replace")

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return base.decode(data, "replace")

    return codecs.CodecInfo(
        name=name,
        encode=base.encode,
        decode=decode,  # type: ignore[arg-type]
        incrementalencoder=base.incrementalencoder,
        incrementaldecoder=Decoder,
        streamreader=base.streamreader,
        streamwriter=base.streamwriter,
    )


_registered = False


def register_replacing_codecs() -> None:
    """Make ``<codec>+replace`` decode with replacement characters.

    pyarrow transcodes through Python codecs but always asks for strict errors; a
    codec that replaces lets a file with a few bad bytes still be read, and the
    replacement characters then mark exactly the cells to report.
    """
    global _registered
    if not _registered:
        codecs.register(_search)
        _registered = True


def open_text(path: Path, guess: EncodingGuess, limit: int = _SAMPLE) -> str:
    """Decode the first *limit* bytes of *path* (for sniffing), tolerating a cut character."""
    with path.open("rb") as fh:
        raw = fh.read(limit)
    base = guess.name.removesuffix(REPLACING_SUFFIX)
    text = raw.decode(base, errors="replace")
    return text.lstrip("\ufeff")
