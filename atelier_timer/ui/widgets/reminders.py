"""The reminders of each role for the current step, the role that has the floor standing out."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from atelier_timer.live import floor_role
from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView


class Reminders(SessionView, Static):
    """One line per role, its label first: flowing text wraps tighter than a table on a narrow stage."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: object = None

    def show(self, session: Session) -> None:
        step = session.step
        turn = step.turns[session.turn] if session.has_turns else None
        if (step, turn) == self._shown:
            return
        self._shown = (step, turn)
        self.set_class(not step.reminders, "-empty")
        floor = floor_role(session.agenda, step, turn)  # the floor passes with the turns
        lines = []
        for key, reminder in step.reminders:
            label = session.agenda.role_label(key)
            if key == floor:
                line = Content.from_markup("[b reverse $accent] ▶ $label [/] [b]$say[/]", label=label, say=reminder)
            else:
                line = Content.from_markup("[b $accent]$label[/]  $say", label=label, say=reminder)
            lines.append(line)
        self.update(Content("\n").join(lines))
