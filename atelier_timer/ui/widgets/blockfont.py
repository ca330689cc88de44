"""Block letters for the room: the countdown's digits and the title's capitals, at any whole scale.

Each glyph is a grid of square "pixels", 5 high (3 wide for digits, up to 5 for letters). A pixel is
``scale`` cells wide and ``scale`` half-cells tall (a terminal cell is about twice as tall as it is
wide), drawn with the half blocks ``▀ ▄ █``, so the glyphs keep their shape at every size: digits 5
rows tall at scale 2 on an 80x24 terminal, 18 at scale 7 on a 160x48 one.
"""

from __future__ import annotations

import unicodedata

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
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
    " ": ("..", "..", "..", "..", ".."),
    ".": (".", ".", ".", ".", "#"),
    ",": (".", ".", ".", "#", "#"),
    "'": ("#", "#", ".", ".", "."),
    "·": (".", ".", "#", ".", "."),
    "!": ("#", "#", "#", ".", "#"),
    "?": ("###", "..#", ".##", "...", ".#."),
    "(": (".#", "#.", "#.", "#.", ".#"),
    ")": ("#.", ".#", ".#", ".#", "#."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    "&": (".#..", "#.#.", ".#.#", "#.#.", ".#.#"),
    "A": (".###.", "#...#", "#####", "#...#", "#...#"),
    "B": ("####.", "#...#", "####.", "#...#", "####."),
    "C": (".####", "#....", "#....", "#....", ".####"),
    "D": ("####.", "#...#", "#...#", "#...#", "####."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "F": ("####", "#...", "###.", "#...", "#..."),
    "G": (".####", "#....", "#..##", "#...#", ".###."),
    "H": ("#...#", "#...#", "#####", "#...#", "#...#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..###", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#..#", "#.#.", "##..", "#.#.", "#..#"),
    "L": ("#...", "#...", "#...", "#...", "####"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "####.", "#....", "#...."),
    "Q": (".###.", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "####.", "#..#.", "#...#"),
    "S": (".####", "#....", ".###.", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "Y": ("#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("#####", "...#.", "..#..", ".#...", "#####"),
}
GLYPH_ROWS = 5
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def block_capitals(text: str) -> str:
    """``text`` as the glyphs can draw it: capitals without accents, dashes as hyphens, the rest dropped."""
    plain = unicodedata.normalize("NFKD", text.upper().replace("Œ", "OE").replace("Æ", "AE"))
    plain = plain.replace("—", "-").replace("–", "-").replace("’", "'")
    return "".join(c for c in plain if c in GLYPHS)


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


class BlockLetters(Widget):
    """Lines of block letters (or of plain text when there is no room for them), centred in the widget."""

    def block_lines(self) -> list[str]:
        """The terminal rows to draw, for the widget's present size."""
        raise NotImplementedError

    _row_style: Style | None = None  # the widget's style, for the rows of one render_lines call

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style once per frame rather than once per row: it is worked out through every ancestor.
        self._row_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._row_style = None

    def render_line(self, y: int) -> Strip:
        lines = self.block_lines()
        width, height = self.size
        top = max(0, (height - len(lines)) // 2)
        style = self._row_style or self.rich_style
        if not 0 <= y - top < len(lines):
            return Strip([Segment(" " * width, style)], width)
        line = lines[y - top][:width]
        left = (width - len(line)) // 2
        return Strip([Segment(" " * left + line + " " * (width - left - len(line)), style)], width)
