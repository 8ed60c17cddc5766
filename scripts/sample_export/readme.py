"""The sample's README: its files and every planted problem, in Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripts.sample_export.common import FIRM_NAME, Firm
from scripts.sample_export.files import FileSpec


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sample_readme(firm: Firm, problems: Sequence[dict[str, Any]], layout: dict[str, FileSpec]) -> str:
    files = "\n".join(
        f"| `{layout[e].name}` | {e} | {len(firm[e]):,} | {_describe_file(e, layout[e])} |" for e in layout
    )
    table = "\n".join(
        f"| {i} | `{x['file']}` | {x['row']} | {x['column']} | {_md(x['problem'])} | `{x['id']}` |"
        for i, x in enumerate(problems, start=1)
    )
    return f"""# The bundled sample export

`sample-firm/` is what a fictional Toronto firm, **{FIRM_NAME}**, got out of its old
practice-management system: nine files, named the way a firm names them (the app
has to recognise each file's role from its headers, not from its name). The folder
holds the export files only; this README is documentation.

Do not edit the files by hand: they are generated, byte for byte the same on every
run, by

    .venv/bin/python scripts/make_sample_export.py

which also rewrites this README and `tests/data/sample_expected_problems.json` (the
planted problems below, for the tests). The data is invented; any resemblance to
real people is coincidence. Phone numbers are 555-01xx numbers and e-mail domains
are `example.com`-style or end in `.example`.

## Files

| file | entity | records | how it is written |
|---|---|---:|---|
{files}

Apart from the planted problems the data is consistent: every reference resolves,
Amount = Hours × Rate, each invoice's Total is the sum of the entries billed on it
(the firm bills every six months; voided-and-reissued and draft invoices exist),
trust balances never go below zero (per client or per matter), nobody records more
than about 10 hours a day, matters close after they open. The export was taken on
11/14/2025: nothing is dated later except calendar events and due dates. Time and
expenses carry a few multi-line descriptions (quoted embedded newlines), commas and
quotes; contacts
carry multi-line notes, apostrophes and accents (O'Brien, Núñez, Zoë), plus-addressed
e-mails and phone numbers in several formats; matters opened before 2020 keep the old
system's zero-padded numbers (`000123`), later ones are `YYYY-NNNN`.

## Planted problems

Rows are spreadsheet rows: the header is row 1 and the first record row 2, except in
`Invoices.xlsx`, where a title row and a blank row put the header on row 3 and the first
record on row 4. A quoted multi-line cell is still one row.

| # | file | row | column | problem | id |
|---:|---|---:|---|---|---|
{table}

The duplicate contact ID, the same-person pair, the overdrawn trust balance and the
day over 24 hours are relation problems: they are listed at the row that breaks the
rule (the later duplicate, the withdrawal that takes the balance below zero, the
entry that takes the day past 24 hours). A few problems name two cells of one record
(the garbled name, the negative entry); each cell is listed.
"""


def _describe_file(entity: str, spec: FileSpec) -> str:
    parts = []
    if spec.is_workbook:
        parts.append(
            f'Excel workbook; title "{spec.title}" in row 1, row 2 blank, header in row 3; '
            "dates and amounts are real Excel dates and numbers, invoice numbers are numbers"
        )
    else:
        encoding = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}[spec.encoding]
        ending = "CRLF" if spec.newline == "\r\n" else "LF"
        parts.append(f"CSV, {encoding}, {ending} line endings")
    if entity == "notes":
        parts.append("ISO dates (YYYY-MM-DD)")
    elif entity == "calendar":
        parts.append("MM/DD/YYYY HH:MM")
    elif not spec.is_workbook and entity != "contacts" and entity != "users":
        parts.append("MM/DD/YYYY dates")
    return "; ".join(parts)
