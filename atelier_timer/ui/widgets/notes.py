"""The notes taken during the session, newest at the bottom, and how one note reads."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from atelier_timer.safetext import printable
from atelier_timer.session import Note, Session
from atelier_timer.texts import time_of_day
from atelier_timer.ui.widgets.session_view import SessionView

NOTE_STYLES = {"note": "dim", "action": "b $warning", "learning": "b $success", "question": "b $primary"}


def note_line(note: Note, t, indent: str = "") -> Content:
    """Time, step and kind on a dim line, then the note itself."""
    return Content.assemble(
        (f"{indent}{time_of_day(note.wall)} · {note.step + 1} · ", "dim"),
        (t("kind." + note.kind), NOTE_STYLES[note.kind]),
        (f" · {printable(note.author)}" if note.author else "", "dim"),  # written on the controller page by a second note-taker
        f"\n{indent}{printable(note.text)}",  # whatever wrote the journal, no raw control reaches the terminal
    )


class NotesLog(SessionView, VerticalScroll):
    """Every note of the session, scrolled to the newest; redrawn when a note is added."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="notes")

    def show(self, session: Session) -> None:
        notes = session.notes
        shown = (id(notes), len(notes))
        if shown == self._shown:
            return
        self._shown = shown
        body = self.query_one("#notes", Static)
        if not notes:
            body.update(Content.styled(self.app.t("no_notes"), "dim"))
            return
        body.update(Content("\n").join(note_line(note, self.app.t) for note in notes))
        self.scroll_end(animate=False)
