"""A yes/no question, answered with one key."""

from __future__ import annotations

from textual.binding import Binding

from atelier_timer.ui.dialogs.dialog import Dialog


class QuestionScreen(Dialog):
    """A yes/no question: ``y``/``o``/``enter`` answers yes, ``n``/``escape`` no."""

    BINDINGS = [
        Binding("y,o,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
