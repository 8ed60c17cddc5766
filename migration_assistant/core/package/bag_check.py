"""The BagIt check of a package's contents once they have streamed past.

While the package is read, every file of the bag is hashed (:class:`SeenFile`); tag
files (``bagit.txt``, ``bag-info.txt``, the manifests) are also kept in memory. Then
:func:`check_bag` compares what was seen with what the manifests and ``bag-info.txt``
declare, and says which files the manifests vouch for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from migration_assistant.core.package.bag import ALGORITHMS, human_size, parse_bag_info, parse_manifest
from migration_assistant.core.package.verify_result import ProblemKind, ProblemList

TAG_LIMIT: Final = 64 << 20  # tag files are read into memory; a bigger one is hostile or broken


@dataclass
class SeenFile:
    """One file of the bag as it streamed past."""

    size: int
    digests: dict[str, str]
    body: bytes | None = None  # tag files only (None when too large to keep)


def check_bag(
    bag_name: str | None,
    payload: Mapping[str, SeenFile],
    tags: Mapping[str, SeenFile],
    problems: ProblemList,
) -> set[str]:
    """Check the bag's declarations against the files seen; record what is wrong in *problems*.

    Args:
        bag_name: The bag's top folder, or None when the archive held nothing.
        payload: The files under ``data/``, by bag-relative name.
        tags: The other files of the bag (tag files), by bag-relative name.
        problems: Where the problems found are added.

    Returns:
        The bag-relative names whose checksums matched every manifest that lists them.
    """
    if bag_name is None:
        problems.add(ProblemKind.MALFORMED, "The package is empty.")
        return set()
    check = _BagCheck(payload, tags, problems)
    check.run()
    return check.confirmed


@dataclass
class _BagCheck:
    payload: Mapping[str, SeenFile]
    tags: Mapping[str, SeenFile]
    problems: ProblemList
    confirmed: set[str] = field(default_factory=set)

    def _tag_text(self, name: str) -> bytes | None:
        seen = self.tags.get(name)
        if seen is None:
            return None
        if seen.body is None:
            self.problems.add(ProblemKind.MALFORMED, f"{name} is far too large to be a real bag file.", name)
        return seen.body

    def run(self) -> None:
        self._check_bagit_txt()
        info = self.tags.get("bag-info.txt")
        if info is not None and info.body is not None:
            for complaint in parse_bag_info(info.body)[1]:
                self.problems.add(
                    ProblemKind.MALFORMED, f"bag-info.txt cannot be read: {complaint}.", "bag-info.txt"
                )
        self._check_manifests()
        self._check_tag_manifests()
        self._check_oxum()

    def _check_bagit_txt(self) -> None:
        body = self._tag_text("bagit.txt")
        if body is None:
            if "bagit.txt" not in self.tags:
                self.problems.add(
                    ProblemKind.MISSING,
                    "bagit.txt is missing, so this is not a complete BagIt bag.",
                    "bagit.txt",
                )
            return
        fields, complaints = parse_bag_info(body)
        declared = dict(fields)
        if complaints or declared.get("BagIt-Version") not in ("0.97", "1.0"):
            self.problems.add(
                ProblemKind.MALFORMED, "bagit.txt does not declare a known BagIt version.", "bagit.txt"
            )
        if declared.get("Tag-File-Character-Encoding", "").upper() not in ("UTF-8", "UTF8"):
            self.problems.add(ProblemKind.MALFORMED, "bagit.txt does not declare UTF-8 text.", "bagit.txt")

    def _manifest_names(self, prefix: str) -> dict[str, str]:
        found = {}
        for name in self.tags:
            match = re.fullmatch(rf"{prefix}-([a-z0-9]+)\.txt", name)
            if match and match.group(1) in ALGORITHMS:
                found[match.group(1)] = name
        return found

    def _check_manifests(self) -> None:
        manifests = self._manifest_names("manifest")
        if not manifests:
            self.problems.add(
                ProblemKind.MISSING,
                "The package has no list of checksums (manifest-sha256.txt), so its files cannot be checked.",
                "manifest-sha256.txt",
            )
            return
        missing: set[str] = set()
        altered: set[str] = set()
        listed_everywhere = set(self.payload)
        for algorithm, name in sorted(manifests.items()):
            body = self._tag_text(name)
            if body is None:
                return
            entries, complaints = parse_manifest(body)
            for complaint in complaints:
                self.problems.add(ProblemKind.MALFORMED, f"{name} cannot be read: {complaint}.", name)
            listed_everywhere &= set(entries)
            for path, digest in entries.items():
                if not path.startswith("data/"):
                    self.problems.add(
                        ProblemKind.MALFORMED,
                        f"{name} lists “{path}”, which is not in the data folder.",
                        name,
                    )
                elif path not in self.payload:
                    missing.add(path)
                elif self.payload[path].digests[algorithm] != digest:
                    altered.add(path)
        for path in sorted(missing):
            self.problems.add(
                ProblemKind.MISSING,
                f"{path} is missing: it is listed in the package's checksums but is not in the package.",
                path,
            )
        for path in sorted(altered):
            self.problems.add(
                ProblemKind.ALTERED,
                f"{path} has been altered: its contents no longer match the checksum recorded when the "
                "package was sealed.",
                path,
            )
        self.confirmed |= listed_everywhere - altered
        for path in sorted(set(self.payload) - listed_everywhere):
            self.problems.add(
                ProblemKind.EXTRA,
                f"{path} is in the package but not in its list of checksums, so it cannot be checked "
                "(it may have been added afterwards).",
                path,
            )

    def _check_tag_manifests(self) -> None:
        matched: set[str] = set()
        mismatched: set[str] = set()
        for algorithm, name in sorted(self._manifest_names("tagmanifest").items()):
            body = self._tag_text(name)
            if body is None:
                continue
            entries, complaints = parse_manifest(body)
            for complaint in complaints:
                self.problems.add(ProblemKind.MALFORMED, f"{name} cannot be read: {complaint}.", name)
            for path, digest in sorted(entries.items()):
                seen = self.tags.get(path)
                if seen is None:
                    self.problems.add(
                        ProblemKind.MISSING,
                        f"{path} is missing from the package (it is listed in {name}).",
                        path,
                    )
                elif seen.digests[algorithm] != digest:
                    mismatched.add(path)
                    self.problems.add(
                        ProblemKind.ALTERED,
                        f"{path} has been altered since the package was sealed (its checksum in {name} "
                        "does not match).",
                        path,
                    )
                else:
                    matched.add(path)
        self.confirmed |= matched - mismatched

    def _check_oxum(self) -> None:
        declared = bag_info(self.tags).get("Payload-Oxum")
        if declared is None:
            return  # optional in BagIt; the manifests still vouch for every file
        actual_bytes = sum(seen.size for seen in self.payload.values())
        actual = f"{actual_bytes}.{len(self.payload)}"
        value = declared.strip()
        if value == actual:
            return
        match = _OXUM.fullmatch(value)
        if match is None:
            # Shown, not trusted: cut short, and nothing that could steer a terminal.
            shown = "".join(c if c.isprintable() else "?" for c in value[:40]) + (
                "…" if len(value) > 40 else ""
            )
            self.problems.add(
                ProblemKind.MALFORMED,
                f"bag-info.txt gives the package's size as “{shown}”, which is not a size and a number "
                "of files (Payload-Oxum), so this is not a valid package.",
                "bag-info.txt",
            )
            return
        self.problems.add(
            ProblemKind.MALFORMED,
            f"bag-info.txt says the package holds {int(match.group(2))} files "
            f"({human_size(int(match.group(1)))}), but it holds {len(self.payload)} files "
            f"({human_size(actual_bytes)}).",
            "bag-info.txt",
        )


_OXUM: Final = re.compile(r"([0-9]{1,20})\.([0-9]{1,20})")
"""``<bytes>.<files>`` in ASCII digits; more than 20 digits is no size a disk can hold."""


def bag_info(tags: Mapping[str, SeenFile]) -> dict[str, str]:
    """``bag-info.txt`` elements, repeated labels joined with "; " (empty when it is missing or unreadable)."""
    seen = tags.get("bag-info.txt")
    if seen is None or seen.body is None:
        return {}
    pairs, _ = parse_bag_info(seen.body)
    info: dict[str, str] = {}
    for label, value in pairs:
        info[label] = f"{info[label]}; {value}" if label in info else value
    return info
