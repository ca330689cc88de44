"""The app's own themes: dark for a dim room, light for a bright one, high contrast for a weak projector.

Every colour on screen comes from these variables (``$foreground``, ``$warning``...), so Textual's
own themes, picked from the palette, work as well.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.theme import Theme, ThemeProvider

THEMES = {
    "dark": Theme(
        name="dark",
        primary="#5fafff",
        secondary="#9fd3ff",
        accent="#ffd700",
        warning="#ffd700",
        error="#ff4040",
        success="#5fd75f",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#262626",
        dark=True,
    ),
    "light": Theme(
        name="light",
        primary="#0b57d0",
        secondary="#174ea6",
        accent="#8a4b00",
        warning="#9a5b00",
        error="#c00000",
        success="#1b7a1b",
        foreground="#111111",
        background="#ffffff",
        surface="#ffffff",
        panel="#e4e4e4",
        dark=False,
    ),
    "contrast": Theme(
        name="contrast",
        primary="#00ffff",
        secondary="#00ffff",
        accent="#ffff00",
        warning="#ffff00",
        error="#ff0000",
        success="#00ff00",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#303030",
        dark=True,
    ),
}
DEFAULT_THEME = "dark"


class ThemeChoices(ThemeProvider):
    """The palette's list of themes: only the app's own three, made for a room (dark, light, contrast),
    under their names in the UI language with the name ``--theme`` takes (so "light" finds "Clair
    (light)"). Not Textual's other themes: none of them was checked on a projector."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        def choose(name: str) -> None:
            self.app.theme = name

        return [(self._label(name), partial(choose, name)) for name in THEMES]

    def _label(self, name: str) -> str:
        label = self.app.t(f"theme.{name}")
        return label if label.casefold() == name else f"{label} ({name})"
