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
    """The palette's list of themes: the app's own first, under their names in the UI language with the
    name ``--theme`` takes (so "light" finds "Clair (light)" first), then Textual's. Not the ANSI ones:
    they take the terminal's own colours, and a "light" one on a dark terminal is no light screen."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        def choose(name: str) -> None:
            self.app.theme = name

        others = sorted(name for name in self.app.available_themes if name not in THEMES and "ansi" not in name)
        named = [(self._label(name), name) for name in THEMES] + [(name, name) for name in others]
        return [(label, partial(choose, name)) for label, name in named]

    def _label(self, name: str) -> str:
        label = self.app.t(f"theme.{name}")
        return label if label.casefold() == name else f"{label} ({name})"
