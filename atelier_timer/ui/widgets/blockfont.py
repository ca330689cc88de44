"""Block letters for the room: the countdown's digits and the title's capitals, at any whole scale.

Each glyph is a grid of square "pixels", 5 high (3 wide for digits, up to 5 for letters); an accented
capital adds its mark in two rows above (É È Ê Ë, À Â, Ô, Î Ï, Û Ù Ü, Ÿ) or its cedilla in two rows
below (Ç), and only a line that holds such a letter is that much taller. A pixel is
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
    "Œ": (".####", "#.#..", "#.###", "#.#..", ".####"),
    "Æ": (".####", "#.#..", "#####", "#.#..", "#.###"),
}
GLYPH_ROWS = 5  # the rows of a capital without its accent, and of every digit
MARK_ROWS = 2  # the rows an accent takes above its letter (a cedilla, below)
# Each mark by the width of its letter (3, 4 or 5 pixels), two rows each.
MARKS = {
    "acute": {3: ("..#", ".#."), 4: ("...#", "..#."), 5: ("...#.", "..#..")},
    "grave": {3: ("#..", ".#."), 4: ("#...", ".#.."), 5: (".#...", "..#..")},
    "circumflex": {3: (".#.", "#.#"), 4: (".##.", "#..#"), 5: ("..#..", ".#.#.")},
    "diaeresis": {3: ("#.#", "..."), 4: ("#..#", "...."), 5: (".#.#.", ".....")},
    "tilde": {3: (".##", "##."), 4: (".#.#", "#.#."), 5: (".##.#", "#..#.")},
    "cedilla": {3: (".#.", "##."), 4: ("..#.", ".##."), 5: ("..#..", ".##..")},
}
COMBINING = {"\u0301": "acute", "\u0300": "grave", "\u0302": "circumflex", "\u0308": "diaeresis", "\u0303": "tilde", "\u0327": "cedilla"}
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def _mark(char: str) -> tuple[str, str | None]:
    """A capital and the mark the font draws on it: ``("E", "acute")`` for É, ``("E", None)`` for E."""
    parts = unicodedata.normalize("NFD", char)
    marks = [COMBINING[c] for c in parts[1:] if c in COMBINING]
    return parts[0], marks[0] if marks else None


def block_capitals(text: str) -> str:
    """``text`` as the glyphs can draw it: capitals with their accents, dashes as hyphens, the rest dropped.

    A mark the font has no drawing for is left off its letter (Å is drawn A), never the letter itself.
    """
    plain = text.upper().replace("—", "-").replace("–", "-").replace("’", "'")
    kept = []
    for char in unicodedata.normalize("NFC", plain):
        base, mark = _mark(char)
        if char in GLYPHS or (base in GLYPHS and mark is not None):
            kept.append(char)
        elif base in GLYPHS:
            kept.append(base)
    return "".join(kept)


def _glyph(char: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The rows above a character (its accent), its own rows, and the rows below it (its cedilla)."""
    if char in GLYPHS:
        return (), GLYPHS[char], ()
    base, mark = _mark(char)
    glyph = GLYPHS[base]
    drawn = MARKS[mark][len(glyph[0])]
    return ((), glyph, drawn) if mark == "cedilla" else (drawn, glyph, ())


def bitmap(text: str) -> list[str]:
    """The pixel rows of ``text``, glyphs one pixel apart: five, and two more above (below) when a letter
    has an accent (a cedilla)."""
    glyphs = [_glyph(c) for c in text if c in GLYPHS or _mark(c)[0] in GLYPHS]
    above = MARK_ROWS if any(top for top, _, _ in glyphs) else 0
    below = MARK_ROWS if any(bottom for _, _, bottom in glyphs) else 0

    def rows(glyph: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
        top, middle, bottom = glyph
        blank = "." * len(middle[0])
        return (top or (blank,) * above) + middle + (bottom or (blank,) * below)

    drawn = [rows(glyph) for glyph in glyphs]
    return [".".join(glyph[row] for glyph in drawn) for row in range(above + GLYPH_ROWS + below)]


def best_scale(text: str, width: int, height: int) -> int:
    """The largest scale at which ``text`` fits ``width`` x ``height`` cells (0 when even scale 1 does not)."""
    pixels = bitmap(text)
    pixels_wide, pixels_high = len(pixels[0]), len(pixels)
    scale = 0
    while pixels_wide * (scale + 1) <= width and (pixels_high * (scale + 1) + 1) // 2 <= height:
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
