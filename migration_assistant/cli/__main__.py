"""Allows ``python -m migration_assistant.cli`` (as ``python -m migration_assistant``)."""

from migration_assistant.cli import run

run()
