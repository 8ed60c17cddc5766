"""Measure the validation engine against its two yardsticks, in one run.

    .venv/bin/python bench/run.py            # after: .venv/bin/python bench/generate.py

(a) pyarrow only reading the activities CSV into pandas (multi-line aware, every
    column as text, "" the only null): the floor any engine must pay to read the data.
(b) the whole validation, as a user runs it: ``migration-assistant validate DATA
    --source template --json bench/out/findings.json``, in a child process; wall time
    and the child's peak RSS.
(f) floors, for reading (b), each in fresh children: start like the command line and only
    read the export (every file, with the engine's readers, fingerprints included); stream
    the activities file in 1 MiB batches holding nothing; load the engine's libraries only;
    read the other files whole and stream the activities into compact columns (the least a
    streaming engine would hold). What any run pays before its first check, in time and memory.
    Beside them (b') the validation in-process, engine loaded, as (a) is measured.
(c) frictionless validating the activities against the activities resource of
    ``resources/schema/migration-schema.json``, on the first 100,000 records, time
    scaled to the whole file.

Prints a table and writes ``bench/out/results.json``. Targets (DESIGN.md quality bars):
(b) <= 4 x (a); (c) / (b) >= 30; peak RSS of (b) < 3 x the activities file size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_JSON = ROOT / "resources" / "schema" / "migration-schema.json"
DEFAULT_CLI = Path(sys.executable).with_name("migration-assistant")
TARGET_B_OVER_A = 4.0
TARGET_C_OVER_B = 30.0
TARGET_RSS_OVER_FILE = 3.0


def activities_schema() -> dict[str, Any]:
    schema = json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))
    resource = next(r for r in schema["resources"] if r["name"] == "activities")
    return dict(resource["schema"])


def find_activities(data: Path, titles: list[str]) -> Path:
    """The CSV in ``data`` whose header is the activities template header (any order)."""
    wanted = {t.casefold() for t in titles}
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            header = next(csv.reader(fh), [])
        if {h.strip().casefold() for h in header} == wanted:
            return path
    raise SystemExit(f"no activities CSV (header {titles}) in {data}; run bench/generate.py first")


# --------------------------------------------------------------------------- (a) pyarrow


def read_with_pyarrow(path: Path) -> int:
    """Read the CSV the engine's way: multi-line aware, all text, "" the only null; return the row count."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    frame = table.to_pandas()
    return len(frame)


def measure_pyarrow(path: Path, out: Path, repeat: int) -> dict[str, Any]:
    read_with_pyarrow(path)  # warm the page cache and the imports; not timed
    times, cpu = [], []
    rows = 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = read_with_pyarrow(path)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    # The same read in a fresh process, for its peak memory (the floor for (b)'s memory).
    said = out / "read-stdout.txt"
    child = own_peak(
        run_child([sys.executable, __file__, "--pyarrow-read-only", str(path)], said, None), said
    )
    return {
        "seconds": statistics.median(times),
        "seconds_all": times,
        "cpu_seconds": statistics.median(cpu),
        "rows": rows,
        "child_seconds_with_startup": child["seconds"],
        "peak_rss_bytes": child["peak_rss_bytes"],
    }


# --------------------------------------------------------------------------- (f) floors


def print_own_peak() -> None:
    """Print this process's peak RSS in bytes, as counted since it started running Python.

    A child's ``ru_maxrss`` also counts the pages it shared with this benchmark's process
    between fork and exec (this process holds (a)'s tables by then), so the children of (a)
    and (f) report their own high-water mark (Linux's VmHWM, which exec resets).
    """
    try:
        with Path("/proc/self/status").open(encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    print(f"peak_rss_bytes {int(line.split()[1]) * 1024}")
                    return
    except OSError:
        pass  # not Linux: the parent falls back to ru_maxrss


def own_peak(child: dict[str, Any], stdout: Path) -> dict[str, Any]:
    """*child* with its peak RSS as the child itself reported it on *stdout*, when it did."""
    for line in stdout.read_text(encoding="ascii", errors="replace").splitlines():
        if line.startswith("peak_rss_bytes "):
            child["peak_rss_bytes"] = int(line.split()[1])
    return child


def _read_with_engine(paths: list[Path]) -> list[Any]:
    """Every table in *paths*, read as ``validate`` reads them (two at a time, fingerprints included)."""
    from migration_assistant.core.intake import _read_all
    from migration_assistant.core.readers.inputs import collect_inputs
    from migration_assistant.core.steps import run_to_end

    inputs, _ = collect_inputs(paths)
    tables, _unread = run_to_end(_read_all(inputs, len(inputs), False, lambda: False))
    return tables


def read_floor(data: Path) -> int:
    """Start as ``validate`` does and read every file of *data* with the engine's readers, nothing else.

    The command line's order: pyarrow starts on the large CSV files, then the engine loads
    (pandas, the rules), then every input is read two at a time with its fingerprint. What
    (b) spends beyond this child is parsing, checking and reporting.
    """
    from migration_assistant.core.readers.csv_arrow import read_ahead

    read_ahead([data])
    return sum(len(t) for t in _read_with_engine([data]))


def imports_floor(_data: Path) -> int:
    """Load the engine (pandas, pyarrow, the rules) and nothing else."""
    import migration_assistant.core.engine  # noqa: F401

    return 0


def _stream(path: Path) -> tuple[Any, dict[str, str]]:
    """pyarrow's streaming reader over *path* in 1 MiB batches (every column text), and header -> column name."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    names = [f"c{i}" for i in range(len(header))]
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, null_values=[]
        ),
    )
    return reader, dict(zip(header, names, strict=True))


def stream_floor(path: Path) -> int:
    """Import the engine, then stream *path* through pyarrow in 1 MiB batches, keeping nothing.

    The least memory any engine built on pandas and pyarrow can need to look at every cell
    of the file once: the interpreter and libraries plus pyarrow's read buffers.
    """
    import migration_assistant.core.engine  # noqa: F401  (the libraries a check loads)

    reader, _ = _stream(path)
    return sum(batch.num_rows for batch in reader)


_COMPACT_CODES = ("Matter Number", "User ID", "Invoice Number", "Date", "Type", "Billed", "Billable")
_COMPACT_NUMBERS = ("Hours", "Rate", "Amount")


def compact_floor(data: Path) -> int:
    """The least a streaming engine would hold: every other file read whole with the engine's readers,
    and the activities streamed in 1 MiB batches keeping only what the cross-row checks need.

    Kept per time entry: its ID as text (duplicate IDs), the references, date, type and flags as
    dictionary codes (references to matters, users and invoices; hours per person-day; balances),
    hours, rate and amount as float64 (Amount = Hours x Rate, the day totals). No parsing beyond
    the money cast, no check, no finding: a floor under any streaming design of the same checks.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    activities = find_activities(data, [f["title"] for f in activities_schema()["fields"]])
    others = _read_with_engine([p for p in sorted(data.iterdir()) if p.is_file() and p != activities])
    reader, column = _stream(activities)
    kept: dict[str, list[Any]] = {name: [] for name in ("Entry ID", *_COMPACT_CODES, *_COMPACT_NUMBERS)}
    for batch in reader:
        kept["Entry ID"].append(batch.column(column["Entry ID"]))
        for name in _COMPACT_CODES:
            kept[name].append(pc.dictionary_encode(batch.column(column[name])))
        for name in _COMPACT_NUMBERS:
            text = pc.replace_substring_regex(batch.column(column[name]), r"[$,]", "")
            kept[name].append(pc.cast(pc.if_else(pc.equal(text, ""), None, text), pa.float64()))
    compact = {
        name: pa.chunked_array(chunks).unify_dictionaries()
        if name in _COMPACT_CODES
        else pa.chunked_array(chunks)
        for name, chunks in kept.items()
    }
    return len(compact["Entry ID"]) + len(others)


def validate_in_process(data: Path, runs: int) -> None:
    """Load the engine, then time *runs* validations in this process after an untimed one (printed).

    (b) as (a) is measured: without interpreter start-up and library loading, which (b)
    pays once per run of the command line and (a) never does.
    """
    from migration_assistant.core.engine import validate

    validate([data], "template")  # untimed warm-up, as for (a): lazily loaded libraries, the page cache
    for _ in range(runs):
        started = time.perf_counter()
        result = validate([data], "template")
        print(f"seconds {time.perf_counter() - started} findings {len(result.report.findings)}")
        del result


def measure_in_process(data: Path, out: Path, runs: int) -> dict[str, Any]:
    said = out / "in-process-stdout.txt"
    child = run_child(
        [sys.executable, __file__, "--in-process", str(data), "--repeat", str(runs)], said, None
    )
    times = [
        float(line.split()[1])
        for line in said.read_text(encoding="ascii", errors="replace").splitlines()
        if line.startswith("seconds ")
    ]
    if child["exit_code"] != 0 or not times:
        return {"error": f"exit {child['exit_code']}"}
    return {"seconds": statistics.median(times), "seconds_all": times}


def measure_floors(data: Path, activities: Path, out: Path, runs: int) -> dict[str, Any]:
    """The floors of (f), each in fresh child processes: median wall and CPU, highest peak RSS."""

    def children(flag: str, target: Path) -> dict[str, Any]:
        said = out / "floor-stdout.txt"
        done = [
            own_peak(run_child([sys.executable, __file__, flag, str(target)], said, None), said)
            for _ in range(runs)
        ]
        failed = [c["exit_code"] for c in done if c["exit_code"] != 0]
        return {
            "seconds": statistics.median(c["seconds"] for c in done),
            "cpu_seconds": statistics.median(c["user_seconds"] + c["system_seconds"] for c in done),
            "peak_rss_bytes": max(c["peak_rss_bytes"] for c in done),
            **({"error": f"exit {failed[0]}"} if failed else {}),
        }

    return {
        "read_export": children("--read-floor", data),
        "stream_activities": children("--stream-floor", activities),
        "imports_only": children("--imports-floor", activities),
        "stream_compact": children("--compact-floor", data),
    }


# --------------------------------------------------------------------------- (b) the CLI


def run_child(cmd: list[str], stdout: Path | None, stderr: Path | None) -> dict[str, Any]:
    """Run ``cmd``: wall time, exit code and the child's own peak RSS (``wait4``, not a process-wide max)."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    err = stderr.open("wb") if stderr else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for handle in (out, err):
            if not isinstance(handle, int):
                handle.close()
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return {
        "seconds": seconds,
        "exit_code": proc.returncode,
        "peak_rss_bytes": usage.ru_maxrss * scale,
        "user_seconds": usage.ru_utime,
        "system_seconds": usage.ru_stime,
    }


def measure_cli(cli: Path, data: Path, out: Path, planted: Path | None, runs: int) -> dict[str, Any]:
    """Run the validation ``runs`` times: median wall time, the highest peak RSS, the last run's findings."""
    findings_json = out / "findings.json"
    cmd = [str(cli), "validate", str(data), "--source", "template", "--json", str(findings_json)]
    result: dict[str, Any] = {"command": " ".join(cmd)}
    if not cli.exists():
        result["error"] = f"{cli} not found (is the package installed in the virtualenv?)"
        return result
    children = []
    for _ in range(runs):
        findings_json.unlink(missing_ok=True)
        child = run_child(cmd, out / "cli-stdout.txt", out / "cli-stderr.txt")
        children.append(child)
        # Exit 0 or 1 means it ran (1 = findings at or above --fail-on); 2 means it could not run.
        if child["exit_code"] not in (0, 1) or not findings_json.exists():
            stderr = (out / "cli-stderr.txt").read_text(encoding="utf-8", errors="replace").strip()
            result["error"] = (
                f"exit {child['exit_code']}: {stderr.splitlines()[-1] if stderr else 'no output'}"
            )
            return result
    result.update(children[-1])
    result["seconds"] = statistics.median(c["seconds"] for c in children)
    result["seconds_all"] = [c["seconds"] for c in children]
    result["cpu_seconds"] = statistics.median(c["user_seconds"] + c["system_seconds"] for c in children)
    result["peak_rss_bytes"] = max(c["peak_rss_bytes"] for c in children)
    report = json.loads(findings_json.read_text(encoding="utf-8"))
    result["summary"] = report.get("summary")
    result["findings"] = len(report.get("findings", []))
    result["files"] = {
        f["file"]: {"role": f.get("role"), "rows": f.get("rows")} for f in report.get("files", [])
    }
    if planted and planted.exists():
        expected = json.loads(planted.read_text(encoding="utf-8"))
        seen = {(f["file"], f["row"], f["column"]) for f in report.get("findings", [])}
        missed = [e for e in expected if (e["file"], e["row"], e["column"]) not in seen]
        result["planted_found"] = f"{len(expected) - len(missed)}/{len(expected)}"
        result["planted_missed"] = [f"{e['id']} ({e['file']} row {e['row']}, {e['column']})" for e in missed]
    return result


# --------------------------------------------------------------------------- (c) frictionless


def write_slice(path: Path, target: Path, records: int) -> int:
    """The header and the first ``records`` records (not lines: a multi-line cell stays whole)."""
    with (
        path.open(encoding="utf-8-sig", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        writer.writerow(next(reader))
        written = 0
        for record in reader:
            if written == records:
                break
            writer.writerow(record)
            written += 1
    return written


def frictionless_schema() -> dict[str, Any]:
    """The activities schema with each field named by its title (the CSV's header), foreign keys dropped.

    The foreign keys point at other resources, which a single-file validation does not
    have; dropping them makes frictionless's job lighter, so the ratio is conservative.
    """
    schema = activities_schema()
    names = {f["name"]: f["title"] for f in schema["fields"]}
    fields = [
        {k: v for k, v in f.items() if not k.startswith("x-")} | {"name": f["title"]}
        for f in schema["fields"]
    ]
    return {"fields": fields, "primaryKey": [names[schema["primaryKey"]]]}


def measure_frictionless(path: Path, out: Path, slice_rows: int, total_rows: int) -> dict[str, Any]:
    try:
        from frictionless import Resource, Schema
    except ImportError:
        return {"error": "frictionless is not installed: .venv/bin/pip install frictionless==5.21.0"}
    sliced = out / "activities-slice.csv"
    records = write_slice(path, sliced, slice_rows)
    resource = Resource(
        path=sliced.name, basepath=str(out), schema=Schema.from_descriptor(frictionless_schema())
    )
    started, started_cpu = time.perf_counter(), time.process_time()
    report = resource.validate(limit_errors=10**9)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - started_cpu
    errors: dict[str, int] = {}
    for task in report.tasks:
        for error in task.errors:
            errors[error.type] = errors.get(error.type, 0) + 1
    scale = total_rows / records
    return {
        "slice_rows": records,
        "slice_seconds": seconds,
        "scale": scale,
        "seconds": seconds * scale,
        "cpu_seconds": cpu_seconds * scale,
        "errors": errors,
        "version": version("frictionless"),
    }


# --------------------------------------------------------------------------- report


def _versions() -> dict[str, str]:
    found = {}
    for name in ("pandas", "pyarrow", "numpy", "frictionless", "migration-assistant"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


_CHILDREN: dict[str, Callable[[Path], int]] = {
    "--pyarrow-read-only": read_with_pyarrow,  # (a)'s peak memory
    "--read-floor": read_floor,  # the floors of (f)
    "--stream-floor": stream_floor,
    "--compact-floor": compact_floor,
    "--imports-floor": imports_floor,
}
"""The child processes this script starts: flag -> what the child does before reporting its own peak."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "large")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--cli", type=Path, default=DEFAULT_CLI)
    parser.add_argument("--slice-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed pyarrow reads and CLI runs (median)")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--skip-floors", action="store_true")
    for flag in _CHILDREN:
        parser.add_argument(flag, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for flag, measured in _CHILDREN.items():
        target = getattr(args, flag.removeprefix("--").replace("-", "_"))
        if target:
            measured(target)
            print_own_peak()
            return 0
    if args.in_process:
        validate_in_process(args.in_process, args.repeat)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)

    titles = [f["title"] for f in activities_schema()["fields"]]
    activities = find_activities(args.data, titles)
    file_bytes = activities.stat().st_size
    export_bytes = sum(p.stat().st_size for p in args.data.iterdir() if p.is_file())

    load_before = os.getloadavg()
    print(f"activities: {activities} ({file_bytes / 1e6:.1f} MB); whole export {export_bytes / 1e6:.1f} MB")
    print("(a) pyarrow read ...", flush=True)
    a = measure_pyarrow(activities, args.out, args.repeat)
    print("(b) migration-assistant validate ...", flush=True)
    planted = args.data.with_name(args.data.name + ".planted.json")
    b = (
        {"skipped": True}
        if args.skip_cli
        else measure_cli(args.cli, args.data, args.out, planted, args.repeat)
    )
    print("(f) floors ...", flush=True)
    f = (
        {"skipped": True}
        if args.skip_floors
        else measure_floors(args.data, activities, args.out, args.repeat)
    )
    if not args.skip_floors and not args.skip_cli:
        f["validate_in_process"] = measure_in_process(args.data, args.out, args.repeat)
    print("(c) frictionless ...", flush=True)
    c = (
        {"skipped": True}
        if args.skip_frictionless
        else measure_frictionless(activities, args.out, args.slice_rows, a["rows"])
    )

    b_s = b.get("seconds") if "error" not in b else None
    c_s = c.get("seconds")
    ratios = {
        "b_over_a": b_s / a["seconds"] if b_s else None,
        "c_over_b": c_s / b_s if b_s and c_s else None,
        "b_peak_rss_over_file": b["peak_rss_bytes"] / file_bytes if b_s else None,
        "a_peak_rss_over_file": a["peak_rss_bytes"] / file_bytes,
        "b_over_a_cpu": b["cpu_seconds"] / a["cpu_seconds"] if b_s else None,
        "c_over_b_cpu": c["cpu_seconds"] / b["cpu_seconds"] if b_s and c_s else None,
    }
    # (b) checks every file of the export, not only the activities: per row it checks, it is
    # this much faster than (c). Reported beside the target, which counts activity rows only.
    validated_rows = sum(f.get("rows", 0) for f in b.get("files", {}).values()) if b_s else 0
    ratios["c_over_b_per_row_validated"] = (
        (c_s / a["rows"]) / (b_s / validated_rows) if b_s and c_s and validated_rows else None
    )
    ratios["b_rows_validated"] = validated_rows or None
    passed = {
        "b_within_4x_a": None if ratios["b_over_a"] is None else ratios["b_over_a"] <= TARGET_B_OVER_A,
        "b_30x_faster_than_c": None if ratios["c_over_b"] is None else ratios["c_over_b"] >= TARGET_C_OVER_B,
        "b_memory_under_3x_file": None
        if ratios["b_peak_rss_over_file"] is None
        else ratios["b_peak_rss_over_file"] < TARGET_RSS_OVER_FILE,
    }
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "versions": _versions(),
        "data": str(args.data),
        "activities_file": activities.name,
        "activities_bytes": file_bytes,
        "activities_rows": a["rows"],
        "export_bytes": export_bytes,
        "a_pyarrow": a,
        "b_validate": b,
        "c_frictionless": c,
        "f_floors": f,
        "ratios": ratios,
        "targets": {
            "b_over_a_max": TARGET_B_OVER_A,
            "c_over_b_min": TARGET_C_OVER_B,
            "b_peak_rss_over_file_max": TARGET_RSS_OVER_FILE,
        },
        "passed": passed,
    }
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    def ok(flag: bool | None) -> str:
        return "n/a" if flag is None else ("PASS" if flag else "FAIL")

    def ratio(value: float | None, unit: str = "x") -> str:
        return "-" if value is None else f"{value:.2f}{unit}"

    mb = 1024 * 1024
    b_note = b.get("error") or (
        "skipped"
        if b.get("skipped")
        else f"exit {b['exit_code']}, {b['findings']:,} findings, planted found {b.get('planted_found', '-')}"
    )
    c_note = c.get("error") or (
        "skipped"
        if c.get("skipped")
        else f"{c['slice_rows']:,} rows in {c['slice_seconds']:.2f} s, x{c['scale']:.0f}"
    )
    rows = [
        (
            "(a) pyarrow read -> pandas",
            _fmt(a["seconds"]),
            _fmt(a["cpu_seconds"]),
            f"{a['peak_rss_bytes'] / mb:,.0f} MiB",
            f"median of {len(a['seconds_all'])}, {a['rows']:,} rows",
        ),
        (
            "(b) migration-assistant validate",
            _fmt(b_s),
            _fmt(b["cpu_seconds"] if b_s else None),
            f"{b['peak_rss_bytes'] / mb:,.0f} MiB" if b_s else "-",
            b_note,
        ),
        ("(c) frictionless, scaled to all rows", _fmt(c_s), _fmt(c.get("cpu_seconds")), "-", c_note),
    ]
    floor_rows = [
        ("read_export", "(f) start + read the export, no check", "every file, fingerprints included"),
        ("stream_activities", "(f) stream activities, keep nothing", "1 MiB batches; the memory floor"),
        ("imports_only", "(f) start + load the engine only", "interpreter and libraries"),
        ("stream_compact", "(f) others whole + activities compact", "a streaming design's floor"),
    ]
    for key, name, note in floor_rows if not f.get("skipped") else []:
        floor = f[key]
        rows.append(
            (
                name,
                _fmt(floor["seconds"]),
                _fmt(floor["cpu_seconds"]),
                f"{floor['peak_rss_bytes'] / mb:,.0f} MiB",
                floor.get("error")
                or f"{note}; {floor['seconds'] / a['seconds']:.1f}x (a), "
                f"{floor['peak_rss_bytes'] / file_bytes:.1f}x file",
            )
        )
    inside = f.get("validate_in_process", {})
    if inside:
        rows.append(
            (
                "(b') validate in-process, engine loaded",
                _fmt(inside.get("seconds")),
                "-",
                "-",
                inside.get("error")
                or f"median of {len(inside['seconds_all'])}; {inside['seconds'] / a['seconds']:.1f}x (a)",
            )
        )
    print()
    print(f"{'measure':38} {'wall':>10} {'CPU':>10} {'peak RSS':>10}  note")
    for name, wall, cpu, rss, note in rows:
        print(f"{name:38} {wall:>10} {cpu:>10} {rss:>10}  {note}")
    print()
    print(
        f"(b) / (a)                  {ratio(ratios['b_over_a']):>8}  target <= {TARGET_B_OVER_A:g}x   "
        f"{ok(passed['b_within_4x_a'])}"
    )
    print(
        f"(c) / (b)                  {ratio(ratios['c_over_b']):>8}  target >= {TARGET_C_OVER_B:g}x  "
        f"{ok(passed['b_30x_faster_than_c'])}"
    )
    print(
        f"peak RSS (b) / file size   {ratio(ratios['b_peak_rss_over_file']):>8}  target < "
        f"{TARGET_RSS_OVER_FILE:g}x    {ok(passed['b_memory_under_3x_file'])}"
    )
    print(f"peak RSS (a) / file size   {ratio(ratios['a_peak_rss_over_file']):>8}  (the reading floor)")
    if ratios["c_over_b_per_row_validated"] is not None:
        print(
            f"(c) / (b) per row validated {ratio(ratios['c_over_b_per_row_validated'])} "
            f"((b) checks {ratios['b_rows_validated']:,} rows in all nine files; the target counts activities only)"
        )
    print(
        f"CPU time: (b) / (a) {ratio(ratios['b_over_a_cpu'])}, (c) / (b) {ratio(ratios['c_over_b_cpu'])} "
        "(less sensitive to a busy machine; (b) may use both cores)"
    )
    load = results["machine"]["load_average_after"]
    print(
        f"load average {load_before[0]:.2f} before, {load[0]:.2f} after, on {os.cpu_count()} CPUs "
        "(other work on the machine slows (b) and (c) more than the short (a))"
    )
    print(f"\nwrote {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
