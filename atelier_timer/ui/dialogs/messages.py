"""The agenda's ready-made messages, to pick one."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from atelier_timer.ui.dialogs import SCREENS_CSS


class MessagesScreen(ModalScreen[str | None]):
    """The agenda's ready-made messages: Enter shows the one picked, Escape closes."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "dismiss", show=False)]

    def __init__(self, title: str, messages: Iterable[str], footer: str) -> None:
        super().__init__()
        self._title, self._messages, self._footer = title, list(messages), footer

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            yield OptionList(*self._messages, id="presets")
            yield Static(self._footer, classes="dialog-keys")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._messages[event.option_index])
