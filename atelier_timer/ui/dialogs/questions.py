"""The audience's questions, for the facilitator: the queue, waiting first, to show one to the room,
mark it answered or drop it. Nothing here reaches the room's stage until the facilitator shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from atelier_timer.audience import Audience, Question
from atelier_timer.i18n import Translator
from atelier_timer.safetext import printable
from atelier_timer.texts import time_of_day
from atelier_timer.ui.dialogs import SCREENS_CSS

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp

def open_questions(app: TimerApp) -> None:
    """``a``: the queue of the audience's questions, to show one to the room, mark it answered or drop it."""
    app.push_screen(QuestionsScreen(app.session.audience, app.t, lambda question_id, status: moderate(app, question_id, status)))


def moderate(app: TimerApp, question_id: int, status: str) -> None:
    """The facilitator's choice for a question (shown: the message of the moment), from the dialog or the controller."""
    from atelier_timer.audience import AudienceError
    from atelier_timer.audience import moderate as decide

    try:
        decide(app.session, question_id, status)
    except AudienceError:
        return  # a controller's command for a question this session does not have
    app.main_screen.show()


ORDER = {"shown": 0, "waiting": 1, "answered": 2, "dropped": 3}  # the one on screen, then the queue, then the rest


def queue(audience: Audience) -> list[Question]:
    """The questions as the facilitator reads them: the one shown, those waiting (oldest first), the others."""
    return sorted(audience.questions, key=lambda q: (ORDER[q.status], q.id))


class QuestionsScreen(ModalScreen[None]):
    """The queue of the audience's questions: Enter or ``s`` shows the one picked to the room, ``a`` marks
    it answered, ``x`` drops it, Escape or ``q`` closes."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,q", "dismiss", show=False),
        Binding("s", "decide('shown')", show=False),
        Binding("a", "decide('answered')", show=False),
        Binding("x,delete", "decide('dropped')", show=False),
    ]

    def __init__(self, audience: Audience, t: Translator, decide: Callable[[int, str], None]) -> None:
        super().__init__()
        self._audience, self._t, self._decide = audience, t, decide
        self._shown: list[Question] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="questions"):
            yield Static(id="questions-title", classes="dialog-title")
            yield OptionList(id="questions")
            yield Static(self._t("questions.keys"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.update_questions()

    def update_questions(self) -> None:
        """Show the queue as it stands (a question arrived, one was decided), keeping the one picked."""
        questions = queue(self._audience)
        if questions == self._shown:
            return
        options = self.query_one("#questions", OptionList)
        picked = self._picked()
        self._shown = questions
        waiting = len(self._audience.waiting())
        self.query_one("#questions-title", Static).update(Text(self._t("questions.title", count=waiting), style="bold"))
        options.clear_options()
        if not questions:
            options.add_option(Option(self._t("questions.none"), disabled=True))
            return
        options.add_options([Option(self._line(q), id=str(q.id)) for q in questions])
        ids = [q.id for q in questions]
        options.highlighted = ids.index(picked.id) if picked is not None and picked.id in ids else 0

    def _line(self, question: Question) -> Text:
        t = self._t
        line = Text()
        line.append(f"{time_of_day(question.wall)} ", style="dim")
        line.append(f"[{t('questions.status.' + question.status)}] ", style="bold" if question.status in ("shown", "waiting") else "dim")
        line.append(printable(question.text))  # the core keeps it escaped already: never raw, whatever wrote the journal
        line.append(f" — {printable(question.name)}" if question.name else "", style="italic")
        return line

    def _picked(self) -> Question | None:
        options = self.query_one("#questions", OptionList)
        index = options.highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    def action_decide(self, status: str) -> None:
        question = self._picked()
        if question is not None:
            self._decide(question.id, status)
            self.update_questions()

    @on(OptionList.OptionSelected)
    def _enter(self, event: OptionList.OptionSelected) -> None:
        self.action_decide("shown")
