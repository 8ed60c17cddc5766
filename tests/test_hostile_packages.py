"""Hostile packages (issue 16, items 5 and 6): plain answers, the same with and without
``--extract``, and never a decrypted file left on disk.

Every package here starts as a real bag written by the app; the test then edits the tar
(bag-info, member headers), mends the tag manifests so only the intended defect remains,
and encrypts it again for a test identity.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest

from migration_assistant.cli import main
from migration_assistant.core.package import PayloadEntry, ProblemKind, VerifyResult, verify_package
from migration_assistant.core.package import verify as verify_module
from migration_assistant.core.package.bag import write_bag
from migration_assistant.core.package.crypto import identity_file_text
from migration_assistant.core.package.extract import LATEST_FILE_TIME
from migration_assistant.core.package.verify import iter_verify_package

BAG_INFO = {"Source-Organization": "Fictional & Partners LLP", "Source-System": "LegacyPM 7.2"}
SECRET = b"Client: Ada Lovelace, settlement 1,250,000\n"

HeaderEdit = Callable[[tarfile.TarInfo], None]


# --- building hostile packages ---------------------------------------------------------


@pytest.fixture(scope="module")
def identity() -> Any:
    return pyrage.x25519.Identity.generate()


def bag_members() -> list[tuple[tarfile.TarInfo, bytes]]:
    """A real bag as the app writes it, as (header, body) pairs."""
    plain = io.BytesIO()
    entries = [
        PayloadEntry.from_bytes("originals/Contacts.csv", SECRET),
        PayloadEntry.from_bytes("originals/notes/Matter 1.txt", b"second file\n"),
    ]
    for _ in write_bag(plain, entries, BAG_INFO):
        pass
    members = []
    with tarfile.open(fileobj=io.BytesIO(plain.getvalue())) as tar:
        for member in tar:
            stream = tar.extractfile(member) if member.isfile() else None
            members.append((member, stream.read() if stream is not None else b""))
    return members


def mend_tag_manifests(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """Recompute the tag manifests over the (edited) tag files, as a forger would."""
    bodies = {info.name.split("/", 1)[1]: body for info, body in members if "/" in info.name}
    for index, (info, body) in enumerate(members):
        name = info.name.split("/", 1)[-1]
        if not name.startswith("tagmanifest-"):
            continue
        algorithm = name.removeprefix("tagmanifest-").removesuffix(".txt")
        lines = []
        for line in body.decode().splitlines():
            _, path = line.split(maxsplit=1)
            lines.append(f"{hashlib.new(algorithm, bodies[path]).hexdigest()}  {path}\n")
        members[index] = (info, "".join(lines).encode())


def hostile_package(
    identity: Any,
    destination: Path,
    *,
    bodies: dict[str, bytes] | None = None,
    header: dict[str, HeaderEdit] | None = None,
    extra: dict[str, bytes | None] | None = None,
    tar_format: int = tarfile.PAX_FORMAT,
) -> Path:
    """A real package with some bag files replaced (*bodies*, by bag-relative name) and some
    members' headers edited (*header*), tag manifests mended, *extra* members added at the end
    (bag-relative name: body, or None for a folder), encrypted for *identity*."""
    members = bag_members()
    for index, (info, _) in enumerate(members):
        relative = info.name.split("/", 1)[-1]
        if bodies and relative in bodies:
            members[index] = (info, bodies[relative])
    mend_tag_manifests(members)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tar_format) as tar:
        for info, body in members:
            relative = info.name.split("/", 1)[-1]
            info.size = len(body)
            if header and relative in header:
                header[relative](info)
            tar.addfile(info, io.BytesIO(body) if info.isfile() else None)
        for name, extra_body in (extra or {}).items():
            added = tarfile.TarInfo(f"migration-package/{name}")
            if extra_body is None:
                added.type = tarfile.DIRTYPE
            else:
                added.size = len(extra_body)
            tar.addfile(added, io.BytesIO(extra_body) if extra_body is not None else None)
    destination.write_bytes(pyrage.encrypt(out.getvalue(), [identity.to_public()]))
    return destination


def pax(**fields: str) -> HeaderEdit:
    def edit(info: tarfile.TarInfo) -> None:
        info.pax_headers = {**info.pax_headers, **fields}

    return edit


def oxum(value: str) -> dict[str, bytes]:
    """bag-info.txt with its Payload-Oxum line replaced by *value* (None-like "" keeps the label)."""
    text = "".join(f"{k}: {v}\n" for k, v in BAG_INFO.items())
    return {"bag-info.txt": f"{text}Bagging-Date: 2025-03-01\nPayload-Oxum: {value}\n".encode()}


# --- checking the answers ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_plaintext_in_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    yield
    assert list(temp.iterdir()) == []


def left_behind(folder: Path) -> list[str]:
    """Every file or folder under *folder*, hidden ones included."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


def plaintext_anywhere(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and SECRET in p.read_bytes()]


def both_ways(package: Path, identity: Any, tmp_path: Path) -> VerifyResult:
    """Verify without and with extraction; the answer must be the same, and a failed
    extraction must leave nothing behind."""
    plain = verify_package(package, identity=identity)
    extract_to = tmp_path / "opened"
    extracted = verify_package(package, identity=identity, extract_to=extract_to)
    assert [(p.kind, p.path, p.message) for p in plain.problems] == [
        (p.kind, p.path, p.message) for p in extracted.problems
    ]
    if not extracted.ok:
        assert extracted.extracted_to is None
        assert left_behind(extract_to) == []
    return extracted


def cli_verify(package: Path, identity: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> int:
    key = tmp_path / "specialist.key"
    key.write_text(identity_file_text(identity))
    codes = []
    for extract in ([], ["--extract", str(tmp_path / "cli-opened")]):
        codes.append(main(["verify", str(package), "--identity", str(key), "--quiet", *extract]))
        out, err = capsys.readouterr()
        assert "unexpected error" not in out + err and "Traceback" not in out + err
        if codes[-1] == 1:
            assert "The package has" in out and err == ""
    assert codes[0] == codes[1]
    if codes[0] != 0:
        assert left_behind(tmp_path / "cli-opened") == []
    return codes[0]


def malformed(result: VerifyResult, path: str | None = None) -> list[str]:
    assert not result.ok
    found = [p.message for p in result.problems if p.kind is ProblemKind.MALFORMED and p.path == path]
    assert found, result.problems
    return found


# --- item 5: a malformed bag-info is a plain "not a valid package" -----------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("9" * 5000 + ".2", id="5000-digits"),  # more digits than Python turns into a number
        pytest.param("9" * 400 + ".2", id="400-digits"),  # a number, but no float can hold it
        "123456789012345678901.2",
        "",
        "12",
        "1.2.3",
        "-5.2",
        "0x10.2",
        "1e3.2",
        "١٢.٣",  # Arabic-Indic digits: digits to Python, not to BagIt
        "12 .2",
        "not a size\x1b[2J",
    ],
)
def test_payload_oxum_that_is_not_a_size_is_a_plain_problem(
    value: str, identity: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = hostile_package(identity, tmp_path / "oxum.age", bodies=oxum(value))

    result = both_ways(package, identity, tmp_path)

    (message,) = malformed(result, "bag-info.txt")
    assert "not a valid package" in message and len(message) < 250
    assert "\x1b" not in message
    assert [p.kind for p in result.problems] == [ProblemKind.MALFORMED]  # the manifests still hold
    assert cli_verify(package, identity, tmp_path, capsys) == 1


def test_payload_oxum_that_disagrees_still_says_by_how_much(identity: Any, tmp_path: Path) -> None:
    package = hostile_package(identity, tmp_path / "oxum.age", bodies=oxum("99999999999999999999.7"))
    (message,) = malformed(both_ways(package, identity, tmp_path), "bag-info.txt")
    assert "says the package holds 7 files (100000000.0 TB)" in message


@pytest.mark.parametrize(
    "body",
    [
        "Source-Organization: Fictional\n".encode("utf-16"),  # not UTF-8
        b"Payload-Oxum: 55.2\xff\xfe\n",
        b"Payload-Oxum\n",  # a label with no colon, no value
        b"\x00" * 100,
    ],
)
def test_bag_info_that_cannot_be_read_is_a_plain_problem(
    body: bytes, identity: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = hostile_package(identity, tmp_path / "info.age", bodies={"bag-info.txt": body})
    assert malformed(both_ways(package, identity, tmp_path), "bag-info.txt")
    assert cli_verify(package, identity, tmp_path, capsys) == 1


def test_bag_info_without_a_payload_oxum_is_judged_on_its_manifests(identity: Any, tmp_path: Path) -> None:
    # Payload-Oxum is optional in BagIt; the manifests still vouch for every file.
    package = hostile_package(identity, tmp_path / "info.age", bodies={"bag-info.txt": b"Contact-Email: x\n"})
    result = both_ways(package, identity, tmp_path)
    assert result.ok, result.problems
    assert result.extracted_to is not None and plaintext_anywhere(result.extracted_to)


def test_a_failure_in_the_bag_check_removes_the_decrypted_files(
    identity: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong after decryption, the hidden extraction folder goes with it."""
    package = hostile_package(identity, tmp_path / "fine.age")

    def broken(*args: object) -> set[str]:
        raise RuntimeError("a bug in the bag check")

    monkeypatch.setattr(verify_module, "check_bag", broken)
    with pytest.raises(RuntimeError):
        verify_package(package, identity=identity, extract_to=tmp_path / "opened")
    assert left_behind(tmp_path / "opened") == []


def test_a_failure_while_moving_into_place_removes_the_decrypted_files(
    identity: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = hostile_package(identity, tmp_path / "fine.age")

    def refuse(*args: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(verify_module.Extraction, "commit", refuse)
    with pytest.raises(KeyboardInterrupt):
        verify_package(package, identity=identity, extract_to=tmp_path / "opened")
    assert left_behind(tmp_path / "opened") == []


def test_closing_the_check_midway_removes_the_decrypted_files(identity: Any, tmp_path: Path) -> None:
    package = hostile_package(identity, tmp_path / "fine.age")
    steps = iter_verify_package(package, identity=identity, extract_to=tmp_path / "opened")
    while not plaintext_anywhere(tmp_path / "opened"):  # until a client's file is on disk
        next(steps)
    steps.close()  # GeneratorExit, as when a GUI worker is dropped
    assert left_behind(tmp_path / "opened") == []


# --- item 6: dates no file can carry -----------------------------------------------------


@pytest.mark.parametrize("mtime", ["99999999999999999999", "-99999999999999999999", "-5", "-1.5", "0"])
def test_dates_far_out_are_clamped_and_the_package_is_intact(
    mtime: str, identity: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = hostile_package(
        identity, tmp_path / "dates.age", header={"data/originals/Contacts.csv": pax(mtime=mtime)}
    )

    result = both_ways(package, identity, tmp_path)

    assert result.ok, result.problems
    assert result.extracted_to is not None
    stamp = (result.extracted_to / "data" / "originals" / "Contacts.csv").stat().st_mtime
    assert 0 <= stamp <= LATEST_FILE_TIME
    assert cli_verify(package, identity, tmp_path, capsys) == 0


def test_a_date_beyond_the_header_field_is_clamped(identity: Any, tmp_path: Path) -> None:
    def far(info: tarfile.TarInfo) -> None:
        info.mtime = 2**80  # GNU tar writes it base-256 in the header itself

    package = hostile_package(
        identity,
        tmp_path / "gnu.age",
        header={"data/originals/Contacts.csv": far},
        tar_format=tarfile.GNU_FORMAT,
    )
    result = both_ways(package, identity, tmp_path)
    assert result.ok, result.problems
    assert result.extracted_to is not None
    # As far in the future as the file system allows (ext4 stops in 2446), never an error.
    assert (
        4e9
        < (result.extracted_to / "data" / "originals" / "Contacts.csv").stat().st_mtime
        <= LATEST_FILE_TIME
    )


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"mtime": "1e400"}, "bad date"),
        ({"mtime": "1e10"}, "bad date"),
        ({"mtime": "-1e400"}, "bad date"),
        ({"mtime": "inf"}, "bad date"),
        ({"mtime": "nan"}, "bad date"),
        ({"mtime": "NaN"}, "bad date"),
        ({"mtime": "yesterday"}, "bad date"),
        ({"mtime": ""}, "bad date"),
        pytest.param({"mtime": "9" * 5000}, "bad date", id="mtime-5000-digits"),
        ({"size": "-1"}, "bad size"),
        ({"size": "1e3"}, "bad size"),
        pytest.param({"size": "9" * 5000}, "bad size", id="size-5000-digits"),
    ],
)
def test_header_numbers_that_are_not_numbers_are_bad_metadata(
    fields: dict[str, str], said: str, identity: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = hostile_package(
        identity, tmp_path / "pax.age", header={"data/originals/Contacts.csv": pax(**fields)}
    )

    (message,) = malformed(both_ways(package, identity, tmp_path))

    assert "not a readable archive" in message and said in message
    assert cli_verify(package, identity, tmp_path, capsys) == 1


def test_no_plaintext_is_left_after_any_refused_extraction(identity: Any, tmp_path: Path) -> None:
    """The refused packages above, extracted into one folder: nothing of the client's stays."""
    folder = tmp_path / "opened"
    for index, (bodies, header) in enumerate(
        [
            (oxum("9" * 5000 + ".2"), None),
            (None, {"data/originals/notes/Matter 1.txt": pax(mtime="1e400")}),
            (None, {"data/originals/notes/Matter 1.txt": pax(size="-1")}),
        ]
    ):
        package = hostile_package(identity, tmp_path / f"{index}.age", bodies=bodies, header=header)
        assert not verify_package(package, identity=identity, extract_to=folder).ok
    assert left_behind(folder) == []
    assert not any(
        SECRET in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".age"
    )


# --- names that a disk cannot hold side by side ---------------------------------------------


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ({"data/originals/Contacts.csv/inner.txt": b"x"}, "which is a file in the package, not a folder"),
        ({"data/originals/CONTACTS.csv": b"x"}, "appears twice in the package"),
        ({"data/originals/Contacts.csv": None}, "is both a file and a folder"),
        ({"data/originals/notes": b"x"}, "is both a folder and a file"),
    ],
)
def test_names_that_clash_on_disk_get_the_same_answer_with_and_without_extracting(
    extra: dict[str, bytes | None],
    said: str,
    identity: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = hostile_package(identity, tmp_path / "clash.age", extra=extra)

    messages = malformed(both_ways(package, identity, tmp_path), f"migration-package/{next(iter(extra))}")

    assert said in messages[0]
    assert cli_verify(package, identity, tmp_path, capsys) == 1
