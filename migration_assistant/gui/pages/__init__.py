"""The wizard's pages, one module each, in the order of :data:`migration_assistant.gui.wizard.PAGES`.

A page follows the contract in :mod:`.base` and talks to the window only through the
navigator in its :class:`~migration_assistant.gui.pages.base.AppContext`, so no page
imports the wizard, and this package imports none of its pages.
"""
