"""The end screen's summary: the session is over, how long it really took, where its record is."""

from __future__ import annotations

import re
from pathlib import Path

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.texts import clock_text, drift_text, time_of_day, whole_seconds
from atelier_timer.ui.widgets.session_view import SessionView


def path_lines(path: str, width: int) -> list[str]:
    """``path`` in lines of at most ``width`` cells, broken after a ``/`` or a ``-`` (a part longer than a
    whole line, and only then, is cut where it must be), so that no name is cut mid-word."""
    lines = [""]
    for part in re.findall(r"[^/-]*[/-]|[^/-]+$", path):
        while len(part) > width > 0 and not lines[-1]:
            lines[-1], part = part[:width], part[width:]
            lines.append("")
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return [line for line in lines if line]


class EndSummary(SessionView, Static):
    """Shown in place of the countdown once the session is finished."""

    record_path: var[Path | None] = var(None, init=False)

    def watch_record_path(self) -> None:
        if self.session is not None:
            self.show(self.session)

    def on_resize(self) -> None:
        if self.session is not None:
            self.show(self.session)

    def show(self, session: Session) -> None:
        if not session.finished:
            return
        t = self.app.t
        actual = whole_seconds(session.session_elapsed())  # as the status line and the record count it
        planned = session.agenda.total
        hours = max(actual, planned) >= 3600
        lines = [
            Content.from_markup("[b $success]$done[/]", done=t("finished")),
            Content(""),
            Content(
                t(
                    "end.duration",
                    actual=clock_text(actual, hours),
                    planned=clock_text(planned, hours),
                )
            ),
            Content(t("end.times", start=time_of_day(session.started_wall or 0), end=time_of_day(session.ended_wall or 0))),
            # The status line's drift, under it: the same planned end, the same minutes.
            Content(t("end.planned", planned=time_of_day(session.planned_end()), drift=drift_text(session.drift_minutes()))),
        ]
        if self.record_path is not None:
            lines.append(Content(t("end.record")))  # the path on lines of its own, broken between its names
            width = self.content_size.width or 1_000
            lines += [Content.styled(line, "b") for line in path_lines(str(self.record_path), width)]
        lines += [Content(""), Content.styled(t("end.keys.viewer" if self.app.read_only else "end.keys"), "dim")]
        self.update(Content("\n").join(lines))
