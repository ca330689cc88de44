"""The question asked after the computer slept while the timer ran."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from atelier_timer.session import duration_words
from atelier_timer.ui.dialogs.question import QuestionScreen

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp


class SleepScreen(QuestionScreen):
    """Count a sleep as elapsed (``enter``/``e``, the default) or as a pause (``p``)."""

    BINDINGS = [
        Binding("enter,e,y,o", "answer(True)", show=False),
        Binding("p,n,escape", "answer(False)", show=False),
    ]


def ask_about_sleep(app: TimerApp, slept: float) -> None:
    """The computer slept ``slept`` seconds while the step ran: count them as elapsed, or as a pause."""
    app.ticker.asking_sleep = True
    body = app.t("sleep.body", time=duration_words(slept), step=app.session.step.title)

    def answer(as_elapsed: bool | None) -> None:
        app.ticker.asking_sleep = False
        app.session.account_sleep(slept, as_elapsed=bool(as_elapsed))
        app.notify(app.t("sleep.counted" if as_elapsed else "sleep.paused"))
        app.ticker.changed()

    app.push_screen(SleepScreen(app.t("sleep.title"), body, app.t("sleep.keys")), answer)
