"""Now and next: the step that follows, its speaker and when it should begin."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.texts import time_of_day
from atelier_timer.ui.widgets.session_view import SessionView


def next_start(session: Session) -> float:
    """When the next step should begin, as things stand (wall time); before the slot's start, from it."""
    return max(session.clock.wall(), session.expected_start()) + max(session.remaining(), 0.0)


class NowNext(SessionView, Static):
    """One line under the countdown: « Ensuite · 12:16 › title — speaker », or the projected end on the last step."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def show(self, session: Session) -> None:
        t = self.app.t
        if session.finished:
            shown: tuple = ()
        elif session.index + 1 < len(session.agenda.steps):
            step = session.agenda.steps[session.index + 1]
            shown = (t("next"), step.title, step.speaker or "", time_of_day(next_start(session)))
        else:
            shown = (t("last_step", end=time_of_day(session.projected_end())),)
        if shown == self._shown:
            return
        self._shown = shown
        if len(shown) < 4:  # finished (nothing), or the last step (its projected end)
            self.update(Content.styled("".join(shown), "dim"))
            return
        label, title, speaker, start = shown
        self.update(
            Content.from_markup(
                "[dim]$label · $start ›[/] [b]$title[/]" + (" — $speaker" if speaker else ""),
                label=label,
                title=title,
                speaker=speaker,
                start=start,
            )
        )
