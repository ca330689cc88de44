"""The status line: step N/M, remaining, elapsed, planned and projected ends, drift."""

from __future__ import annotations

import math

from textual.widgets import Static

from atelier_timer.session import Session, clock_text, countdown_text, drift_text
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed


def step_time(session: Session, t) -> str:
    """What is left of the step (``reste 04:12``), how far over it is (``dépassé +00:03``), that it is over, or hidden."""
    if session.finished:
        return t("state.finished")
    if session.hidden:  # the room must not read on the status line what the digits keep from it
        return t("status.hidden")
    remaining = session.remaining()
    return f"{t('status.over' if remaining < 0 else 'status.left')} {countdown_text(remaining)}"


def status_text(session: Session, t) -> str:
    """The status line's plain text."""
    return t(
        "status",
        n=session.index + 1,
        m=len(session.durations),
        where=step_time(session, t),
        elapsed=clock_text(math.floor(session.session_elapsed())),
        planned=hhmm(session.planned_end()),
        projected=hhmm(session.projected_end()),
        drift=drift_text(session.drift_minutes()),
    )


class StatusLine(SessionView, Static):
    """One line under the stage, redrawn when its text changes; too narrow, it wraps between its parts."""

    _parts: tuple[str, ...] = ()

    def show(self, session: Session) -> None:
        self._parts = tuple(status_text(session, self.app.t).split(" · "))
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        update_if_changed(self, "\n".join(self.lines_at(self.content_size.width or 1_000)))

    def lines_at(self, width: int) -> list[str]:
        """The line's rows at ``width``. Wrapped by hand: Rich would break anywhere, "(+5" on one row
        and "min)" on the next."""
        lines, line = [], ""
        for part in self._parts:
            joined = f"{line} · {part}" if line else part
            if line and len(joined) > width:
                lines.append(line)
                line = part
            else:
                line = joined
        lines.append(line)
        return lines
