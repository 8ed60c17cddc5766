"""Page ids: the order of the wizard. Gaps are left where later pages slot in.

QWizard walks pages in increasing id, so a new page only needs an id between its
neighbours and an entry in :data:`migration_assistant.gui.wizard.PAGES`.
"""

WELCOME = 10
SOURCE = 20
EXPORT_GUIDE = 25  # the step-by-step export guide of the chosen system
FILES = 30
MAP_COLUMNS = 35  # map columns (review and override suggested column matches)
CHECK = 40
REVIEW = 50
LIMITATIONS = 60  # the limitations checklist to acknowledge
PACKAGE = 70  # later: seal the package for the specialist
DONE = 90
