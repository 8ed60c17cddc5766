"""Regenerate resources/templates from the canonical schema (run after editing the schema)."""

from __future__ import annotations

from pathlib import Path

from migration_assistant.core.templates import write_templates

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "resources" / "templates"
    for path in write_templates(out):
        print(path.relative_to(out.parents[1]))
