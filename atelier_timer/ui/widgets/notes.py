"""The notes taken during the session, newest at the bottom, and how one note reads; under them, the
note being typed, whole, when the note line is too narrow to show it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from atelier_timer.safetext import printable
from atelier_timer.session import Note, Session
from atelier_timer.texts import time_of_day
from atelier_timer.ui.widgets.note_input import NoteInput
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
        yield Static(id="note-draft")

    def on_mount(self) -> None:
        self.call_after_refresh(self._follow_the_note_line)  # the note line is mounted after the notes

    def _follow_the_note_line(self) -> None:
        for line in self.screen.query(NoteInput):
            self.watch(line, "value", self._draft_of(line), init=False)

    def _draft_of(self, line: NoteInput):
        return lambda value: self._show_draft(line, value)  # one argument: Textual passes the new value

    def _show_draft(self, line: NoteInput, value: str) -> None:
        """The note being typed, wrapped across the pane, once it is longer than the line shows (28
        columns beside an 80-column stage): the facilitator reads the whole sentence before Enter."""
        draft = self.query_one("#note-draft", Static)
        shown = value.strip() and Content(value).cell_length >= line.content_size.width - 1
        draft.display = bool(shown)
        self.screen.set_class(bool(shown), "-drafting")  # the agenda above gives the draft its rows
        if shown:
            draft.update(Content.assemble(("✎ ", "dim"), (printable(value), "italic")))
            self.scroll_end(animate=False)

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
