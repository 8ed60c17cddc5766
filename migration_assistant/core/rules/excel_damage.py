"""Excel damage to identifiers: IDs turned into dates or into scientific notation.

(Leading zeros stripped from IDs are found by the foreign-key rule, which can
prove it: the reference only matches once the zeros are restored.)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migration_assistant.core.cell_bytes import contains_any_byte
from migration_assistant.core.findings import Severity
from migration_assistant.core.normalise import masks_by_distinct
from migration_assistant.core.rules.base import CheckContext, rule

_SCIENTIFIC = r"^\d(?:\.\d+)?[eE]\+\d+$"
_DATE_LIKE = (
    r"^\d{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:-\d{2,4})?$"
    r"|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-\d{2,4}$"
    r"|^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}/\d{2,4}$"
)


def _id_fields(ctx: CheckContext) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for data in ctx.dataset.entities.values():
        keys = {data.entity.primary_key} | {fk.field for fk in data.entity.foreign_keys}
        keys |= {f.name for f in data.entity.fields if f.name.endswith(("_number", "_id"))}
        out.extend((data.name, k) for k in sorted(keys) if k in data.present)
    return out


def _matches(pattern: str) -> Callable[[pa.Array], np.ndarray]:
    """A per-cell test: the trimmed, lower-cased cell matches *pattern*."""

    def test(values: pa.Array) -> np.ndarray:
        cleaned = pc.utf8_lower(pc.utf8_trim_whitespace(values))
        return np.asarray(
            pc.match_substring_regex(cleaned, pattern).to_numpy(zero_copy_only=False), dtype=bool
        )

    return test


@rule("id-damaged", Severity.ERROR, "An ID changed by Excel", slow=True)
def id_damaged(ctx: CheckContext) -> None:
    """IDs and matter numbers that Excel turned into scientific notation (1.23E+15) or into a date
    (matter 16-1001 shown as a date), when the rest of the column does not look like that."""
    for entity_name, field in _id_fields(ctx):
        data = ctx.dataset.entities[entity_name]
        # A quick byte test first: most ID columns hold no "+", "/" or "-" at all, and then the
        # column is done without lower-casing a million cells.
        if not contains_any_byte(data.text(field), b"+/-"):
            continue
        sci, datey = masks_by_distinct(data.text(field), _matches(_SCIENTIFIC), _matches(_DATE_LIKE))
        if not sci.any() and not datey.any():
            continue
        ctx.flag(
            data,
            sci,
            rule="id-damaged",
            severity=Severity.ERROR,
            field=field,
            message=lambda c: (
                f"“{c['value']}” is an ID in scientific notation: Excel rounded a long number, "
                "so the real ID is lost."
            ),
            hint="Export again without opening the file in Excel, or format the column as Text before pasting.",
        )
        filled = (data.stripped(field) != "").to_numpy()
        if datey.any() and datey.sum() <= 0.5 * filled.sum():
            ctx.flag(
                data,
                datey,
                rule="id-damaged",
                severity=Severity.ERROR,
                field=field,
                message=lambda c: (
                    f"“{c['value']}” looks like a date, not an ID: Excel probably turned an ID such as "
                    "“16-1001” into a date."
                ),
                hint="Find the original ID in the old system; in future, do not open the export in Excel.",
            )
