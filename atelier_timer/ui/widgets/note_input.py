"""The note line under the notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input


class NoteInput(Input):
    """The note line. Enter takes the note and empties the line at once, so a fast typist loses nothing."""

    @dataclass
    class Written(Message):
        text: str

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text, self.value = self.value, ""
            self.post_message(self.Written(text))
        elif event.key == "escape":
            event.stop()
            self.screen.set_focus(None)
        else:
            await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        """Pasted lines are a burst of notes: each line ended by a newline is one, the rest stays to finish.

        (Textual's own Input keeps the first line of a paste and drops the others.)
        """
        first, *lines = re.split(r"\r\n|\r|\n", event.text)
        if not lines:
            super()._on_paste(event)
            return
        event.stop()
        event.prevent_default()
        self.insert_text_at_cursor(first)
        for line in lines:
            text, self.value = self.value, ""
            self.post_message(self.Written(text))
            self.insert_text_at_cursor(line)
