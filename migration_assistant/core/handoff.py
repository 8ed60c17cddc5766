"""What goes into the specialist's package, assembled from a finished check.

The bag's ``data/`` folder holds:

* ``originals/`` — every export file byte for byte, under the name it was given;
* ``normalised/`` — one CSV per entity in the canonical schema, with ``datapackage.json``
  (the schema, and bytes and sha256 of every resource);
* ``findings/`` — findings.json (the CLI contract), report.html and report.xlsx;
* ``fixes/fix-log.json`` — when fixes were applied: every changed cell, before and after, and who
  applied them (the originals stay byte for byte; the normalised data is the fixed data);
* ``checklist.json`` — the limitations checklist with who acknowledged what, and when;
* ``balances.csv`` and ``timeline.json``.

Everything except the originals is produced in memory: no plaintext copy of client
data is written to disk on the way into the encrypted package.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from migration_assistant import __version__
from migration_assistant.core.balances import Balances, compute_balances
from migration_assistant.core.checklist import Checklist, fixes_applied_by
from migration_assistant.core.dataset import SRC, EntityData
from migration_assistant.core.export_date import export_date
from migration_assistant.core.findings import Finding, Severity
from migration_assistant.core.package import PackageProgress, PackageResult, PayloadEntry, package_steps
from migration_assistant.core.readers.table import ROW
from migration_assistant.core.results import ValidationResult
from migration_assistant.core.schema import raw_descriptor
from migration_assistant.core.timeline import Timeline

ORIGINALS = "originals"


class GateClosed(Exception):
    """Packaging refused: the checklist is not signed off (plain message says what is missing)."""


@dataclass(frozen=True, slots=True)
class FirmDetails:
    firm: str = ""
    contact: str = ""
    export_date: str = ""


def _text(data: EntityData, name: str) -> pd.Series:
    field = data.entity.field(name)
    parsed = data.parsed.get(name)
    if parsed is None:
        return data.stripped(name)
    values = parsed.values
    if field.is_date:
        fmt = "%Y-%m-%dT%H:%M:%S" if field.type == "datetime" else "%Y-%m-%d"
        dates: pd.Series = values.dt.strftime(fmt).fillna("")
        return dates
    if field.type == "number":
        return pd.Series(np.where(values.isna(), "", values.round(4).astype(str)), index=values.index)
    if field.type == "boolean":
        flags: pd.Series = values.map({True: "Y", False: "N"}).astype(object).fillna("")
        return flags
    return values.astype(object).fillna("")


def normalised_csv(data: EntityData, files: list[str]) -> bytes:
    """One entity as canonical CSV: typed values written the standard way, plus where each row came from."""
    out = pd.DataFrame({f.title: _text(data, f.name) for f in data.entity.fields})
    if data.entity.name == "activities":
        out["Amount"] = _amount_or_hours_by_rate(data, out["Amount"])
    for title in data.extra_columns:  # values no schema field takes (a contact's "Phone 2"): kept
        out[title] = data.frame[title].to_numpy()
    out["Source File"] = np.asarray(files, dtype=object)[data.frame[SRC].to_numpy()]
    out["Source Row"] = data.frame[ROW].to_numpy()
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


def _amount_or_hours_by_rate(data: EntityData, amount: pd.Series) -> pd.Series:
    """The Amount as written, or Hours × Rate where it is blank (or the file has no Amount column,
    as Clio's template has none): what the balances count and the ``amount-derived`` note says."""
    if "hours" not in data.parsed or "rate" not in data.parsed:
        return amount
    product = data.parsed["hours"].values.astype("float64") * data.parsed["rate"].values.astype("float64")
    derived = np.where(np.isnan(product), "", np.round(product, 4).astype(str))
    blank = (amount == "").to_numpy()
    return pd.Series(np.where(blank, derived, amount.to_numpy(dtype=object)), index=amount.index)


def datapackage(resources: dict[str, bytes], extras: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """The normalised data's Frictionless descriptor, derived from the canonical schema.

    *extras*: per entity, the extra columns its CSV carries after the schema's (``EntityData.extra_columns``).
    """
    described = []
    for res in raw_descriptor()["resources"]:
        if res["name"] not in resources:
            continue
        content = resources[res["name"]]
        schema = json.loads(json.dumps(res["schema"]))
        for f in schema["fields"]:
            f["name"] = f["title"]
            if f["type"] in ("date", "datetime"):
                f["format"] = "default"
            f.pop("bareNumber", None)
            f.pop("groupChar", None)
        schema["fields"] += [
            {
                "name": title,
                "type": "string",
                "description": "Kept from the export: no field of the schema takes it.",
            }
            for title in (extras or {}).get(res["name"], [])
        ]
        schema["fields"] += [
            {"name": "Source File", "type": "string"},
            {"name": "Source Row", "type": "integer"},
        ]
        by_name = {f["name"]: f["title"] for f in res["schema"]["fields"]}
        schema["primaryKey"] = by_name[schema["primaryKey"]]
        # A partial export (only contacts and matters, say) must not promise a reference to a
        # resource that is not in the package: validators reject the whole descriptor for it.
        schema["foreignKeys"] = [
            fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in resources
        ]
        if not schema["foreignKeys"]:
            del schema["foreignKeys"]
        for fk in schema.get("foreignKeys", []):
            fk["fields"] = by_name[fk["fields"]]
            target = next(
                r for r in raw_descriptor()["resources"] if r["name"] == fk["reference"]["resource"]
            )
            ref = {f["name"]: f["title"] for f in target["schema"]["fields"]}
            fk["reference"]["fields"] = ref[fk["reference"]["fields"]]
        described.append(
            {
                "name": res["name"],
                "title": res["title"],
                "path": f"{res['name']}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                "schema": schema,
            }
        )
    return {
        "name": "migration-normalised-data",
        "title": "Normalised migration data",
        "profile": "tabular-data-package",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "resources": described,
    }


def build_payload(
    result: ValidationResult,
    checklist: Checklist,
    *,
    timeline: Timeline | None = None,
    balances: Balances | None = None,
    html: bytes | None = None,
    xlsx: bytes | None = None,
) -> list[PayloadEntry]:
    """Every file of the bag's ``data/`` folder.

    Every file given is sealed under ``originals/``, the ones read and the ones in the folders
    that were not (``result.skipped``): the package holds everything the firm gave, and nothing
    else (a link in a folder to a file outside it is listed in the findings, never sealed).
    """
    entries: list[PayloadEntry] = []
    taken: set[str] = set()
    for item in [*result.inputs, *result.skipped]:
        if item.sealed:
            entries.append(PayloadEntry.from_file(_original_name(item.display, taken), item.path))
    files = [t.file for t in result.dataset.tables]
    resources = {name: normalised_csv(data, files) for name, data in result.dataset.entities.items()}
    for name, content in resources.items():
        entries.append(PayloadEntry.from_bytes(f"normalised/{name}.csv", content))
    extras = {name: data.extra_columns for name, data in result.dataset.entities.items()}
    entries.append(
        PayloadEntry.from_bytes("normalised/datapackage.json", _json(datapackage(resources, extras)))
    )
    # Built piece by piece as UTF-8, never as one str as well: the bag needs the bytes (their size
    # and checksum go into the manifest before the file is written), not a second copy in text.
    entries.append(PayloadEntry.from_bytes("findings/findings.json", result.report.json_bytes()))
    if html is not None:
        entries.append(PayloadEntry.from_bytes("findings/report.html", html))
    if xlsx is not None:
        entries.append(PayloadEntry.from_bytes("findings/report.xlsx", xlsx))
    if result.fix_log is not None and len(result.fix_log):
        entries.append(PayloadEntry.from_bytes(FIX_LOG, _signed_log(result, checklist).encode("utf-8")))
    entries.append(PayloadEntry.from_bytes("checklist.json", _json(checklist.to_json())))
    bal = balances or compute_balances(result.dataset)
    entries.append(PayloadEntry.from_bytes("balances.csv", _balances_csv(bal)))
    if timeline is not None:
        entries.append(PayloadEntry.from_bytes("timeline.json", _json(timeline.to_json())))
    return entries


FIX_LOG = "fixes/fix-log.json"
"""Where the fix log goes in the bag's ``data/`` folder."""


def _signed_log(result: ValidationResult, checklist: Checklist) -> str:
    """The fix log as sealed: applied by the name given at sign-off when the log names nobody yet."""
    log = result.fix_log
    assert log is not None
    name = log.applied_by or fixes_applied_by(checklist)
    return (log.signed(name) if name != log.applied_by else log).to_json_text()


def _original_name(display: str, taken: set[str]) -> str:
    """The bag name of an original: its display name, numbered only if another file already has it.

    Display names are unique in a run (``collect_inputs`` makes them so); the numbering keeps a
    file from being dropped should a result assembled some other way repeat one.
    """
    path = PurePosixPath(ORIGINALS) / display
    name, n = str(path), 1
    while name.casefold() in taken:
        n += 1
        name = str(path.with_name(f"{path.stem} ({n}){path.suffix}"))
    taken.add(name.casefold())
    return name


def _balances_csv(balances: Balances) -> bytes:
    buf = io.StringIO()
    balances.table.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def bag_info(result: ValidationResult, details: FirmDetails, checklist: Checklist) -> dict[str, str]:
    info = {
        "Source-Organization": details.firm or "(firm name not given)",
        "Contact-Email": details.contact or "(not given)",
        "Source-System": f"{result.profile.name} ({result.profile.id})",
        "Export-Date": details.export_date or export_date(result),
        "External-Description": "Law-firm data export with findings, normalised data and the signed-off "
        "limitations checklist, for the migration specialist.",
        "Tool-Version": f"migration-assistant {__version__}",
        "Findings-Summary": ", ".join(f"{v} {k}" for k, v in result.report.summary().items()),
        "Checklist-Complete": "yes" if checklist.complete else "no",
    }
    signers = sorted({i.acknowledged_by for i in checklist.items if i.acknowledged_by})
    if signers:
        info["Acknowledged-By"] = ", ".join(signers)
    if result.fix_log is not None and len(result.fix_log):
        info["Fixes-Applied"] = f"{len(result.fix_log)} cells ({FIX_LOG.rsplit('/', 1)[-1]} in data/fixes)"
    return info


def check_gate(checklist: Checklist) -> None:
    """Blockers must be resolved or explicitly accepted before anything is packaged."""
    open_blockers = [i for i in checklist.items if i.blocking and not i.acknowledged]
    if open_blockers:
        raise GateClosed(
            f"{len(open_blockers)} blocking problem(s) are neither fixed nor accepted "
            f"({', '.join(i.id.removeprefix('blocker:') for i in open_blockers)}): fix them and check again, "
            "or accept them on the limitations checklist"
        )


def iter_package(
    result: ValidationResult,
    checklist: Checklist,
    out: Path,
    *,
    details: FirmDetails,
    recipients: list[str],
    passphrase: str | None,
    timeline: Timeline | None = None,
    balances: Balances | None = None,
    html: bytes | None = None,
    xlsx: bytes | None = None,
    cancel: Callable[[], bool] | None = None,
    overwrite: bool = False,
) -> Generator[PackageProgress, None, PackageResult]:
    """Check the gate, assemble the payload, then seal, self-verify and save the package.

    *balances* are those the reports show (added up here when None); *overwrite* replaces an
    existing file at *out* (only once the new package has verified).
    """
    check_gate(checklist)
    payload = build_payload(result, checklist, timeline=timeline, balances=balances, html=html, xlsx=xlsx)
    return (
        yield from package_steps(
            payload,
            bag_info(result, details, checklist),
            out,
            recipients=recipients,
            passphrase=passphrase,
            cancel=cancel,
            overwrite=overwrite,
        )
    )


# --- reading a package back (the specialist's side) ------------------------------------------

FINDINGS_FILE = "data/findings/findings.json"
CHECKLIST_FILE = "data/checklist.json"
BALANCES_FILE = "data/balances.csv"
CONTENT_FILES = (FINDINGS_FILE, CHECKLIST_FILE, BALANCES_FILE)
"""The bag files a viewer shows: pass them as ``capture=`` to ``iter_verify_package``."""


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One line of ``balances.csv``: what a matter (or a client) carries into the new system."""

    matter: str
    client: str
    trust: float
    receivable: float
    unbilled: float


@dataclass(frozen=True, slots=True)
class PackageContents:
    """What a package says about the export, read from its files in memory.

    Attributes:
        source: The source system id the findings name, or ``""``.
        findings: Every finding, or None when findings.json could not be read.
        summary: Findings per severity label (``{"blocker": 0, "error": 3, …}``).
        checklist: The limitations checklist with who acknowledged what and when, or None.
        balances: The balances brought forward, or None.
        unreadable: Plain sentences naming the parts that could not be shown, and why.
    """

    source: str = ""
    findings: tuple[Finding, ...] | None = None
    summary: Mapping[str, int] = field(default_factory=dict)
    checklist: Checklist | None = None
    balances: tuple[BalanceLine, ...] | None = None
    unreadable: tuple[str, ...] = ()

    def balance_totals(self) -> tuple[float, float, float]:
        """Trust held, receivable and unbilled, summed over every line."""
        lines = self.balances or ()
        return (
            round(sum(b.trust for b in lines), 2),
            round(sum(b.receivable for b in lines), 2),
            round(sum(b.unbilled for b in lines), 2),
        )


_PART_NAMES = {
    FINDINGS_FILE: "The findings",
    CHECKLIST_FILE: "The limitations checklist",
    BALANCES_FILE: "The balances brought forward",
}


def read_contents(captured: Mapping[str, bytes]) -> PackageContents:
    """Turn the captured files of a verified package into typed data for display.

    A file that is absent (not captured because it was too large, altered, or not in the
    package) or unreadable is named in :attr:`PackageContents.unreadable`, never raised.
    """
    unreadable: list[str] = []
    source = ""
    findings: tuple[Finding, ...] | None = None
    summary: dict[str, int] = {}
    checklist: Checklist | None = None
    balances: tuple[BalanceLine, ...] | None = None
    for name, part in _PART_NAMES.items():
        body = captured.get(name)
        if body is None:
            unreadable.append(
                f"{part} cannot be shown here ({name.removeprefix('data/')} is not in the checked package, or "
                "is too large to show): extract the package to read it."
            )
            continue
        try:
            if name == FINDINGS_FILE:
                data = json.loads(body.decode("utf-8"))
                source = str(data.get("source", ""))
                findings = tuple(_finding(item) for item in data.get("findings", []))
                summary = {str(k): int(v) for k, v in dict(data.get("summary", {})).items()}
            elif name == CHECKLIST_FILE:
                checklist = Checklist.from_json(json.loads(body.decode("utf-8")))
            else:
                balances = _balance_lines(body)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            unreadable.append(
                f"{part} could not be read ({type(exc).__name__}): extract the package to look."
            )
    return PackageContents(source, findings, summary, checklist, balances, tuple(unreadable))


def _finding(item: Mapping[str, Any]) -> Finding:
    row = item.get("row")
    return Finding(
        rule=str(item["rule"]),
        severity=Severity.parse(str(item["severity"])),
        entity=item.get("entity"),
        file=str(item.get("file", "")),
        sheet=item.get("sheet"),
        row=int(row) if row is not None else None,
        column=item.get("column"),
        value=item.get("value"),
        message=str(item.get("message", "")),
        hint=str(item.get("hint", "")),
    )


def _balance_lines(body: bytes) -> tuple[BalanceLine, ...]:
    from migration_assistant.core.balances import CLIENT, MATTER, RECEIVABLE, TRUST, UNBILLED

    def amount(text: str | None) -> float:
        return float(text) if text and text.strip() else 0.0

    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    if rows.fieldnames is None or not {MATTER, TRUST} <= set(rows.fieldnames):
        raise ValueError("balances.csv does not have the expected columns")
    return tuple(
        BalanceLine(
            row.get(MATTER) or "",
            row.get(CLIENT) or "",
            amount(row.get(TRUST)),
            amount(row.get(RECEIVABLE)),
            amount(row.get(UNBILLED)),
        )
        for row in rows
        if (row.get(MATTER) or "") != "Firm total"
    )
