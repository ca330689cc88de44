"""The note line under the notes."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message

from atelier_timer.ui.widgets.line_input import LineInput


class NoteInput(LineInput):
    """The note line. Enter takes the note and empties the line at once, so a fast typist loses nothing;
    each pasted line is one note."""

    @dataclass
    class Written(Message):
        text: str

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.take_line()
        elif event.key == "escape":
            event.stop()
            self.screen.set_focus(None)
        else:
            await super()._on_key(event)
