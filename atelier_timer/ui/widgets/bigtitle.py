"""The step's title in block capitals, for the room to read from the back (presentation mode, follow,
the end screen)."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import reactive

from atelier_timer.ui.widgets.blockfont import BlockLetters, bitmap, block_capitals, render_lines
from atelier_timer.ui.widgets.session_view import wrap_lines

SHARE = 0.3  # of the screen's height the title may take


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
    """A title in block capitals, as large as the width and its budget of rows allow; plain text when
    even the smallest capitals would not fit (shortened with "…" when even that is too long).

    The stage sets the budget (``budget``) so that the countdown keeps its room; left alone, a title
    takes up to a share of the screen's height.
    """

    DEFAULT_CSS = """
    BigTitle { width: 100%; height: auto; }
    """

    text: reactive[str] = reactive("", layout=True)
    budget: reactive[int | None] = reactive(None, layout=True)
    largest: reactive[int | None] = reactive(None, layout=True)  # the largest scale of its capitals (None: any)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache_key: tuple | None = None
        self._lines: list[str] = []
        self._scale = 0  # of the lines laid out last

    def block_lines(self) -> list[str]:
        return self.lines_at(self.size.width)

    def lines_at(self, width: int) -> list[str]:
        """The rows of the title at ``width``, within its budget."""
        budget = self.budget if self.budget is not None else max(3, int(self.screen.size.height * SHARE))
        key = (self.text, width, budget, self.largest)
        if key != self._cache_key:
            self._cache_key = key
            self._lines, self._scale = self._layout(width, max(budget, 1))
        return self._lines

    def scale_at(self, width: int) -> int:
        """The scale of its capitals at ``width`` within its budget (0: plain text)."""
        self.lines_at(width)
        return self._scale

    def smallest_rows(self, width: int) -> int | None:
        """The rows of the title in its smallest capitals at ``width``; None when a word is wider than that."""
        lines = wrap_blocks(block_capitals(self.text), width, 1) if self.text and width else None
        if lines is None:
            return None
        return sum(len(render_lines(line, 1)) for line in lines) + len(lines) - 1

    def _layout(self, width: int, budget: int) -> tuple[list[str], int]:
        capitals = block_capitals(self.text)
        best: list[str] = []
        scale = 1
        while capitals and width and (self.largest is None or scale <= self.largest):
            lines = wrap_blocks(capitals, width, scale)
            if lines is None:
                break
            rows = [row for i, line in enumerate(lines) for row in ([""] if i else []) + render_lines(line, scale)]
            if len(rows) > budget:
                break
            best = rows
            scale += 1
        return (best, scale - 1) if best else (wrap_lines(self.text, max(width, 1), budget), 0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines_at(width))
