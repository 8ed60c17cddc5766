"""The window shown while the wizard loads.

Loading the wizard means loading the engine behind it (pandas, pyarrow, numpy: some 60 MB
of libraries), which takes about a second on a warm machine and several on an office
laptop just switched on. Until then the user would see nothing and might start the app
twice. This window needs Qt only, so it is up as soon as the QApplication exists; it names
the app, says it is starting, and closes when the wizard appears. It shows no data.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, QRect, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

from migration_assistant import APP_NAME, __version__

STARTING = "Getting ready… this can take a few seconds."
EXPOSE_WAIT_S = 0.5
"""How long to wait for the window system to show the splash before loading on regardless."""


def _pixmap(app: QApplication) -> QPixmap:
    """The splash drawn with the app's own font and palette, sharp at any screen scale."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    font = app.font()
    title_font = QFont(font)
    title_font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
    title_font.setBold(True)
    # Sized from the font (never fixed pixels), so 200 % text scaling still fits.
    em = max(font.pointSizeF(), 9.0) * 96 / 72
    width, height = int(em * 34), int(em * 9)
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    palette = app.palette()
    pixmap.fill(palette.color(QPalette.ColorRole.Window))
    painter = QPainter(pixmap)
    try:
        painter.setPen(QColor("#7a8a99"))
        painter.drawRect(0, 0, width - 1, height - 1)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        margin = int(em * 1.5)
        painter.setFont(title_font)
        painter.drawText(
            QRect(margin, margin, width - 2 * margin, int(em * 2.5)),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            APP_NAME,
        )
        painter.setFont(font)
        painter.drawText(
            QRect(margin, margin + int(em * 2.7), width - 2 * margin, int(em * 3)),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
            f"{STARTING}\nVersion {__version__}",
        )
    finally:
        painter.end()
    return pixmap


def show_splash(app: QApplication) -> QLabel:
    """Show the splash at once (painted before returning); close it once the wizard is shown.

    A frameless splash-screen window rather than ``QSplashScreen``, whose ``show()`` waits up to
    a second for the window system (measured on X11 without a window manager): that second
    would be added to every start.
    """
    splash = QLabel()
    splash.setObjectName("startingSplash")
    splash.setWindowFlags(
        Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    )
    splash.setPixmap(_pixmap(app))
    splash.setAccessibleName(f"{APP_NAME} is starting")
    splash.adjustSize()
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        frame = splash.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        splash.move(frame.topLeft())
    splash.show()
    # Paint now: the imports that follow hold the event loop for a second or more. The window
    # system maps the window asynchronously, so wait (briefly) until it can be painted.
    deadline = time.monotonic() + EXPOSE_WAIT_S
    handle = splash.windowHandle()
    while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    splash.repaint()
    app.processEvents()
    return splash
