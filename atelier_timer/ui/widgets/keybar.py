"""The key bar along the bottom: the main keys and the command palette's, never cut."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


def key_bar(keys: Sequence[tuple[str, str]], width: int) -> Content:
    """The keys as wide as ``width`` allows: spaced key caps, else tight ones, else fewer keys (the last kept)."""
    keys = list(keys)
    while True:
        for cap, gap in ((" {} ", "  "), ("{}", " ")):
            bar = Content(gap).join(
                Content.assemble((cap.format(key), "b reverse $accent"), f" {word}") for key, word in keys
            )
            if bar.cell_length <= width or len(keys) == 1:
                return bar
        keys.pop(2 if len(keys) > 3 else 0)  # the note key goes first: Enter and the notes pane say it too


class KeyBar(Widget):
    """The main keys, each with a short word: one line, far cheaper to lay out than Textual's Footer."""

    DEFAULT_CSS = """
    KeyBar { height: 1; }
    """

    keys: reactive[tuple[tuple[str, str], ...]] = reactive(())

    def render(self) -> Content:
        return key_bar(self.keys, self.size.width)
