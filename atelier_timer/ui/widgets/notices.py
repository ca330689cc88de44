"""Notices (export done, journal failure...) in the key bar's row while they last, never over the digits.

One row, whatever comes: the newest notice replaces the one before it (a burst of ``+``, ``-`` and a
sound fallback never takes the countdown's rows), and a notice too long for the row ends with "…"."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

SHOWN = 1  # notices at once: the newest


class Notices(Static):
    """The newest notice, for its own time; while there is one, the screen has the class ``-notice``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._notices: list[tuple[int, str, str]] = []  # (serial, message, severity)
        self._serial = 0

    @property
    def messages(self) -> list[str]:
        """The notices shown now, the newest last."""
        return [message for _, message, _ in self._notices]

    def add(self, message: str, severity: str, timeout: float) -> None:
        self._serial += 1
        serial = self._serial
        self._notices = [*self._notices, (serial, message, severity)][-SHOWN:]
        self.set_timer(timeout, lambda: self._expire(serial))
        self._redraw()

    def _expire(self, serial: int) -> None:
        self._notices = [notice for notice in self._notices if notice[0] != serial]
        self._redraw()

    def _redraw(self) -> None:
        self.screen.set_class(bool(self._notices), "-notice")
        styles = {"error": "b $error", "warning": "b $warning"}
        lines = [Content.styled(f"● {message}", styles.get(severity, "")) for _, message, severity in self._notices]
        self.update(Content("\n").join(lines))
