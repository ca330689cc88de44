"""The clicker's black screen."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from atelier_timer.clock import Clock
from atelier_timer.ui.dialogs import SCREENS_CSS
from atelier_timer.ui.widgets.session_view import hhmm


class BlackoutScreen(Screen[None]):
    """The clicker's black screen: nothing but the time of day, small in a corner, until any key."""

    CSS_PATH = SCREENS_CSS

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._clock = clock

    def compose(self) -> ComposeResult:
        yield Static(id="blackout-time")

    def on_mount(self) -> None:
        self._show_time()
        self.set_interval(1.0, self._show_time)

    def _show_time(self) -> None:
        self.query_one("#blackout-time", Static).update(hhmm(self._clock.wall()))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
