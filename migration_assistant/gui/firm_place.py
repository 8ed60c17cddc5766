"""Where the firm is: the country and state/province whose public holidays the timeline skips.

The choices are the ones the ``holidays`` library supports (countries by ISO code, and
their subdivisions), named in English. The choice is remembered in the app's settings
(the default for the next export) and in the session.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QLocale, QSettings, QTimeZone

from migration_assistant.gui.state import DEFAULT_COUNTRY

COUNTRY_KEY = "firm/country"
SUBDIV_KEY = "firm/subdiv"
COMMON = ("US", "CA", "GB", "AU", "NZ", "IE")
"""Listed first: where the firms we serve mostly are."""
SAMPLE_PLACE = ("CA", "ON")
"""Where the bundled sample firm is (Toronto: resources/samples/README.md), for its timeline."""


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(ISO code, English name) of every country with known public holidays, by name."""
    import holidays

    out = []
    for code in holidays.list_supported_countries(include_aliases=False):
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else code
        out.append((code, name or code))
    return tuple(sorted(out, key=lambda pair: pair[1].casefold()))


@cache
def subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the states/provinces with their own holidays ("" list when none)."""
    import holidays

    codes = holidays.list_supported_countries(include_aliases=False).get(country, [])
    if not codes:
        return ()
    try:
        aliases = getattr(holidays.country_holidays(country).__class__, "subdivisions_aliases", {}) or {}
    except NotImplementedError:
        aliases = {}
    names: dict[str, str] = {}
    for name, code in aliases.items():
        names.setdefault(code, name)  # the first alias is the English name
    return tuple(sorted(((c, names.get(c, c)) for c in codes), key=lambda pair: pair[1].casefold()))


def country_name(code: str) -> str:
    return dict(countries()).get(code, code)


def place_name(country: str, subdiv: str | None) -> str:
    """ "Ontario, Canada", or "United States"."""
    if subdiv:
        return f"{dict(subdivisions(country)).get(subdiv, subdiv)}, {country_name(country)}"
    return country_name(country)


def default_country() -> str:
    """The computer's own country when its holidays are known, else the United States.

    The country comes from the system's locale, or, when the locale names none (a "C" or plain
    "en" locale, common on Linux), from its time zone (America/Toronto is Canada).
    """
    known = dict(countries())
    for territory in (QLocale.system().territory(), QTimeZone.systemTimeZone().territory()):
        if territory != QLocale.Country.AnyTerritory:
            code = QLocale.territoryToCode(territory)
            if code in known:
                return code
    return DEFAULT_COUNTRY


def place_is_chosen(settings: QSettings | None) -> bool:
    """True once the user picked the firm's place (it is remembered in *settings*)."""
    return settings is not None and bool(settings.value(COUNTRY_KEY, ""))


def load_place(settings: QSettings | None) -> tuple[str, str | None]:
    """The remembered place (or the computer's country)."""
    if settings is None:
        return default_country(), None
    country = str(settings.value(COUNTRY_KEY, "") or "")
    subdiv = str(settings.value(SUBDIV_KEY, "") or "") or None
    if country not in dict(countries()):
        return default_country(), None
    if subdiv is not None and subdiv not in dict(subdivisions(country)):
        subdiv = None
    return country, subdiv


def store_place(settings: QSettings | None, country: str, subdiv: str | None) -> None:
    if settings is None:
        return
    settings.setValue(COUNTRY_KEY, country)
    settings.setValue(SUBDIV_KEY, subdiv or "")
    settings.sync()
