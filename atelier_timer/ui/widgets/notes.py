"""The notes taken during the session, newest at the bottom, and how one note reads."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from atelier_timer.session import Note, Session
from atelier_timer.ui.widgets.session_view import SessionView, hhmm

NOTE_COLOURS = {"note": "#9e9e9e", "action": "bold #ffd700", "learning": "bold #5fd75f", "question": "bold #5fd7ff"}


def note_line(note: Note, t) -> Text:
    """Time, step and kind on a dim line, then the note itself."""
    line = Text()
    line.append(f"{hhmm(note.wall)} · {note.step + 1} · ", style="#9e9e9e")
    line.append(t("kind." + note.kind), style=NOTE_COLOURS[note.kind])
    if note.author:  # written from the controller page by a second note-taker
        line.append(f" · {note.author}", style="#9e9e9e")
    line.append("\n" + note.text)
    return line


class NotesLog(SessionView, VerticalScroll):
    """Every note of the session, scrolled to the newest; redrawn when a note is added."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="notes")

    def show(self, session: Session) -> None:
        notes = session.notes
        shown = (id(notes), len(notes), self.app.lang)
        if shown == self._shown:
            return
        self._shown = shown
        body = self.query_one("#notes", Static)
        if not notes:
            body.update(Text(self.app.t("no_notes"), style="dim"))
            return
        text = Text("\n").join(note_line(note, self.app.t) for note in notes)
        body.update(text)
        self.scroll_end(animate=False)
