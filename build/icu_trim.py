"""Trim the ICU data library that PySide6's Qt ships on Linux (``libicudata.so.NN``).

Qt Core on Linux links ICU (``libicuuc``, ``libicui18n``, ``libicudata``). The data library
is about 31 MiB: one exported symbol, ``icudtNN_dat``, holding ICU's "common data" package
(about 3,900 items: every locale's display names, collations, spell-out rules, transliterators,
break dictionaries, some 200 character-set converters...). What Qt Core calls is small (see
``nm -D --undefined-only libQt6Core.so.6 | grep _NN``): case mapping (no data needed),
time zones (``ucal_*``), collation (``ucol_*``, for ``QCollator`` and locale-aware sorting)
and converters (``ucnv_*``, for ``QStringConverter`` by name). The wizard is in English and
shows no time-zone, collation or codec UI.

This module rebuilds the library with the same soname and symbol but only the items worth
keeping (:func:`keep_decision` is the policy):

kept
    the top-level data that is not per locale (likely subtags, plurals, supplemental data,
    units, ``cnvalias.icu``, normalization, ...), including the time-zone data
    (``zoneinfo64``, ``metaZones``, ``timezoneTypes``, ``windowsZones``, ``tzdbNames``);
    locale data of ``root`` and English (``en`` and every ``en_*``) in every tree, with each
    tree's ``pool.res`` and ``res_index.res``; the root collation (``ucadata.icu``); the
    break-iterator rules and their locale mappings; the converters of the encodings web
    browsers and office software still use (ISO 8859, Windows and DOS code pages, Mac, KOI8,
    Shift_JIS, EUC-JP, GBK, GB 18030, Big5, EUC-KR) and the base tables they extend.
dropped
    the locale data of every other language (other locales fall back to root: root
    collation order, GMT-style time-zone names), the collation tailorings of other
    languages (zh, ja, ko alone are 1.1 MiB), rule-based number formats (``rbnf/``),
    transliterators (``translit/``), the word-break dictionaries for Chinese/Japanese,
    Thai, Lao, Burmese and Khmer (ICU then breaks those scripts without a dictionary),
    ``unames.icu`` (Unicode character names: only ``u_charName`` reads it, Qt never calls
    it) and the EBCDIC, IBM host and rare CJK converters.

How: the package is read straight out of the ELF file (the symbol's bytes), filtered with
``icupkg -r`` (which also reports items that a kept item depends on: they are kept too),
turned into assembly with ``genccode`` and linked with ``gcc -shared -nostdlib``. The result
is checked: the symbol and soname are the original's, the package inside lists exactly the
kept items, and (when ``libicuuc``/``libicui18n`` sit beside the source, as in PySide6)
a separate Python loads the real ICU against the trimmed data and opens converters,
collators and time zones with it.

Tools: ``icupkg`` and ``genccode`` (Debian/Ubuntu: ``apt-get install icu-devtools``) and a C
compiler (``gcc``). Without them, or when any step fails, :func:`trim_icu_data` returns
the original library and a one-line notice: the build goes on with the untrimmed data.

Also a command line, to see what each group of items weighs::

    python build/icu_trim.py PATH/TO/libicudata.so.73            # report only
    python build/icu_trim.py PATH/TO/libicudata.so.73 --out DIR  # also build the trimmed copy
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = "apt-get install icu-devtools gcc"
LIBRARY_NAME = re.compile(r"libicudata\.so\.(\d+)")
_ENTRY_SYMBOL = re.compile(rb"icudt(\d+)_dat")
_COMMON_DATA_FORMAT = b"CmnD"

# --------------------------------------------------------------------------- policy

#: Locales whose data is kept in every tree: root (the fallback of all) and English.
KEPT_LANGUAGES = ("en",)

#: A per-locale resource bundle: ``root``, or a 2-3 letter language code, optionally followed
#: by ``_`` and script/region/variant subtags (``de__PHONEBOOK`` has an empty region).
_LOCALE_ITEM = re.compile(r"(root|[a-z]{2,3})(_[A-Za-z0-9_]*)?\.res")
#: Per-tree items that are not a locale: the shared key pool and the list of installed locales.
_TREE_INDEX_ITEMS = ("pool.res", "res_index.res")

#: Whole trees nothing in Qt reads: rule-based number formats and transliterators.
DROPPED_TREES = ("rbnf", "translit")

#: Converters kept, by ICU table name (the ``.cnv`` item without the suffix; ``uconv -l``
#: prints each with its aliases). Algorithmic converters (UTF-8/16/32, ISO-8859-1, US-ASCII,
#: UTF-7, SCSU, BOCU-1, ISO-2022-JP with Shift_JIS's table, ...) live in ICU's code. The base
#: tables of kept extension tables (GBK, Big5, windows-949) are added through icupkg's
#: dependency report.
KEPT_CONVERTERS = re.compile(
    # ISO 8859-2 ... -15 (ibm-912..923, 1089, 9005, 5012, and ICU's own iso-8859_* tables)
    r"ibm-(912|913|914|915|1089|9005|5012|920|921|923)_.*|iso-8859_.*"
    # Windows code pages 1250-1258 (ibm-125x and ibm-534x/5354/944x: ICU resolves windows-125x
    # to one of each pair) and windows-874 (Thai)
    r"|ibm-(125[0-8]|534[6-9]|535[0-4]|944[7-9])_.*|windows-874-.*"
    # DOS code pages (what old accounting and practice-management exports are written in)
    r"|ibm-(437|720|737|775|850|852|855|857|858|860|861|862|863|864|865|866|869)_.*"
    # Mac OS Roman/Central European/Cyrillic/Greek/Turkish, KOI8-R, KOI8-U
    r"|macos-.*|ibm-878_.*|ibm-1168_.*"
    # CJK: GB 18030, GBK, Big5, EUC-JP, Shift_JIS (also ISO-2022-JP), EUC-KR, windows-949
    r"|gb18030|windows-936-.*|windows-950-.*|euc-jp-.*|ibm-943_P15A-.*|ibm-970_.*|windows-949-.*"
)

#: Items ICU can do without even though a kept item names them: the break-iterator
#: dictionaries (``brkitr/root.res`` lists them; without one ICU breaks that script by rules).
_OPTIONAL_DEPENDENCY = re.compile(r"brkitr/.*\.dict")


def keep_decision(item: str) -> tuple[bool, str]:
    """Whether to keep one package item (``tree/name`` as ``icupkg -l`` prints it), and its group."""
    tree, _, name = item.rpartition("/")
    top = tree.split("/", 1)[0] if tree else ""
    if top in DROPPED_TREES:
        return False, f"{top}/ (all locales)"
    if name.endswith(".dict"):
        return False, "brkitr/ word dictionaries (CJK, Thai, Lao, Burmese, Khmer)"
    if top == "brkitr":
        return True, "brkitr/ break rules and their locale mappings"
    if name.endswith(".cnv"):
        if KEPT_CONVERTERS.fullmatch(name[: -len(".cnv")]):
            return True, "converters: ISO 8859, Windows, DOS, Mac, KOI8, common CJK"
        return False, "converters: EBCDIC, IBM host and rare CJK tables, compound text"
    if name == "unames.icu":
        return False, "unames.icu (Unicode character names)"
    if name in _TREE_INDEX_ITEMS:
        return True, f"{top + '/' if top else 'top-level'} pool.res, res_index.res"
    match = _LOCALE_ITEM.fullmatch(name)
    if match:
        language = match.group(1)
        where = f"{top}/" if top else "top-level"
        if language == "root" or language in KEPT_LANGUAGES:
            return True, f"{where} locale data: root, en, en_*"
        return False, f"{where} locale data: other languages"
    if top == "coll":
        return True, "coll/ root collation (ucadata.icu)"
    if top:
        return True, f"{top}/ data that is not per locale"
    return True, "top-level data that is not per locale (zones, likely subtags, plurals, ...)"


# --------------------------------------------------------------------------- ELF


@dataclass(frozen=True)
class EmbeddedData:
    """Where a library keeps its ICU common data."""

    symbol: str  # e.g. "icudt73_dat"
    version: str  # e.g. "73"
    offset: int  # file offset of the symbol's bytes
    size: int
    soname: str | None


def _sections(blob: bytes) -> tuple[str, list[tuple[int, int, int, int, int, int]]]:
    """The ELF file's class and byte order ("64<") and its section headers (type, addr, offset, size, link,
    entsize)."""
    if blob[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    is64 = blob[4] == 2
    order = "<" if blob[5] == 1 else ">"
    if is64:
        (shoff,) = struct.unpack_from(order + "Q", blob, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", blob, 0x3A)
        fmt = order + "IIQQQQIIQQ"
    else:
        (shoff,) = struct.unpack_from(order + "I", blob, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", blob, 0x2E)
        fmt = order + "IIIIIIIIII"
    sections = []
    for index in range(shnum):
        _name, kind, _flags, addr, offset, size, link, _info, _align, entsize = struct.unpack_from(
            fmt, blob, shoff + index * shentsize
        )
        sections.append((kind, addr, offset, size, link, entsize))
    return ("64" if is64 else "32") + order, sections


def _cstring(blob: bytes, start: int) -> bytes:
    return blob[start : blob.index(b"\0", start)]


def locate_common_data(library: Path) -> EmbeddedData:
    """Find the exported ``icudtNN_dat`` symbol of an ICU data library (pure Python, no binutils)."""
    blob = library.read_bytes()
    layout, sections = _sections(blob)
    order = layout[2]
    sym_fmt = order + ("IBBHQQ" if layout.startswith("64") else "IIIBBH")
    found: EmbeddedData | None = None
    soname: str | None = None
    for kind, _addr, offset, size, link, entsize in sections:
        strtab = sections[link][2]
        if kind == 11 and entsize:  # SHT_DYNSYM
            for pos in range(offset, offset + size, entsize):
                if layout.startswith("64"):
                    name_at, _info, _other, shndx, value, sym_size = struct.unpack_from(sym_fmt, blob, pos)
                else:
                    name_at, value, sym_size, _info, _other, shndx = struct.unpack_from(sym_fmt, blob, pos)
                name = _cstring(blob, strtab + name_at)
                match = _ENTRY_SYMBOL.fullmatch(name)
                if match and shndx not in (0, 0xFFF1, 0xFFF2):  # defined, in a real section
                    _k, sec_addr, sec_offset, _s, _l, _e = sections[shndx]
                    found = EmbeddedData(
                        symbol=name.decode("ascii"),
                        version=match.group(1).decode("ascii"),
                        offset=value - sec_addr + sec_offset,
                        size=sym_size,
                        soname=None,
                    )
        elif kind == 6 and entsize:  # SHT_DYNAMIC: DT_SONAME (14) names the soname in .dynstr
            dyn_fmt = order + ("qQ" if layout.startswith("64") else "iI")
            for pos in range(offset, offset + size, entsize):
                tag, value = struct.unpack_from(dyn_fmt, blob, pos)
                if tag == 14:
                    soname = _cstring(blob, strtab + value).decode("ascii")
    if found is None:
        raise ValueError(f"{library.name} exports no icudtNN_dat symbol")
    header = blob[found.offset : found.offset + 32]
    if found.size < 32 or header[2:4] != b"\xda\x27" or header[12:16] != _COMMON_DATA_FORMAT:
        raise ValueError(f"{found.symbol} in {library.name} is not an ICU common data package")
    return EmbeddedData(found.symbol, found.version, found.offset, found.size, soname)


def _package_type(header: bytes) -> str:
    """ICU's platform letter of a data package: l (little-endian ASCII), b (big-endian ASCII), e (EBCDIC)."""
    big_endian, charset = header[8], header[9]
    return "e" if charset else ("b" if big_endian else "l")


# --------------------------------------------------------------------------- result


@dataclass
class Group:
    """Items of one policy group, with their total size in bytes."""

    keep: bool
    count: int = 0
    size: int = 0


@dataclass
class TrimResult:
    """What :func:`trim_icu_data` did: the library to ship and a line that says why."""

    source: Path
    library: Path  # what to ship: the trimmed copy, or ``source`` when not trimmed
    trimmed: bool
    notice: str
    kept_items: int = 0
    total_items: int = 0
    groups: dict[str, Group] = field(default_factory=dict)
    readded: list[str] = field(default_factory=list)  # dependencies icupkg asked for

    @property
    def size_before(self) -> int:
        return self.source.stat().st_size

    @property
    def size_after(self) -> int:
        return self.library.stat().st_size


def _mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def missing_tools() -> list[str]:
    """The tools this module needs that are not on PATH."""
    missing = [tool for tool in ("icupkg", "genccode") if not shutil.which(tool)]
    if not _compiler():
        missing.append("gcc")
    return missing


def _compiler() -> str | None:
    return shutil.which(os.environ.get("CC", "gcc")) or shutil.which("gcc") or shutil.which("cc")


def _run(cmd: Sequence[str | Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, errors="replace", check=False
    )


def _list_items(package: Path) -> list[str]:
    # --ignore-deps: a trimmed package lacks the (optional) break dictionaries its root names.
    proc = _run(["icupkg", "--auto_toc_prefix", "--ignore-deps", "-l", package])
    if proc.returncode != 0:
        raise RuntimeError(f"icupkg -l {package.name} failed: {(proc.stderr or proc.stdout).strip()[:300]}")
    return sorted(line.strip() for line in proc.stdout.splitlines() if line.strip())


_MISSING_DEPENDENCY = re.compile(r"Item (\S+) depends on missing item (\S+)")


def _write_list(path: Path, items: Iterable[str]) -> Path:
    path.write_text("".join(f"{item}\n" for item in sorted(items)), encoding="ascii")
    return path


def _remove_items(package: Path, drop: set[str], out: Path, work: Path) -> list[str]:
    """``icupkg -r``: drop items; items a kept item depends on are kept (returned), except the
    optional ones (break dictionaries), which ICU does without."""
    readded: list[str] = []
    for _attempt in range(10):
        out.unlink(missing_ok=True)
        remove = _write_list(work / "remove.txt", drop)
        proc = _run(["icupkg", "--auto_toc_prefix", "-r", remove, package, out])
        missing = {m.group(2) for m in _MISSING_DEPENDENCY.finditer(proc.stderr + proc.stdout)}
        if proc.returncode == 0 and out.is_file():
            return readded
        needed = {item for item in missing if not _OPTIONAL_DEPENDENCY.fullmatch(item)}
        if needed:
            drop -= needed
            readded += sorted(needed)
            continue
        if missing:  # only optional items are missing: accept that
            proc = _run(["icupkg", "--auto_toc_prefix", "--ignore-deps", "-r", remove, package, out])
            if proc.returncode == 0 and out.is_file():
                return readded
        raise RuntimeError(f"icupkg -r failed: {(proc.stderr or proc.stdout).strip()[:300]}")
    raise RuntimeError("icupkg keeps reporting missing dependencies")


def _link(package: Path, data: EmbeddedData, soname: str, out: Path, work: Path) -> None:
    """The package as a shared library exporting ``data.symbol``, as ICU's own build makes it."""
    entry = data.symbol[: -len("_dat")]
    proc = _run(["genccode", "--quiet", "-a", "gcc", "-e", entry, "-d", work, "-f", entry, package])
    assembly = work / f"{entry}.S"
    if proc.returncode != 0 or not assembly.is_file():
        raise RuntimeError(f"genccode failed: {(proc.stderr or proc.stdout).strip()[:300]}")
    compiler = _compiler()
    assert compiler is not None
    cmd = [compiler, "-shared", "-nostdlib", "-s", "-Wl,-z,noexecstack", f"-Wl,-soname,{soname}"]
    proc = _run([*cmd, "-o", out, assembly])
    if proc.returncode != 0:
        raise RuntimeError(
            f"{Path(compiler).name} -shared failed: {(proc.stderr or proc.stdout).strip()[:300]}"
        )


# A separate Python loads the real libicuuc/libicui18n next to the trimmed data (RUNPATH $ORIGIN)
# and uses what Qt Core uses: converters, collators, calendars and time-zone names.
_FUNCTIONAL_CHECK = r"""
import ctypes, sys
folder, v = sys.argv[1], sys.argv[2]
uc = ctypes.CDLL(f"{folder}/libicuuc.so.{v}")
i18n = ctypes.CDLL(f"{folder}/libicui18n.so.{v}")
def fn(lib, name, restype, *argtypes):
    f = getattr(lib, f"{name}_{v}")
    f.restype, f.argtypes = restype, list(argtypes)
    return f
P, I, E = ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int32)
U = ctypes.POINTER(ctypes.c_uint16)
def ustr(s):
    return (ctypes.c_uint16 * (len(s) + 1))(*map(ord, s), 0)
def check(what, err):  # warnings (< 0: fallback, default, ambiguous alias) are fine
    if err.value > 0:
        name = fn(uc, "u_errorName", ctypes.c_char_p, I)(err.value).decode()
        sys.exit(f"{what}: {name}")
ucnv_open = fn(uc, "ucnv_open", P, ctypes.c_char_p, E)
ucnv_close = fn(uc, "ucnv_close", None, P)
for name in ("windows-1252", "windows-1250", "ISO-8859-2", "ISO-8859-15", "IBM850", "KOI8-R",
             "macintosh", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "GBK", "gb18030", "Big5", "EUC-KR"):
    err = I(0)
    handle = ucnv_open(name.encode(), ctypes.byref(err))
    check(f"converter {name}", err)
    ucnv_close(handle)
ucol_open = fn(i18n, "ucol_open", P, ctypes.c_char_p, E)
strcoll = fn(i18n, "ucol_strcoll", I, P, U, I, U, I)
for locale in (b"en_US", b"en_GB", b"de_DE", b"sv_SE", b""):
    err = I(0)
    coll = ucol_open(locale, ctypes.byref(err))
    check(f"collator {locale.decode()}", err)
    if strcoll(coll, ustr("apple"), -1, ustr("Banana"), -1) != -1:
        sys.exit(f"collator {locale.decode()}: apple does not sort before Banana")
    fn(i18n, "ucol_close", None, P)(coll)
ucal_open = fn(i18n, "ucal_open", P, U, I, ctypes.c_char_p, I, E)
display = fn(i18n, "ucal_getTimeZoneDisplayName", I, P, I, ctypes.c_char_p, U, I, E)
canonical = fn(i18n, "ucal_getCanonicalTimeZoneID", I, U, I, U, I, ctypes.POINTER(ctypes.c_int8), E)
for zone, want in (("Europe/Berlin", "Central European Standard Time"),
                   ("America/New_York", "Eastern Standard Time"),
                   ("Australia/Sydney", "Australian Eastern Standard Time")):
    err = I(0)
    cal = ucal_open(ustr(zone), -1, b"en_US", 0, ctypes.byref(err))
    check(f"calendar {zone}", err)
    buf = (ctypes.c_uint16 * 128)()
    n = display(cal, 0, b"en_US", buf, 128, ctypes.byref(err))
    check(f"time-zone name {zone}", err)
    got = "".join(map(chr, buf[:n]))
    if got != want:
        sys.exit(f"time-zone name {zone}: {got!r}, want {want!r}")
    fn(i18n, "ucal_close", None, P)(cal)
err, system = I(0), ctypes.c_int8(0)
n = canonical(ustr("US/Eastern"), -1, buf, 128, ctypes.byref(system), ctypes.byref(err))
check("canonical time-zone ID", err)
if "".join(map(chr, buf[:n])) != "America/New_York":
    sys.exit("canonical time-zone ID of US/Eastern is not America/New_York")
print("ok")
"""


def _functional_check(library: Path, source: Path, version: str, work: Path) -> str | None:
    """None when ICU works with the trimmed data, else what failed (skipped: no ICU beside the source)."""
    siblings = [source.with_name(f"{name}.so.{version}") for name in ("libicuuc", "libicui18n")]
    if not all(p.is_file() for p in siblings):
        return None
    folder = work / "check"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for path in [*siblings, library]:
        shutil.copy2(path, folder / (source.name if path == library else path.name))
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD", "ICU_DATA")}
    env["LC_ALL"] = "C.UTF-8"
    proc = subprocess.run(
        [sys.executable, "-c", _FUNCTIONAL_CHECK, str(folder), version],
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        timeout=120,
        check=False,
    )
    if proc.returncode == 0 and proc.stdout.strip() == "ok":
        return None
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]


# --------------------------------------------------------------------------- trimming


def _policy_fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _not_trimmed(source: Path, why: str) -> TrimResult:
    why = " ".join(why.split())  # one line
    why = why if len(why) <= 300 else why[:297] + "..."
    notice = f"ICU data not trimmed ({source.name} shipped whole, {_mib(source.stat().st_size)}): {why}"
    return TrimResult(source=source, library=source, trimmed=False, notice=notice)


def trim_icu_data(source: Path, work: Path) -> TrimResult:
    """Build (or reuse from *work*) a trimmed copy of the ICU data library *source*.

    Never raises for a missing tool or a failed step: the result then ships *source* and
    its ``notice`` says why in one line. The trimmed library is cached in *work* and
    rebuilt when the source file or this module changes.
    """
    source = Path(source)
    missing = missing_tools()
    if missing:
        return _not_trimmed(source, f"{', '.join(missing)} not found; install them with `{INSTALL_HINT}`")
    try:
        data = locate_common_data(source)
    except (OSError, ValueError, struct.error, IndexError) as exc:
        return _not_trimmed(source, str(exc))
    soname = data.soname or source.name
    out_dir = Path(work)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / soname
    report = out_dir / f"{soname}.json"
    stat = source.stat()
    identity = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{_policy_fingerprint()}"
    if target.is_file() and report.is_file():
        try:
            cached = json.loads(report.read_text(encoding="utf-8"))
            if cached.get("identity") == identity:
                return _result_from_report(source, target, cached)
        except (OSError, ValueError):
            pass
    try:
        with tempfile.TemporaryDirectory(prefix="icu-trim-", dir=out_dir) as tmp_name:
            result = _trim(source, data, soname, target, Path(tmp_name))
    except (OSError, RuntimeError, ValueError, IndexError, struct.error, subprocess.SubprocessError) as exc:
        target.unlink(missing_ok=True)
        return _not_trimmed(source, f"{exc}")
    report.write_text(json.dumps(_report_of(result, identity), indent=1), encoding="utf-8")
    return result


def _trim(source: Path, data: EmbeddedData, soname: str, target: Path, tmp: Path) -> TrimResult:
    with source.open("rb") as fh:
        fh.seek(data.offset)
        blob = fh.read(data.size)
    package = tmp / f"icudt{data.version}{_package_type(blob)}.dat"
    package.write_bytes(blob)
    items = _list_items(package)
    sizes = _item_sizes(package, items, tmp)
    decisions = {item: keep_decision(item) for item in items}
    drop = {item for item, (keep, _group) in decisions.items() if not keep}
    trimmed_package = tmp / "trimmed" / package.name
    trimmed_package.parent.mkdir()
    readded = _remove_items(package, set(drop), trimmed_package, tmp)
    for item in readded:
        decisions[item] = (True, "needed by kept items (listed below)")
    kept = sorted(item for item, (keep, _g) in decisions.items() if keep)
    built = tmp / soname
    _link(trimmed_package, data, soname, built, tmp)
    # Check the result: same symbol and soname, and the package inside lists exactly the kept items.
    rebuilt = locate_common_data(built)
    if (rebuilt.symbol, rebuilt.soname) != (data.symbol, soname):
        raise RuntimeError(f"the rebuilt library exports {rebuilt.symbol} with soname {rebuilt.soname}")
    roundtrip = tmp / "roundtrip" / package.name
    roundtrip.parent.mkdir()
    with built.open("rb") as fh:
        fh.seek(rebuilt.offset)
        roundtrip.write_bytes(fh.read(rebuilt.size))
    if roundtrip.read_bytes() != trimmed_package.read_bytes() or _list_items(roundtrip) != kept:
        raise RuntimeError("the rebuilt library does not hold the trimmed package")
    failure = _functional_check(built, source, data.version, tmp)
    if failure:
        raise RuntimeError(f"ICU does not work with the trimmed data: {failure}")
    target.unlink(missing_ok=True)
    shutil.move(str(built), target)
    groups: dict[str, Group] = {}
    for item, (keep, name) in decisions.items():
        group = groups.setdefault(name, Group(keep))
        group.count += 1
        group.size += sizes.get(item, 0)
    result = TrimResult(
        source=source,
        library=target,
        trimmed=True,
        notice="",
        kept_items=len(kept),
        total_items=len(items),
        groups=groups,
        readded=readded,
    )
    result.notice = _summary(result)
    return result


def _item_sizes(package: Path, items: list[str], tmp: Path) -> dict[str, int]:
    """Each item's size in bytes (extracted with ``icupkg -x``; for the report only)."""
    folder = tmp / "items"
    folder.mkdir()  # icupkg makes the tree folders, not this one
    everything = _write_list(tmp / "all.txt", items)
    proc = _run(["icupkg", "--auto_toc_prefix", "-x", everything, "-d", folder, package])
    if proc.returncode != 0:
        return {}
    return {item: (folder / item).stat().st_size for item in items if (folder / item).is_file()}


def _summary(result: TrimResult) -> str:
    dropped = sum(g.size for g in result.groups.values() if not g.keep)
    return (
        f"ICU data trimmed: {result.source.name} {_mib(result.size_before)} -> {_mib(result.size_after)} "
        f"(kept {result.kept_items} of {result.total_items} items; dropped {_mib(dropped)}: other languages' "
        "locale data and collations, rbnf, translit, break dictionaries, unames, rare converters)"
    )


def _report_of(result: TrimResult, identity: str) -> dict[str, object]:
    return {
        "identity": identity,
        "kept_items": result.kept_items,
        "total_items": result.total_items,
        "readded": result.readded,
        "groups": {name: [g.keep, g.count, g.size] for name, g in result.groups.items()},
    }


def _result_from_report(source: Path, target: Path, report: dict[str, object]) -> TrimResult:
    raw_groups = report.get("groups")
    groups = {
        str(name): Group(bool(v[0]), int(v[1]), int(v[2]))
        for name, v in (raw_groups.items() if isinstance(raw_groups, dict) else [])
    }
    readded = report.get("readded")
    result = TrimResult(
        source=source,
        library=target,
        trimmed=True,
        notice="",
        kept_items=int(str(report.get("kept_items", 0))),
        total_items=int(str(report.get("total_items", 0))),
        groups=groups,
        readded=[str(x) for x in readded] if isinstance(readded, list) else [],
    )
    result.notice = _summary(result) + " [cached]"
    return result


def format_groups(result: TrimResult) -> str:
    """A table of the policy groups: kept/dropped, item count, size."""
    lines = []
    for name, group in sorted(result.groups.items(), key=lambda kv: (not kv[1].keep, -kv[1].size)):
        lines.append(
            f"  {'keep' if group.keep else 'drop'}  {group.size / 1048576:6.2f} MiB  {group.count:5d}  {name}"
        )
    if result.readded:
        lines.append(f"  kept because a kept item depends on them: {', '.join(result.readded)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("library", type=Path, help="libicudata.so.NN (e.g. in .venv/.../PySide6/Qt/lib)")
    parser.add_argument("--out", type=Path, help="folder for the trimmed library (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as tmp:
        result = trim_icu_data(args.library, args.out or Path(tmp))
        print(result.notice)
        if result.groups:
            print(format_groups(result))
        if result.trimmed and args.out:
            print(f"wrote {result.library}")
    return 0 if result.trimmed else 1


if __name__ == "__main__":
    raise SystemExit(main())
