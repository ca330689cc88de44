"""Every use of a name Textual does not make public, in one place (the driver's: ui/driver.py).

Each is checked by tests/unit/test_textual_compat.py, which fails naming the name when a Textual
release changes it; pyproject.toml pins the range of Textual they were checked on (``>=8.2,<9``).
Whatever Textual offers publicly is used instead everywhere else.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets.option_list import Option


def closing(app: App) -> bool:
    """Whether the app is being taken down (``MessagePump._closing``): its widgets may be gone already."""
    return app._closing


def set_theme_filter(app: App) -> None:
    """Bring the app's truecolor filter to its theme's ANSI colours, as Textual's theme watcher does
    (``App._refresh_truecolor_filter``): the app sets its first theme without that watcher."""
    app._refresh_truecolor_filter(app.ansi_theme)


class FirstResumeKeepsStyles:
    """A screen mixin: Textual restyles a whole screen each time it is resumed; the first resume comes
    right after the mount, which has just styled every node, so that one restyle is skipped (it took 8
    to 12 ms of the first frame). Every later resume, back from a dialog, restyles as usual.

    ``ScreenResume(refresh_styles=False)`` is Textual's own, but no public call makes it.
    """

    _resumed = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._resumed:
            self._resumed = True
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)  # type: ignore[misc]


class Palette(CommandPalette):
    """Textual's command palette, with its own words ("No matches found") in the UI language too: Textual
    writes them in ``CommandPalette._start_no_matches_countdown``, with its timer and option id."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        if not search_value:  # nothing typed: Textual says nothing either
            super()._start_no_matches_countdown(search_value)
            return
        self._stop_no_matches_countdown()

        def say_no_matches() -> None:
            lists = self.query(CommandList)
            if not lists:  # the palette closed (or the app is ending) before the countdown ran out
                return
            words = Align.center(Text(self.app.t("command.no_matches"), style="not bold"))
            lists.first().add_option(Option(words, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, say_no_matches)
