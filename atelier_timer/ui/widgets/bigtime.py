"""The countdown in block digits, as large as the space allows."""

from __future__ import annotations

from textual.geometry import Size

from atelier_timer.ui.widgets.blockfont import GLYPH_ROWS, BlockLetters, best_scale, render_lines

WIDEST = "+00:00"  # the digits are sized for overtime from the start, so they never change size at zero


def digit_rows(width: int) -> int:
    """The rows the countdown's digits take at the largest scale ``width`` cells allow."""
    return (GLYPH_ROWS * best_scale(WIDEST, width, 10_000) + 1) // 2


class BigTime(BlockLetters):
    """A time in block digits, centred, at the largest scale that fits.

    The scale is chosen for the time with a ``+`` in front, so the digits keep their size when the
    step runs into overtime. Falls back to plain text when even the smallest block digits do not fit.
    """

    DEFAULT_CSS = """
    BigTime { width: 100%; height: 1fr; min-height: 1; }
    """

    def __init__(self, text: str = "00:00", **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = text
        self._cache_key: tuple | None = None
        self._lines: list[str] = []

    @property
    def text(self) -> str:
        return self._text

    def show(self, text: str) -> None:
        """Show ``text``; redraws only when it differs from what is shown."""
        if text != self._text:
            self._text = text
            self.refresh()

    @property
    def scale(self) -> int:
        widest = self._text if self._text.startswith(("+", "-")) else "+" + self._text
        return best_scale(widest, self.size.width, self.size.height)

    def block_lines(self) -> list[str]:
        key = (self._text, self.size)
        if key != self._cache_key:
            scale = self.scale
            self._lines = render_lines(self._text, scale) if scale else [self._text]
            self._cache_key = key
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.block_lines()))
