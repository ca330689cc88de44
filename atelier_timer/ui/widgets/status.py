"""The status line: step N/M, remaining, elapsed, planned and projected ends, drift."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.texts import clock_text, countdown_text, drift_text, time_of_day, whole_seconds
from atelier_timer.ui.widgets.session_view import SessionView


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
        elapsed=clock_text(whole_seconds(session.session_elapsed())),
        planned=time_of_day(session.planned_end()),
        projected=time_of_day(session.projected_end()),
        drift=drift_text(session.drift_minutes()),
    )


CLOCK_GAP = 2  # spaces at least between the status and the time of day, which would read as one of its parts


class StatusLine(SessionView, Static):
    """The line under the stage, the time of day at the end of its first row (the room's clock, in
    presentation mode too). Redrawn when its text changes; too narrow, it wraps between its parts."""

    _parts: tuple[str, ...] = ()
    _clock = ""
    _drawn: tuple | None = None

    def show(self, session: Session) -> None:
        self._parts = tuple(status_text(session, self.app.t).split(" · "))
        self._clock = time_of_day(session.clock.wall())
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_size.width or 1_000
        lines = self.lines_at(width - len(self._clock) - CLOCK_GAP)
        drawn = (width, tuple(lines), self._clock)
        if drawn == self._drawn:
            return
        # A new layout of the whole screen costs more than the redraw: only when the rows may change.
        layout = self._drawn is None or len(self._drawn[1]) != len(lines)
        self._drawn = drawn
        first = Content.assemble(lines[0].ljust(width - len(self._clock)), (self._clock, "$text-muted"))
        self.update(Content("\n").join([first, *map(Content, lines[1:])]), layout=layout)

    def rows_at(self, width: int) -> int:
        """How many rows the line takes in ``width`` cells (the widget's own width, padding included)."""
        return len(self.lines_at(width - self.styles.gutter.width - len(self._clock) - CLOCK_GAP))

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
