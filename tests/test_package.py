"""The sealed package: BagIt tar stream → age → one file, verified before it is kept."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import bagit
import keyring
import keyring.backends.chainer
import keyring.backends.fail
import pyrage
import pytest

from migration_assistant.core.package import (
    BagError,
    DecryptFailure,
    InsufficientSpaceError,
    InvalidIdentityError,
    InvalidRecipientError,
    PackageCancelled,
    PackageExistsError,
    PackageFormat,
    PackageNotFoundError,
    PackageProgress,
    PayloadEntry,
    Phase,
    ProblemKind,
    SourceFileError,
    VerifyResult,
    generate_passphrase,
    keystore,
    package_steps,
    verify_package,
    write_package,
)
from migration_assistant.core.package.bag import plan_bag, write_bag
from migration_assistant.core.package.crypto import (
    ENVELOPE_BODY,
    ENVELOPE_KEY,
    ENVELOPE_README,
    identity_file_text,
    wordlist,
)

BAG_INFO = {
    "Source-Organization": "Fictional & Partners LLP",
    "Contact-Email": "it@fictional-partners.example",
    "External-Description": "Practice-management export for migration.\nSecond line of notes.",
    "Source-System": "LegacyPM 7.2",
    "Export-Date": "2025-03-01",
}
OLD_MTIME_NS = 1_600_000_000_000_000_000  # 2020-09-13: far from "now", so a touched file shows


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every temp-folder lookup at an empty folder and require it to stay empty.

    The package code must never put plaintext (or anything) in the system temp folder.
    """
    temp = tmp_path / "system-temp"
    temp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield temp
    assert list(temp.iterdir()) == [], "something was left in the temp folder"


@pytest.fixture(autouse=True)
def fresh_session_secrets() -> Iterator[None]:
    keystore.clear_session_secrets()
    yield
    keystore.clear_session_secrets()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A small export: text, a multi-chunk binary, nested and non-ASCII names, an empty file."""
    root = tmp_path / "export"
    files = {
        "Matters.csv": "matter_id,client,opened\nM-001,Brontë Holdings,2021-04-01\n".encode(),
        "scans/Client Letter – Brontë.pdf": os.urandom(2 * 1024 * 1024 + 12345),
        "scans/2024/q1/deep note.txt": b"nested three levels down\r\n",
        "empty.txt": b"",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return root


def payload_for(export: Path) -> list[PayloadEntry]:
    entries = [
        PayloadEntry.from_file(f"originals/{p.relative_to(export).as_posix()}", p)
        for p in sorted(export.rglob("*"))
        if p.is_file()
    ]
    entries.append(PayloadEntry.from_bytes("normalised/contacts.csv", b"name,email\nAda,ada@example.org\n"))
    return entries


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def specialist() -> Any:
    return pyrage.x25519.Identity.generate()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def sealed(export: Path, out_dir: Path, specialist: Any) -> Path:
    """A public-key package of the export, sealed for the specialist."""
    result = write_package(
        payload_for(export), BAG_INFO, out_dir / "package.age", recipients=[str(specialist.to_public())]
    )
    return result.path


@pytest.fixture(scope="module")
def passphrase_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One passphrase package for the module: scrypt makes each one cost about two seconds."""
    folder = tmp_path_factory.mktemp("passphrase")
    original = folder / "original.bin"
    original.write_bytes(os.urandom(1_500_000))
    passphrase = generate_passphrase()
    result = write_package(
        [PayloadEntry.from_file("originals/original.bin", original)],
        BAG_INFO,
        folder / "package.tar",
        passphrase=passphrase,
    )
    return result.path, passphrase


def copy_to(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target


def undecryptable(result: VerifyResult) -> tuple[DecryptFailure | None, str]:
    assert not result.ok
    assert [p.kind for p in result.problems] == [ProblemKind.UNDECRYPTABLE], result.problems
    return result.problems[0].reason, result.problems[0].message


# --- round trips -------------------------------------------------------------------


def test_round_trip_keeps_originals_untouched_and_extracts_identical_files(
    export: Path, out_dir: Path, specialist: Any, tmp_path: Path
) -> None:
    before = snapshot(export)
    seen: list[PackageProgress] = []
    firm = keystore.firm_recipient()

    result = write_package(
        payload_for(export),
        BAG_INFO,
        out_dir / "Fictional Partners.age",
        recipients=[str(specialist.to_public()), firm],
        progress=seen.append,
    )

    assert snapshot(export) == before  # bytes and modification times
    assert sorted(p.name for p in out_dir.iterdir()) == ["Fictional Partners.age"]  # no partial file left
    data = result.path.read_bytes()
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert result.sealed_with is PackageFormat.PUBLIC_KEY
    assert result.recipients == (str(specialist.to_public()), firm)
    assert result.fingerprints[1] == keystore.public_key_fingerprint(firm)
    assert result.payload_files == 5
    assert {p.phase for p in seen} == {Phase.PREPARING, Phase.SEALING, Phase.CHECKING}
    assert seen[-1].phase is Phase.CHECKING and seen[-1].done == seen[-1].total == result.size
    sealing = [p for p in seen if p.phase is Phase.SEALING]
    assert sealing[-1].done == sealing[-1].total == result.payload_bytes
    assert [p.overall for p in seen] == sorted(p.overall for p in seen)

    extract_root = tmp_path / "opened"
    checked = verify_package(result.path, identity=specialist, extract_to=extract_root)

    assert checked.ok, checked.summary()
    assert checked.sha256 == result.sha256
    assert checked.bag_info["Source-Organization"] == "Fictional & Partners LLP"
    assert (
        checked.bag_info["External-Description"]
        == "Practice-management export for migration. Second line of notes."
    )
    assert checked.bag_info["Payload-Oxum"] == f"{result.payload_bytes}.5"
    assert checked.extracted_to == extract_root / "migration-package"
    assert [p.name for p in extract_root.iterdir()] == ["migration-package"]  # no temp folder left
    originals = checked.extracted_to / "data" / "originals"
    for name, (content, mtime_ns) in before.items():
        extracted = originals / name
        assert extracted.read_bytes() == content, name
        assert extracted.stat().st_mtime_ns // 10**9 == mtime_ns // 10**9, name  # tar keeps whole seconds
    bag = bagit.Bag(str(checked.extracted_to))  # an independent BagIt implementation agrees
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert snapshot(export) == before

    # The firm can reopen what it sent with the key kept in the keychain.
    assert verify_package(result.path, identity=keystore.firm_identity()).ok


def test_passphrase_round_trip(passphrase_package: tuple[Path, str], tmp_path: Path) -> None:
    path, passphrase = passphrase_package
    words = passphrase.split(" ")
    assert len(words) == 7 and all(w in wordlist() for w in words)
    with tarfile.open(path) as container:  # one file: instructions, locked key, encrypted bag
        assert container.getnames() == [ENVELOPE_README, ENVELOPE_KEY, ENVELOPE_BODY]
        assert container.extractfile(ENVELOPE_BODY).read(22) == b"age-encryption.org/v1\n"  # type: ignore[union-attr]

    result = verify_package(path, passphrase=passphrase, extract_to=tmp_path / "opened")

    assert result.ok, result.summary()
    assert result.sealed_with is PackageFormat.PASSPHRASE
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.extracted_to is not None
    assert (result.extracted_to / "data/originals/original.bin").stat().st_size == 1_500_000


def test_passphrase_typed_loosely_still_opens(passphrase_package: tuple[Path, str]) -> None:
    path, passphrase = passphrase_package
    assert verify_package(path, passphrase=f"  {passphrase.upper().replace(' ', '   ')} ").ok


def test_generated_passphrases_are_common_words() -> None:
    assert len(wordlist()) >= 2000
    for count in (6, 8):
        words = generate_passphrase(count).split(" ")
        assert len(words) == count and all(re.fullmatch(r"[a-z]+", w) for w in words)
    with pytest.raises(ValueError):
        generate_passphrase(3)


# --- tampering, damage and wrong keys ----------------------------------------------


def test_flipped_byte_is_reported_as_damage_and_nothing_is_extracted(
    sealed: Path, specialist: Any, tmp_path: Path
) -> None:
    damaged = copy_to(sealed, tmp_path / "copies", "damaged.age")
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    extract_root = tmp_path / "opened"

    result = verify_package(damaged, identity=specialist, extract_to=extract_root)

    reason, message = undecryptable(result)
    assert reason is DecryptFailure.DAMAGED
    assert re.search(r"damaged at about 1\.\d MB of 2\.\d MB", message), message
    assert result.extracted_to is None
    assert list(extract_root.iterdir()) == []  # nothing half-extracted
    assert "Nothing was extracted." in result.summary()


def test_truncated_file_is_reported_as_incomplete(sealed: Path, specialist: Any, tmp_path: Path) -> None:
    cut = copy_to(sealed, tmp_path / "copies", "cut.age")
    with cut.open("r+b") as handle:
        handle.truncate(int(cut.stat().st_size * 0.6))

    reason, message = undecryptable(verify_package(cut, identity=specialist))

    assert reason is DecryptFailure.INCOMPLETE
    assert "incomplete" in message and "cut short" in message


def test_truncated_passphrase_package_is_reported_as_incomplete(
    passphrase_package: tuple[Path, str], tmp_path: Path
) -> None:
    path, passphrase = passphrase_package
    cut = copy_to(path, tmp_path / "copies", "cut.tar")
    with cut.open("r+b") as handle:
        handle.truncate(int(cut.stat().st_size * 0.6))

    reason, message = undecryptable(verify_package(cut, passphrase=passphrase))

    assert reason is DecryptFailure.INCOMPLETE
    assert "incomplete" in message


def test_wrong_key_is_reported_plainly(sealed: Path) -> None:
    reason, message = undecryptable(verify_package(sealed, identity=pyrage.x25519.Identity.generate()))
    assert reason is DecryptFailure.WRONG_KEY
    assert message.startswith("None of the keys you gave can open this package")


def test_wrong_passphrase_is_reported_plainly(passphrase_package: tuple[Path, str]) -> None:
    path, _ = passphrase_package
    reason, message = undecryptable(verify_package(path, passphrase="not the right words at all"))
    assert reason is DecryptFailure.WRONG_PASSPHRASE
    assert message.startswith("The passphrase is not right")


def test_public_key_package_opened_with_a_passphrase_says_what_is_needed(sealed: Path) -> None:
    reason, message = undecryptable(verify_package(sealed, passphrase="apple river"))
    assert reason is DecryptFailure.WRONG_KEY
    assert "sealed for a public key" in message


def rebuild_bag(
    specialist: Any,
    destination: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
    *,
    entries: list[PayloadEntry] | None = None,
    tar_format: int = tarfile.PAX_FORMAT,
) -> Path:
    """Make a real bag, let *change* edit or drop members, add *extra* ones, re-encrypt it."""
    plain = io.BytesIO()
    entries = entries or [
        PayloadEntry.from_bytes("a.txt", b"first file\n"),
        PayloadEntry.from_bytes("b.txt", b"second file\n"),
    ]
    steps = write_bag(plain, entries, BAG_INFO)
    for _ in steps:
        pass
    rebuilt = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(plain.getvalue())) as source,
        tarfile.open(fileobj=rebuilt, mode="w", format=tar_format) as target,
    ):
        for member in source:
            if member.isdir():
                target.addfile(member)
                continue
            stream = source.extractfile(member)
            assert stream is not None
            body = change(member.name, stream.read())
            if body is not None:
                member.size = len(body)
                target.addfile(member, io.BytesIO(body))
        for name, body in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            target.addfile(info, io.BytesIO(body))
        for name, link_target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = link_target
            target.addfile(info)
    destination.write_bytes(pyrage.encrypt(rebuilt.getvalue(), [specialist.to_public()]))
    return destination


def test_bag_rewritten_by_gnu_tar_with_long_names_verifies(specialist: Any, tmp_path: Path) -> None:
    long_name = "/".join(["a-rather-long-folder-name-for-a-matter"] * 4) + "/Statement – 2024.pdf"
    package = rebuild_bag(
        specialist,
        tmp_path / "gnu.age",
        lambda name, body: body,
        entries=[PayloadEntry.from_bytes(long_name, b"%PDF-1.7 ...")],
        tar_format=tarfile.GNU_FORMAT,  # ././@LongLink records instead of PAX headers
    )
    result = verify_package(package, identity=specialist, extract_to=tmp_path / "opened")
    assert result.ok, result.summary()
    assert result.extracted_to is not None
    assert (result.extracted_to / "data" / long_name).read_bytes() == b"%PDF-1.7 ..."


def test_edited_manifest_is_caught(specialist: Any, tmp_path: Path) -> None:
    def edit(name: str, body: bytes) -> bytes:
        if name.endswith("/manifest-sha256.txt"):
            digest = hashlib.sha256(b"first file\n").hexdigest()
            return body.replace(digest.encode(), hashlib.sha256(b"forged\n").hexdigest().encode())
        return body

    package = rebuild_bag(specialist, tmp_path / "edited.age", edit)

    result = verify_package(package, identity=specialist)

    altered = {(p.kind, p.path) for p in result.problems}
    assert altered == {
        (ProblemKind.ALTERED, "data/a.txt"),
        (ProblemKind.ALTERED, "manifest-sha256.txt"),
    }
    assert any("data/a.txt has been altered" in p.message for p in result.problems)


def test_missing_and_extra_payload_files_are_caught(specialist: Any, tmp_path: Path) -> None:
    package = rebuild_bag(
        specialist,
        tmp_path / "changed.age",
        lambda name, body: None if name.endswith("/data/b.txt") else body,
        extra={"migration-package/data/smuggled.txt": b"added later, and longer\n"},
    )

    result = verify_package(package, identity=specialist, extract_to=tmp_path / "opened")

    kinds = {(p.kind, p.path) for p in result.problems}
    assert (ProblemKind.MISSING, "data/b.txt") in kinds
    assert (ProblemKind.EXTRA, "data/smuggled.txt") in kinds
    assert (ProblemKind.MALFORMED, "bag-info.txt") in kinds  # Payload-Oxum no longer matches
    assert list((tmp_path / "opened").iterdir()) == []


def test_unsafe_names_and_links_are_never_extracted(specialist: Any, tmp_path: Path) -> None:
    package = rebuild_bag(
        specialist,
        tmp_path / "hostile.age",
        lambda name, body: body,
        extra={"migration-package/../../escaped.txt": b"x", "/tmp/absolute.txt": b"x"},
        links={"migration-package/data/link": "/etc/passwd"},
    )
    extract_root = tmp_path / "deep" / "opened"

    result = verify_package(package, identity=specialist, extract_to=extract_root)

    unsafe = [p for p in result.problems if p.kind is ProblemKind.UNSAFE]
    assert len(unsafe) == 3
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "deep" / "escaped.txt").exists()
    assert list(extract_root.iterdir()) == []


def test_not_a_package(tmp_path: Path, specialist: Any) -> None:
    stray = tmp_path / "holiday.jpg"
    stray.write_bytes(os.urandom(5000))
    result = verify_package(stray, identity=specialist)
    assert [p.kind for p in result.problems] == [ProblemKind.MALFORMED]
    assert "not a Migration Assistant package" in result.problems[0].message


def test_opening_needs_a_file_and_a_key(tmp_path: Path, sealed: Path) -> None:
    with pytest.raises(PackageNotFoundError):
        verify_package(tmp_path / "nowhere.age", identity=pyrage.x25519.Identity.generate())
    with pytest.raises(InvalidIdentityError):
        verify_package(sealed)
    with pytest.raises(InvalidIdentityError):
        verify_package(sealed, identity="AGE-SECRET-KEY-1NOTAKEY")


def test_identity_file_as_age_keygen_writes_it(sealed: Path, specialist: Any, tmp_path: Path) -> None:
    key_file = tmp_path / "specialist-key.txt"
    key_file.write_text(identity_file_text(specialist))
    assert verify_package(sealed, identity_file=key_file).ok


def test_extraction_never_overwrites_an_earlier_one(sealed: Path, specialist: Any, tmp_path: Path) -> None:
    root = tmp_path / "opened"
    first = verify_package(sealed, identity=specialist, extract_to=root)
    second = verify_package(sealed, identity=specialist, extract_to=root)
    assert first.extracted_to == root / "migration-package"
    assert second.extracted_to == root / "migration-package-2"


# --- cancel, failure, atomicity ----------------------------------------------------


def test_cancel_stops_within_a_chunk_and_leaves_nothing(export: Path, out_dir: Path, specialist: Any) -> None:
    before = snapshot(export)
    seen: list[PackageProgress] = []

    def cancel() -> bool:
        return any(p.phase is Phase.SEALING and p.done > 0 for p in seen)

    with pytest.raises(PackageCancelled):
        write_package(
            payload_for(export),
            BAG_INFO,
            out_dir / "package.age",
            recipients=[str(specialist.to_public())],
            progress=seen.append,
            cancel=cancel,
        )

    assert len([p for p in seen if p.phase is Phase.SEALING and p.done > 0]) == 1
    assert list(out_dir.iterdir()) == []
    assert snapshot(export) == before


def test_cancel_while_checking_leaves_nothing(export: Path, out_dir: Path, specialist: Any) -> None:
    seen: list[PackageProgress] = []
    with pytest.raises(PackageCancelled):
        write_package(
            payload_for(export),
            BAG_INFO,
            out_dir / "package.age",
            recipients=[str(specialist.to_public())],
            progress=seen.append,
            cancel=lambda: any(p.phase is Phase.CHECKING for p in seen),
        )
    assert list(out_dir.iterdir()) == []


def test_closing_the_generator_cancels(export: Path, out_dir: Path, specialist: Any) -> None:
    steps = package_steps(
        payload_for(export), BAG_INFO, out_dir / "package.age", recipients=[str(specialist.to_public())]
    )
    for step in steps:
        if step.phase is Phase.SEALING and step.done:
            break
    assert len(list(out_dir.iterdir())) == 1  # the hidden partial file, mid-write
    steps.close()
    assert list(out_dir.iterdir()) == []


class FillingDisk:
    """A file whose disk fills up after *room* bytes, as a USB stick would."""

    def __init__(self, real: Any, room: int) -> None:
        self._real = real
        self._room = room

    def write(self, data: bytes) -> int:
        if self._real.tell() + len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self._real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_disk_full_is_a_plain_message_and_leaves_nothing(
    export: Path, out_dir: Path, specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FillingDisk(real_fdopen(*a, **k), room=1_000_000))

    with pytest.raises(InsufficientSpaceError) as caught:
        write_package(
            payload_for(export), BAG_INFO, out_dir / "package.age", recipients=[str(specialist.to_public())]
        )

    assert re.fullmatch(
        r"There is not enough free space on .+ to write the package: it needs about \d+ MB\.",
        str(caught.value),
    )
    assert caught.value.needed_bytes > 2_000_000
    assert list(out_dir.iterdir()) == []


def test_too_little_space_is_refused_before_writing(
    export: Path, out_dir: Path, specialist: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(InsufficientSpaceError, match="it needs about 4 MB"):
        write_package(
            payload_for(export), BAG_INFO, out_dir / "package.age", recipients=[str(specialist.to_public())]
        )
    assert list(out_dir.iterdir()) == []


def test_missing_original_stops_before_anything_is_written(
    export: Path, out_dir: Path, specialist: Any
) -> None:
    payload = [*payload_for(export), PayloadEntry.from_file("originals/gone.csv", export / "gone.csv")]
    with pytest.raises(SourceFileError, match="could not be found"):
        write_package(payload, BAG_INFO, out_dir / "package.age", recipients=[str(specialist.to_public())])
    assert list(out_dir.iterdir()) == []


def test_original_changing_while_read_stops_the_bag(export: Path) -> None:
    plan = plan_bag(payload_for(export))
    with (export / "Matters.csv").open("ab") as handle:
        handle.write(b"M-002,Added meanwhile,2025-01-01\n")
    with pytest.raises(SourceFileError, match="changed while it was being packed"):
        for _ in write_bag(io.BytesIO(), plan, BAG_INFO):
            pass


def test_temp_folder_stays_empty_after_success_failure_and_cancel(
    export: Path, out_dir: Path, specialist: Any, system_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipients = [str(specialist.to_public())]
    write_package(payload_for(export), BAG_INFO, out_dir / "ok.age", recipients=recipients)
    assert list(system_temp.iterdir()) == []

    # Failure half-way through: an original shrinks after it was measured.
    import migration_assistant.core.package.writer as writer_module

    def plan_then_truncate(*args: Any, **kwargs: Any) -> Any:
        plan = plan_bag(*args, **kwargs)
        (export / "scans" / "Client Letter – Brontë.pdf").write_bytes(b"short now")
        return plan

    with monkeypatch.context() as patch, pytest.raises(SourceFileError, match="got shorter"):
        patch.setattr(writer_module, "plan_bag", plan_then_truncate)
        write_package(payload_for(export), BAG_INFO, out_dir / "failed.age", recipients=recipients)
    assert list(system_temp.iterdir()) == []

    with pytest.raises(PackageCancelled):
        write_package(
            payload_for(export),
            BAG_INFO,
            out_dir / "cancelled.age",
            recipients=recipients,
            cancel=lambda: True,
        )
    assert list(system_temp.iterdir()) == []
    assert sorted(p.name for p in out_dir.iterdir()) == ["ok.age"]


def test_existing_package_is_only_replaced_when_allowed(sealed: Path, export: Path, specialist: Any) -> None:
    with pytest.raises(PackageExistsError):
        write_package(payload_for(export), BAG_INFO, sealed, recipients=[str(specialist.to_public())])
    replaced = write_package(
        payload_for(export), BAG_INFO, sealed, recipients=[str(specialist.to_public())], overwrite=True
    )
    assert verify_package(replaced.path, identity=specialist).ok
    assert sorted(p.name for p in sealed.parent.iterdir()) == [sealed.name]


def test_recipients_or_passphrase_are_required(export: Path, out_dir: Path) -> None:
    with pytest.raises(InvalidRecipientError, match="Choose who can open the package"):
        write_package(payload_for(export), BAG_INFO, out_dir / "p.age")
    with pytest.raises(InvalidRecipientError, match="is not an age public key"):
        write_package(payload_for(export), BAG_INFO, out_dir / "p.age", recipients=["ssh-rsa AAAA"])


@pytest.mark.parametrize(
    "name", ["../escape.txt", "/etc/passwd", "C:/Windows/x", "a//b", "a/./b", "a\\b", "line\nbreak", ""]
)
def test_unusable_payload_names_are_refused(name: str) -> None:
    with pytest.raises(BagError):
        plan_bag([PayloadEntry.from_bytes(name, b"x")])


def test_names_that_clash_on_windows_are_refused() -> None:
    with pytest.raises(BagError, match="capital letters"):
        plan_bag([PayloadEntry.from_bytes("Notes.txt", b"1"), PayloadEntry.from_bytes("notes.TXT", b"2")])
    with pytest.raises(BagError, match="both as a file and as a folder"):
        plan_bag([PayloadEntry.from_bytes("a", b"1"), PayloadEntry.from_bytes("a/b", b"2")])


def test_computed_bag_info_labels_cannot_be_given(export: Path, out_dir: Path, specialist: Any) -> None:
    with pytest.raises(BagError, match="filled in by the app"):
        write_package(
            payload_for(export),
            {"Payload-Oxum": "1.1"},
            out_dir / "p.age",
            recipients=[str(specialist.to_public())],
        )
    assert list(out_dir.iterdir()) == []


# --- standard tools ----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command-line tool is not installed")
def test_standard_age_tool_opens_a_public_key_package(sealed: Path, specialist: Any, tmp_path: Path) -> None:
    key_file = tmp_path / "specialist-key.txt"
    key_file.write_text(identity_file_text(specialist))
    opened = subprocess.run(
        ["age", "-d", "-i", str(key_file), str(sealed)], capture_output=True, check=True, timeout=60
    )
    with tarfile.open(fileobj=io.BytesIO(opened.stdout)) as bag:
        names = bag.getnames()
    assert "migration-package/bagit.txt" in names
    assert "migration-package/data/originals/scans/Client Letter – Brontë.pdf" in names


@pytest.mark.skipif(
    shutil.which("age") is None or sys.platform == "win32", reason="needs the age tool and a POSIX terminal"
)
def test_standard_age_tool_opens_a_passphrase_package(
    passphrase_package: tuple[Path, str], tmp_path: Path
) -> None:
    import pty  # POSIX only: age reads passphrases from a terminal, never from stdin

    path, passphrase = passphrase_package
    with tarfile.open(path) as container:
        key_blob = container.extractfile(ENVELOPE_KEY).read()  # type: ignore[union-attr]
        body = container.extractfile(ENVELOPE_BODY).read()  # type: ignore[union-attr]
    (tmp_path / ENVELOPE_KEY).write_bytes(key_blob)
    pid, terminal = pty.fork()
    if pid == 0:  # the child becomes: age -d -o package-key.txt passphrase-key.age
        os.chdir(tmp_path)
        os.execvp("age", ["age", "-d", "-o", "package-key.txt", ENVELOPE_KEY])
    output = b""
    while b"passphrase" not in output.lower():
        try:
            piece = os.read(terminal, 1024)
        except OSError:  # EIO: age exited without asking
            piece = b""
        assert piece, f"age did not ask for a passphrase: {output!r}"
        output += piece
    os.write(terminal, passphrase.encode() + b"\n")
    while True:
        try:
            if not os.read(terminal, 1024):
                break
        except OSError:
            break
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    opened = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "package-key.txt")], input=body, capture_output=True, check=True
    )
    with tarfile.open(fileobj=io.BytesIO(opened.stdout)) as bag:
        assert "migration-package/data/originals/original.bin" in bag.getnames()


# --- keystore ----------------------------------------------------------------------


def test_keystore_uses_the_keychain_when_there_is_one() -> None:
    stored = keystore.store_secret("package-passphrase", "apple river stone")
    assert stored.persisted
    assert "keychain" in stored.where
    assert keyring.get_password("migration-assistant", "package-passphrase") == "apple river stone"
    assert keystore.load_secret("package-passphrase") == "apple river stone"
    keystore.delete_secret("package-passphrase")
    assert keystore.load_secret("package-passphrase") is None
    keystore.delete_secret("package-passphrase")  # deleting twice is fine


def test_keystore_without_a_keychain_keeps_secrets_for_this_session_only(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())

    stored = keystore.store_secret("package-passphrase", "secret words here")

    assert not stored.persisted
    assert stored.where == "only until you close the app: no secure keychain is available on this computer"
    assert keystore.secure_storage() == stored
    assert keystore.load_secret("package-passphrase") == "secret words here"
    assert keystore.where_is("package-passphrase") == stored
    # Never a silent plaintext fallback: the secret is in no file anywhere under tmp.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"secret words here" not in path.read_bytes(), path
    keystore.delete_secret("package-passphrase")
    assert keystore.load_secret("package-passphrase") is None


def test_keystore_treats_an_empty_chainer_as_no_keychain() -> None:
    class EmptyChainer(keyring.backends.chainer.ChainerBackend):
        backends: list[Any] = []  # noqa: RUF012 - mirrors the library's class-level property

    keyring.set_keyring(EmptyChainer())
    assert not keystore.store_secret("x", "y").persisted
    assert keystore.load_secret("x") == "y"


def test_keystore_falls_back_when_the_keychain_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise keyring.errors.PasswordSetError("locked")

    monkeypatch.setattr(keyring, "set_password", refuse)
    stored = keystore.store_secret("x", "y")
    assert not stored.persisted and "would not store it" in stored.where
    assert keystore.load_secret("x") == "y"


def test_firm_identity_is_created_once_and_kept_in_the_keychain() -> None:
    first = keystore.firm_identity()
    assert str(keystore.firm_identity()) == str(first)
    assert keyring.get_password("migration-assistant", "firm-identity") == str(first)
    assert keystore.firm_identity_storage().persisted
    assert keystore.firm_recipient() == str(first.to_public())


def test_firm_identity_without_a_keychain_says_it_is_session_only() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    first = keystore.firm_identity()
    assert str(keystore.firm_identity()) == str(first)
    assert not keystore.firm_identity_storage().persisted


def test_damaged_firm_key_is_not_silently_replaced() -> None:
    keyring.set_password("migration-assistant", "firm-identity", "AGE-SECRET-KEY-1BROKEN")
    with pytest.raises(keystore.KeystoreError, match="damaged"):
        keystore.firm_identity()


def test_fingerprint_is_short_stable_and_case_insensitive() -> None:
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    fingerprint = keystore.public_key_fingerprint(recipient)
    assert re.fullmatch(r"([0-9A-F]{4} ){4}[0-9A-F]{4}", fingerprint)
    assert keystore.public_key_fingerprint(f"  {recipient.upper()}\n") == fingerprint
    assert keystore.public_key_fingerprint(str(pyrage.x25519.Identity.generate().to_public())) != fingerprint
    with pytest.raises(InvalidRecipientError):
        keystore.public_key_fingerprint("age1notakey")
