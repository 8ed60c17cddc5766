"""Fixed facts of the sample firm (name, export date, seed), where the sample is written, the array types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "resources" / "samples" / "sample-firm"
SAMPLE_README = ROOT / "resources" / "samples" / "README.md"
EXPECTED_JSON = ROOT / "tests" / "data" / "sample_expected_problems.json"
SCHEMA_JSON = ROOT / "resources" / "schema" / "migration-schema.json"

FIRM_NAME = "Harbourview Legal LLP"
FIRM_DOMAIN = "harbourviewlegal.example"
SEED = 20251114
AS_OF = np.datetime64("2025-11-14", "D")
"""The day the firm ran its export: nothing in the files is dated later, except future
calendar events and task due dates."""
FIRST_MATTER_DAY = np.datetime64("2017-01-03", "D")
YEAR_NUMBERING_FROM = np.datetime64("2020-01-01", "D")
"""Matters opened earlier keep the old system's zero-padded numbers ("000123")."""
BILLING_MONTHS = 6

SAMPLE_SIZES: dict[str, int] = {
    "n_users": 12,
    "n_contacts": 300,
    "n_matters": 350,
    "n_activities": 4_000,
    "n_trust": 600,
    "n_events": 200,
    "n_tasks": 150,
    "n_notes": 250,
}

# The template headers, in the schema's order: the schema is the one place they are written.
HEADERS: dict[str, list[str]] = {
    resource["name"]: [f["title"] for f in resource["schema"]["fields"]]
    for resource in json.loads(SCHEMA_JSON.read_text(encoding="utf-8"))["resources"]
}
"""The template headers of DESIGN.md, entity by entity, in template order."""

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DayArray = npt.NDArray[np.datetime64]
TextArray = npt.NDArray[Any]
Firm = dict[str, pd.DataFrame]
