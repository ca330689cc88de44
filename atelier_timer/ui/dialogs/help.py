"""The help: every key and what it does."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from atelier_timer.ui.dialogs import SCREENS_CSS


class HelpScreen(ModalScreen[None]):
    """Every key and what it does: the title and how to close in the border, so that the whole list fits
    80x24; the list scrolls on a smaller screen."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "dismiss", show=False),
        Binding("question_mark", "dismiss", show=False, id="help"),  # the help's key closes it: the user's too
        Binding("q", "dismiss", show=False),
    ]

    def __init__(self, title: str, keys: Iterable[tuple[str, str]], footer: str) -> None:
        super().__init__()
        self._title, self._keys, self._footer = title, list(keys), footer

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for keys, description in self._keys:
            table.add_row(keys, description)
        with VerticalScroll(id="dialog", classes="help") as dialog:
            dialog.border_title, dialog.border_subtitle = self._title, self._footer
            yield Static(table)
