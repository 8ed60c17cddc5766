"""Report writers: the HTML page for people, the Excel workbook to fix from.

Both render a finished :class:`~migration_assistant.core.results.ValidationResult`
and write atomically; neither changes the findings.
"""

from migration_assistant.core.reports.html_report import Verdict, render_html, verdict, write_html
from migration_assistant.core.reports.xlsx_report import write_xlsx

__all__ = ["Verdict", "render_html", "verdict", "write_html", "write_xlsx"]
