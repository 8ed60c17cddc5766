"""“Where is your firm?”: country and state/province, for the public holidays the timeline skips."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from migration_assistant.gui.firm_place import COMMON, countries, store_place, subdivisions
from migration_assistant.gui.state import WizardState

WHOLE_COUNTRY = "The whole country (national holidays)"


class FirmPlaceBox(QWidget):
    """Two dropdowns bound to ``WizardState.firm_country``/``firm_subdiv`` (and the settings)."""

    def __init__(self, state: WizardState, settings: QSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firmPlace")
        self._state = state
        self._settings = settings
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.country = QComboBox()
        self.country.setAccessibleName("Country of your firm")
        self.country.setMaxVisibleItems(20)
        names = dict(countries())
        for code in COMMON:
            if code in names:
                self.country.addItem(names[code], code)
        self.country.insertSeparator(self.country.count())
        for code, name in countries():
            self.country.addItem(name, code)
        self.subdiv = QComboBox()
        self.subdiv.setAccessibleName("State or province of your firm")
        self.subdiv.setMaxVisibleItems(20)
        # Wide enough for its longest choice, "The whole country (national holidays)", uncut.
        self.subdiv.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        country_label = QLabel("Co&untry:")
        country_label.setBuddy(self.country)
        self.subdiv_label = QLabel("State or pro&vince:")
        self.subdiv_label.setBuddy(self.subdiv)
        layout.addWidget(country_label)
        layout.addWidget(self.country)
        layout.addSpacing(12)
        layout.addWidget(self.subdiv_label)
        layout.addWidget(self.subdiv)
        layout.addStretch(1)
        self._show(state.firm_country, state.firm_subdiv)
        self.country.currentIndexChanged.connect(self._on_country)
        self.subdiv.currentIndexChanged.connect(self._on_subdiv)
        state.firm_place_changed.connect(lambda: self._show(state.firm_country, state.firm_subdiv))

    def _show(self, country: str, subdiv: str | None) -> None:
        self.country.blockSignals(True)
        self.country.setCurrentIndex(max(0, self.country.findData(country)))
        self.country.blockSignals(False)
        self._fill_subdivs(country, subdiv)

    def _fill_subdivs(self, country: str, subdiv: str | None) -> None:
        self.subdiv.blockSignals(True)
        self.subdiv.clear()
        options = subdivisions(country)
        self.subdiv.addItem(WHOLE_COUNTRY, None)
        for code, name in options:
            self.subdiv.addItem(name, code)
        self.subdiv.setCurrentIndex(max(0, self.subdiv.findData(subdiv)) if subdiv else 0)
        self.subdiv.blockSignals(False)
        self.subdiv.setVisible(bool(options))
        self.subdiv_label.setVisible(bool(options))

    def _on_country(self) -> None:
        country = self.country.currentData()
        if not country:
            return
        self._fill_subdivs(country, None)
        self._commit()

    def _on_subdiv(self) -> None:
        self._commit()

    def _commit(self) -> None:
        country = self.country.currentData()
        subdiv = self.subdiv.currentData() or None
        store_place(self._settings, country, subdiv)
        self._state.set_firm_place(country, subdiv)
