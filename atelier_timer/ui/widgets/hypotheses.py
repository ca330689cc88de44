"""The agenda's impact-measure hypotheses, each with the notes that cite it (``#N`` in a note)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from atelier_timer.measures import Measure
from atelier_timer.session import Session
from atelier_timer.ui.widgets.notes import note_line
from atelier_timer.ui.widgets.session_view import SessionView


class HypothesesView(SessionView, VerticalScroll):
    """The hypotheses pane (``h`` shows and hides it), scrolling when they are many; redrawn when a note is added."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="hypotheses-list")

    def show(self, session: Session) -> None:
        shown = (id(session.notes), len(session.notes), session.agenda.hypotheses)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#hypotheses-list", Static).update(self._text(session))

    def _text(self, session: Session) -> Content:
        t = self.app.t
        if not session.agenda.hypotheses:
            return Content.styled(t("no_hypotheses"), "dim")
        lines = [Content.styled(t("hypotheses"), "b")]
        for number, hypothesis in enumerate(session.agenda.hypotheses, start=1):
            lines.append(Content.assemble((f"#{number} ", "b"), Measure.of(hypothesis).text))
            lines += [note_line(note, t, indent="   ") for note in session.notes if number in note.hypotheses]
        return Content("\n").join(lines)
