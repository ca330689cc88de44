"""The step's title in block capitals, for the room to read from the back (presentation mode, follow,
the end screen)."""

from __future__ import annotations

import textwrap

from textual.geometry import Size
from textual.reactive import reactive

from atelier_timer.ui.widgets.blockfont import GLYPH_ROWS, BlockLetters, bitmap, block_capitals, render_lines

SHARE = 0.3  # of a tall screen's height a title may take
TALL = 32  # rows: a shorter screen keeps its rows for the digits
ONE_LINE = (GLYPH_ROWS + 1) // 2  # rows of one line of the smallest capitals


def wrap_blocks(text: str, width: int, scale: int) -> list[str] | None:
    """``text`` broken between words into lines ``width`` cells wide at ``scale`` (None when a word is wider)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and len(bitmap(candidate)[0]) * scale <= width:
            lines[-1] = candidate
        elif len(bitmap(word)[0]) * scale <= width:
            lines.append(word)
        else:
            return None
    return lines


class BigTitle(BlockLetters):
    """A title in block capitals, as large as the width and a ``share`` of the screen's height allow; on
    a screen under ``TALL`` rows, in no more than ``short`` rows. Plain text when even the smallest
    capitals would not fit."""

    DEFAULT_CSS = """
    BigTitle { width: 100%; height: auto; }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(self, share: float = SHARE, short: int = ONE_LINE, **kwargs) -> None:
        super().__init__(**kwargs)
        self.share, self.short = share, short
        self._cache_key: tuple | None = None
        self._lines: list[str] = []

    def _budget(self) -> int:
        """The rows the capitals may take (under ``ONE_LINE``: plain text)."""
        height = self.screen.size.height
        return int(height * self.share) if height >= TALL else self.short

    def block_lines(self) -> list[str]:
        width, budget = self.size.width, self._budget()
        key = (self.text, width, budget)
        if key != self._cache_key:
            self._cache_key = key
            self._lines = self._layout(width, budget)
        return self._lines

    def _layout(self, width: int, budget: int) -> list[str]:
        capitals = block_capitals(self.text)
        best: list[str] = []
        scale = 1
        while capitals and width:
            lines = wrap_blocks(capitals, width, scale)
            rows = (GLYPH_ROWS * scale + 1) // 2 * (len(lines) if lines else 0) + (len(lines or ()) - 1)
            if lines is None or rows > budget:
                break
            best = [row for i, line in enumerate(lines) for row in ([""] if i else []) + render_lines(line, scale)]
            scale += 1
        return best or textwrap.wrap(self.text, max(width, 1)) or [""]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(width, self._budget()))
