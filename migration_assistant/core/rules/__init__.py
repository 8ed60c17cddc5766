"""Every check, registered on import. The order of modules is the order findings are produced."""

from migration_assistant.core.rules import (  # noqa: F401  (imported to register the rules)
    contacts,
    dates,
    excel_damage,
    money,
    schema_rules,
    text_cells,
    trust,
)
from migration_assistant.core.rules.base import REGISTRY, CheckContext, Rule

__all__ = ["REGISTRY", "CheckContext", "Rule"]
