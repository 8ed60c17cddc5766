"""phonenumbers for the frozen app: the number metadata, not the geocoder, carrier or time-zone tables.

Overrides pyinstaller-hooks-contrib's hook (user hooks take precedence), which collects every
submodule, about 45 MB of source the app never imports: it only parses numbers and asks
whether they are possible (``migration_assistant.core.rules.contacts``). The per-region
metadata (``phonenumbers.data``, ``phonenumbers.shortdata``) is imported by name, so it is
listed here.
"""

from PyInstaller.utils.hooks import collect_submodules

_UNUSED = (
    "phonenumbers.geodata",
    "phonenumbers.carrierdata",
    "phonenumbers.tzdata",
    "phonenumbers.geocoder",
    "phonenumbers.carrier",
    "phonenumbers.timezone",
)

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: not name.startswith(_UNUSED))
