"""What every part of the screen shares: it is handed the session and redraws only what changed."""

from __future__ import annotations

import textwrap

from textual.reactive import var
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.texts import time_of_day as hhmm  # noqa: F401 - ui/app.py and ui/screens.py import it from here


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


def wrap_lines(text: str, width: int, rows: int) -> list[str]:
    """``text`` wrapped to ``width`` on at most ``rows`` lines; what does not fit ends with "…"."""
    lines = textwrap.wrap(text, width, break_long_words=False) or [""]
    if len(lines) > rows:
        lines = lines[: rows - 1] + [" ".join(lines[rows - 1 :])]
    return [line if len(line) <= width else _cut(line, width) for line in lines]


def _cut(line: str, width: int) -> str:
    """``line`` cut to ``width`` with "…", at the last word boundary when there is one."""
    head = line[: width - 1]
    if " " in head and line[width - 1] != " ":
        head = head[: head.rindex(" ")]
    return head.rstrip() + "…"
