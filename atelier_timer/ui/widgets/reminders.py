"""The reminders of each role for the current step, the role that has the floor standing out."""

from __future__ import annotations

import unicodedata

from textual.content import Content
from textual.widgets import Static

from atelier_timer.agenda import Agenda, Step
from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def floor_role(agenda: Agenda, step: Step) -> str | None:
    """The role that has the floor in ``step``: the speaker's role when the agenda names it among the
    participants, else the role the step's title names (« l'équipe », « les coachs »), else the first
    reminder's."""
    keys = [key for key, _ in step.reminders]
    if not keys:
        return None
    for participant in agenda.participants:
        if step.speaker and participant.name == step.speaker and participant.role in keys:
            return participant.role
    title = set(_plain(step.title).replace("'", " ").split())
    for key in keys:
        words = _plain(f"{key} {agenda.role_label(key)}").replace("(", " ").replace(")", " ").split()
        if any(len(word) > 3 and word in title for word in words):
            return key
    return keys[0]


class Reminders(SessionView, Static):
    """One line per role, its label first: flowing text wraps tighter than a table on a narrow stage."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: object = None

    def show(self, session: Session) -> None:
        step = session.step
        if step == self._shown:
            return
        self._shown = step
        self.set_class(not step.reminders, "-empty")
        floor = floor_role(session.agenda, step)
        lines = []
        for key, reminder in step.reminders:
            label = session.agenda.role_label(key)
            if key == floor:
                line = Content.from_markup("[b reverse $accent] ▶ $label [/] [b]$say[/]", label=label, say=reminder)
            else:
                line = Content.from_markup("[b $accent]$label[/]  $say", label=label, say=reminder)
            lines.append(line)
        self.update(Content("\n").join(lines))
