"""Notices (export done, journal failure...) on a line of their own under the stage, never over the digits."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

SHOWN = 3  # notices at once, the newest last


class Notices(Static):
    """The last few notices, each for its own time; the line takes no room when there is none."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._notices: list[tuple[int, str, str]] = []  # (serial, message, severity)
        self._serial = 0

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
        self.display = bool(self._notices)
        styles = {"error": "b $error", "warning": "b $warning"}
        lines = [Content.styled(f"● {message}", styles.get(severity, "")) for _, message, severity in self._notices]
        self.update(Content("\n").join(lines))
