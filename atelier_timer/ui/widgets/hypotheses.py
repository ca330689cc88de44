"""The agenda's impact-measure hypotheses, each with the notes that cite it (``#N`` in a note)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.ui.widgets.notes import note_line
from atelier_timer.ui.widgets.session_view import SessionView


class HypothesesView(SessionView, Static):
    """The hypotheses pane (``h`` shows and hides it); redrawn when a note is added."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def show(self, session: Session) -> None:
        shown = (id(session.notes), len(session.notes), session.agenda.hypotheses, self.app.lang)
        if shown != self._shown:
            self._shown = shown
            self.update(self._text(session))

    def _text(self, session: Session) -> Text:
        t = self.app.t
        if not session.agenda.hypotheses:
            return Text(t("no_hypotheses"), style="dim")
        text = Text(t("hypotheses") + "\n", style="bold")
        for number, hypothesis in enumerate(session.agenda.hypotheses, start=1):
            text.append(f"#{number} ", style="bold")
            text.append(hypothesis + "\n")
            for note in session.notes:
                if number in note.hypotheses:
                    text.append("   ").append(note_line(note, t)).append("\n")
        text.rstrip()
        return text
