"""A title, a body and the keys that answer it: what the one-key questions and notices are built on."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from atelier_timer.ui.dialogs import SCREENS_CSS


class Dialog(ModalScreen):
    """A title, a body and the keys that answer it, centred over the screen."""

    CSS_PATH = SCREENS_CSS

    def __init__(self, title: str, body: Text | Table | str, keys: str, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._title, self._body, self._keys = title, body, keys

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            yield Static(self._body, id="dialog-body")
            yield Static(self._keys, classes="dialog-keys")
