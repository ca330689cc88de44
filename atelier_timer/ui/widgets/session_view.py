"""What every part of the screen shares: it is handed the session and redraws only what changed."""

from __future__ import annotations

from datetime import datetime

from textual.reactive import var
from textual.widgets import Static

from atelier_timer.session import Session


class SessionView:
    """A part of the screen drawn from the session.

    The app hands it the session (``widget.session = session``) after every change and at every tick;
    the widget compares what it would show with what it shows, and redraws only when they differ, so a
    tick that changes one second of the countdown repaints nothing else.
    """

    session: var[Session | None] = var(None, always_update=True, init=False)

    def watch_session(self, session: Session | None) -> None:
        if session is not None:
            self.show(session)

    def show(self, session: Session) -> None:
        """Bring the widget up to date with ``session``."""
        raise NotImplementedError


def update_if_changed(widget: Static, text: str) -> None:
    """Show ``text`` in ``widget`` unless it already shows it (an unchanged update still redraws)."""
    shown = getattr(widget, "_shown", None)
    if shown != text:
        widget._shown = text
        # A new layout of the whole screen costs more than the redraw: only when the size may change.
        widget.update(text, layout=shown is None or len(shown) != len(text))


def hhmm(wall: float) -> str:
    """A wall time as the room reads it: local hours and minutes."""
    return datetime.fromtimestamp(wall).strftime("%H:%M")
