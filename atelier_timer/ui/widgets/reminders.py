"""The reminders of each role for the current step, the role that has the floor standing out."""

from __future__ import annotations

import unicodedata

from textual.content import Content
from textual.widgets import Static

from atelier_timer.agenda import Agenda, Step, Turn
from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def floor_role(agenda: Agenda, step: Step, turn: Turn | None = None) -> str | None:
    """The role that has the floor in ``step``, during ``turn`` when it has turns: the turn's role,
    else the role of the person speaking (the turn's, else the speaker's) when the agenda names them
    among the participants, else the role the turn's name or the step's title names (« l'équipe »,
    « les coachs »), else the first reminder's."""
    keys = [key for key, _ in step.reminders]
    if not keys:
        return None
    if turn is not None and turn.role in keys:
        return turn.role
    speaking = turn.name if turn is not None else step.speaker
    for participant in agenda.participants:
        if speaking and participant.name == speaking and participant.role in keys:
            return participant.role
    for named in (turn.name if turn is not None else None, step.title):
        words = set(_plain(named or "").replace("'", " ").replace("(", " ").replace(")", " ").split())
        for key in keys:
            role_words = _plain(f"{key} {agenda.role_label(key)}").replace("(", " ").replace(")", " ").split()
            if any(len(word) > 3 and word in words for word in role_words):
                return key
    return keys[0]


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
