"""The question asked on the way out while no disk takes the session's events: retry, save elsewhere, or lose them."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.binding import Binding
from textual.widgets import Input

from atelier_timer.ui.screens import Dialog


class UnwrittenScreen(Dialog):
    """``r`` retry, ``s`` then a folder typed and Enter: save there, ``l`` quit and lose them, Escape: stay.

    Answers ``"retry"``, ``"lose"``, the folder (a Path) or None.
    """

    BINDINGS = [
        Binding("r", "answer('retry')", show=False),
        Binding("s", "choose_folder", show=False),
        Binding("l", "answer('lose')", show=False),
        Binding("escape,n", "answer(None)", show=False),
    ]

    def __init__(self, title: str, body: str, keys: str, suggested: Path) -> None:
        super().__init__(title, body, keys, classes="-quit")
        self._suggested = suggested

    def on_mount(self) -> None:
        folder = Input(placeholder=str(self._suggested), id="unwritten-folder")  # Enter on it empty: there
        folder.display = folder.can_focus = False  # until ``s``: the keys are the question's
        self.query_one("#dialog").mount(folder, before=self.query_one(".dialog-keys"))

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)

    def action_choose_folder(self) -> None:
        folder = self.query_one("#unwritten-folder", Input)
        folder.display = folder.can_focus = True
        folder.focus()

    @on(Input.Submitted, "#unwritten-folder")
    def _folder_typed(self, event: Input.Submitted) -> None:
        self.dismiss(Path(event.value.strip() or self._suggested).expanduser())
