"""The wizard's pages, one module each, registered in order by :data:`PAGES`.

To add a page (Export guide, Map columns, Limitations, Package): write a
:class:`~migration_assistant.gui.pages.base.WizardPage` subclass whose ``PAGE_ID`` is
its slot in :mod:`.ids`, and add the class here.
"""

from __future__ import annotations

from migration_assistant.gui.pages.base import AppContext, WizardPage
from migration_assistant.gui.pages.check import CheckPage
from migration_assistant.gui.pages.done import DonePage
from migration_assistant.gui.pages.export_guide import ExportGuidePage
from migration_assistant.gui.pages.files import FilesPage
from migration_assistant.gui.pages.limitations import LimitationsPage
from migration_assistant.gui.pages.map_columns import MapColumnsPage
from migration_assistant.gui.pages.package import PackagePage
from migration_assistant.gui.pages.review import ReviewPage
from migration_assistant.gui.pages.source import SourcePage
from migration_assistant.gui.pages.welcome import WelcomePage

PAGES: tuple[type[WizardPage], ...] = tuple(
    sorted(
        (
            WelcomePage,
            SourcePage,
            ExportGuidePage,
            FilesPage,
            MapColumnsPage,
            CheckPage,
            ReviewPage,
            LimitationsPage,
            PackagePage,
            DonePage,
        ),
        key=lambda p: p.PAGE_ID,
    )
)

__all__ = ["PAGES", "AppContext", "WizardPage"]
