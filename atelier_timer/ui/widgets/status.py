"""The status line: step N/M, remaining, elapsed, planned and projected ends, drift."""

from __future__ import annotations

import math

from textual.widgets import Static

from atelier_timer.session import Session, clock_text, countdown_text, drift_text
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed


def status_text(session: Session, t) -> str:
    """The status line's plain text."""
    return t(
        "status",
        n=session.index + 1,
        m=len(session.durations),
        remaining=countdown_text(session.remaining()),
        elapsed=clock_text(math.floor(session.session_elapsed())),
        planned=hhmm(session.planned_end()),
        projected=hhmm(session.projected_end()),
        drift=drift_text(session.drift_minutes()),
    )


class StatusLine(SessionView, Static):
    """One line under the stage, redrawn when its text changes."""

    def show(self, session: Session) -> None:
        update_if_changed(self, status_text(session, self.app.t))
