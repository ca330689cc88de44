"""The stage: what the room reads, the step's title and speaker, the countdown, the hint, the prompt
and the reminders of each role."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from atelier_timer.session import Session, countdown_text
from atelier_timer.ui.widgets.bigtime import BigTime
from atelier_timer.ui.widgets.message import RoomMessage
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed

FLASH = 0.5  # overtime flashes at this half-period
PHASES = ("normal", "warning", "danger", "overtime")


class Stage(SessionView, Vertical):
    """The step on stage and its countdown; the step's texts are redrawn only when the step changes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._step_shown: object = None

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield RoomMessage(id="room-message")
        yield BigTime(id="countdown")
        yield Static(id="hint")
        yield Static(id="prompt")
        yield Static(id="reminders")

    def show(self, session: Session) -> None:
        waiting = session.until_start()
        shown = (session.step, self.app.lang, waiting is None)
        if shown != self._step_shown:
            self._step_shown = shown
            self._show_step(session, waiting is not None)
        if waiting is None:
            self._show_time(session)
        else:
            self._show_wait(session, waiting)

    def _show_step(self, session: Session, waiting: bool) -> None:
        """The step's title, speaker, prompt and reminders; before the slot's start, the workshop's title alone."""
        step = session.step
        title = Text(session.agenda.title if waiting else step.title, style="bold")
        if step.speaker and not waiting:
            title.append("\n" + step.speaker, style="italic")
        self.query_one("#title", Static).update(title)
        prompt = self.query_one("#prompt", Static)
        prompt.update(Text(step.prompt or "", style="italic"))
        prompt.set_class(waiting or not step.prompt, "-empty")  # a class: presentation mode hides it too
        reminders = self.query_one("#reminders", Static)
        reminders.update(self._reminders_text(session))
        reminders.set_class(waiting or not step.reminders, "-empty")

    def _reminders_text(self, session: Session) -> Text:
        """One line per role, its label first: flowing text wraps tighter than a table on a narrow stage."""
        text = Text()
        for key, reminder in session.step.reminders:
            text.append(session.agenda.role_label(key), style="bold #ffd700").append("  " + reminder + "\n")
        text.rstrip()
        return text

    def _show_wait(self, session: Session, waiting: float) -> None:
        """Before the slot's start: the time left until it, for the people arriving."""
        countdown = self.query_one("#countdown", BigTime)
        shown = countdown_text(waiting)
        countdown.show(shown)
        for name in PHASES:
            countdown.remove_class(f"-{name}")
        countdown.add_class("-waiting")
        text = self.app.t("waiting_start", start=hhmm(session.slot.start), countdown=shown)
        update_if_changed(self.query_one("#hint", Static), text)

    def _show_time(self, session: Session) -> None:
        """The countdown in the colour of its phase, flashing in overtime while running, and the hint."""
        remaining = session.remaining()
        hours = session.durations[session.index] >= 3600
        countdown = self.query_one("#countdown", BigTime)
        digits = session.digits()
        countdown.display = digits is not None
        if digits is not None:
            countdown.show(digits)
        phase = session.phase()
        countdown.remove_class("-waiting")
        for name in PHASES:
            countdown.set_class(name == phase, f"-{name}")
        if phase != "overtime":
            countdown.remove_class("-flash")
        elif session.running:
            countdown.set_class(int(-remaining / FLASH) % 2 == 0, "-flash")
        update_if_changed(self.query_one("#hint", Static), self._hint(session, phase))

    def _hint(self, session: Session, phase: str) -> str:
        t, state = self.app.t, session.state()
        if self.app.read_only:
            return t("finished") if state == "finished" else (t("state.paused") if state == "paused" else "")
        hints = {"ready": t("press_space"), "paused": t("paused"), "finished": t("finished")}
        return hints.get(state, t("overtime") if phase == "overtime" and not session.hidden else "")
