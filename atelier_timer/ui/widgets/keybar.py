"""The key bar along the bottom: the main keys and the command palette's."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """The main keys, each with a short word: one Static, far cheaper to lay out than Textual's Footer."""

    def __init__(self, keys: Iterable[tuple[str, str]], palette: str, **kwargs) -> None:
        super().__init__(self._bar(keys, palette), **kwargs)

    @staticmethod
    def _bar(keys: Iterable[tuple[str, str]], palette: str) -> Text:
        bar = Text()
        for key, word in keys:
            bar.append(f" {key} ", style="bold #000000 on #ffd700").append(f" {word}  ")
        bar.append(" ctrl+p ", style="bold #000000 on #9e9e9e").append(f" {palette}")
        return bar
