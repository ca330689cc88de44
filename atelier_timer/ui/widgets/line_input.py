"""What the note line and the message line share: Enter takes the line, and a paste is typed as lines."""

from __future__ import annotations

import re

from textual import events
from textual.message import Message
from textual.widgets import Input

NEWLINE = re.compile(r"\r\n|\r|\n")


class LineInput(Input):
    """A line whose Enter takes what is typed (``Written``, of the subclass) and empties it at once.

    A paste is typed as the user would: each newline in it takes the line, as Enter does, so that
    each pasted line is taken once, and what follows the last newline stays to finish.
    """

    Written: type[Message]  # each subclass its own, so that the app's handler names the line

    def take_line(self) -> None:
        text, self.value = self.value, ""
        self.post_message(self.Written(text))

    def pasted_to_the_end(self) -> None:
        """A paste ended on a newline: nothing is left to finish (the message line closes)."""

    def _on_paste(self, event: events.Paste) -> None:
        # The one handler of a paste: Textual calls Input's own too (it inserts the first line again)
        # unless the default is prevented, which is how a pasted line was once recorded twice.
        event.stop()
        event.prevent_default()
        first, *lines = NEWLINE.split(event.text)
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(first)
        else:
            self.replace(first, *selection)
        for line in lines:
            self.take_line()
            self.insert_text_at_cursor(line)
        if lines and not lines[-1]:
            self.pasted_to_the_end()
