"""The time of day, small beside the status line: the room's clock, in presentation mode too."""

from __future__ import annotations

from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed


class TimeOfDay(SessionView, Static):
    """``HH:MM`` from the session's clock, redrawn when the minute changes."""

    def show(self, session: Session) -> None:
        update_if_changed(self, hhmm(session.clock.wall()))
