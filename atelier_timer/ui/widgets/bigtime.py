"""The countdown in block digits, drawn at the largest whole scale that fits the space it is given.

Each glyph is a 3x5 grid of square "pixels". A pixel is ``scale`` cells wide and ``scale`` half-cells
tall (a terminal cell is about twice as tall as it is wide), drawn with the half blocks ``▀ ▄ █``, so
the digits keep their shape at every size: 5 rows at scale 2 on an 80x24 terminal, 18 at scale 7 on a
160x48 one.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

GLYPHS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
}
GLYPH_ROWS = 5
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def bitmap(text: str) -> list[str]:
    """The pixel rows of ``text``, glyphs one pixel apart."""
    glyphs = [GLYPHS[c] for c in text if c in GLYPHS]
    return [".".join(glyph[row] for glyph in glyphs) for row in range(GLYPH_ROWS)]


def best_scale(text: str, width: int, height: int) -> int:
    """The largest scale at which ``text`` fits ``width`` x ``height`` cells (0 when even scale 1 does not)."""
    pixels_wide = len(bitmap(text)[0])
    scale = 0
    while pixels_wide * (scale + 1) <= width and (GLYPH_ROWS * (scale + 1) + 1) // 2 <= height:
        scale += 1
    return scale


def render_lines(text: str, scale: int) -> list[str]:
    """``text`` in block digits at ``scale``: one string per terminal row."""
    rows = [row for row in bitmap(text) for _ in range(scale)]
    if len(rows) % 2:
        rows.append("." * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2]):
        cells = (HALF_BLOCKS[(a == "#", b == "#")] * scale for a, b in zip(top, bottom))
        lines.append("".join(cells))
    return lines


class BigTime(Widget):
    """A time in block digits, centred, as large as the widget's size allows.

    Falls back to plain text when the space is too small for even the smallest block digits.
    """

    DEFAULT_CSS = """
    BigTime { width: 1fr; height: 1fr; min-height: 1; }
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
        return best_scale(self._text, self.size.width, self.size.height)

    def _layout_lines(self) -> list[str]:
        key = (self._text, self.size)
        if key != self._cache_key:
            scale = self.scale
            self._lines = render_lines(self._text, scale) if scale else [self._text]
            self._cache_key = key
        return self._lines

    def render_line(self, y: int) -> Strip:
        lines = self._layout_lines()
        width, height = self.size
        top = (height - len(lines)) // 2
        style = self.rich_style
        if not 0 <= y - top < len(lines):
            return Strip([Segment(" " * width, style)], width)
        line = lines[y - top][:width]
        left = (width - len(line)) // 2
        return Strip([Segment(" " * left + line + " " * (width - left - len(line)), style)], width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._layout_lines()))
