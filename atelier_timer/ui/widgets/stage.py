"""The stage: what the room reads. The step's title and speaker, the countdown, how far along the step
is, the hint, what comes next, the prompt and each role's reminder; the end summary once it is over."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from atelier_timer.session import Session, countdown_text, duration_words
from atelier_timer.ui.widgets.bigtime import SMALLEST, BigTime
from atelier_timer.ui.widgets.bigtitle import BigTitle
from atelier_timer.ui.widgets.end import EndSummary
from atelier_timer.ui.widgets.now_next import NowNext
from atelier_timer.ui.widgets.progress import StepProgress
from atelier_timer.ui.widgets.reminders import Reminders
from atelier_timer.ui.widgets.message import RoomMessage
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed
from atelier_timer.ui.widgets.status import step_time

FLASH = 0.5  # overtime flashes at this half-period...
FLASH_SECONDS = 6.0  # ...for its first seconds, then stays steady: a room tires of a blinking screen
PHASES = ("normal", "warning", "danger", "overtime")


def flashing(session: Session) -> bool:
    """Whether the countdown shows its flash frame now."""
    over = -session.remaining()
    return session.running and 0 <= over < FLASH_SECONDS and int(over / FLASH) % 2 == 0


class Stage(SessionView, Vertical):
    """The step on stage and its countdown; the step's texts are redrawn only when the step changes."""

    closed_at: var[float | None] = var(None)  # when the facilitator quit (the read-only viewer says so)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._step_shown: object = None

    def compose(self) -> ComposeResult:
        yield BigTitle(id="big-title")
        yield Static(id="title")
        yield Static(id="speaker")
        # under the title in presentation mode: smaller; plain text on a short screen, the digits first
        yield BigTitle(share=0.2, short=0, id="turn-name")
        yield RoomMessage(id="room-message")
        yield BigTime(id="countdown")
        yield Static(id="turn")
        yield StepProgress(id="progress")
        yield Static(id="hint")
        yield NowNext(id="now-next")
        yield Static(id="prompt")
        yield Reminders(id="reminders")
        yield EndSummary(id="end")

    def on_resize(self) -> None:
        self._make_room()

    def _make_room(self) -> None:
        """Every reminder in full, unless that leaves the digits too few rows for block digits: then the
        reminders are made compact (checked once the screen is laid out, after a new step or size)."""
        reminders = self.query_one(Reminders)
        reminders.compact = False

        def check() -> None:
            countdown = self.query_one(BigTime)
            reminders.compact = countdown.display and 0 < countdown.size.height < SMALLEST

        self.call_after_refresh(check)

    def show(self, session: Session) -> None:
        waiting = session.until_start()
        self.set_class(session.finished, "-finished")
        self.set_class(waiting is not None, "-waiting")  # the step's texts wait with it
        title = session.agenda.title if session.finished or waiting is not None else session.step.title
        shown = (session.step, title)
        if shown != self._step_shown:
            self._step_shown = shown
            self._show_step(session, title)
            self._make_room()
        if waiting is None:
            self._show_time(session)
        else:
            self._show_wait(session, waiting)

    def _show_step(self, session: Session, title: str) -> None:
        """The title (the step's; the workshop's before the slot's start and once finished), speaker and prompt."""
        step = session.step
        self.query_one("#big-title", BigTitle).text = title
        self.query_one("#title", Static).update(Content.styled(title, "b"))
        speaker = self.query_one("#speaker", Static)
        speaker.update(Content.styled(step.speaker or "", "i"))
        speaker.set_class(not step.speaker or title != step.title, "-empty")
        prompt = self.query_one("#prompt", Static)
        prompt.update(Content.styled(step.prompt or "", "i"))
        prompt.set_class(not step.prompt, "-empty")  # a class: presentation mode hides it too

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
        """The countdown in the colour of its phase (flashing at first in overtime, dimmed when paused), and the hint.

        In a step with turns the big digits count the current turn, the person's name large above them.
        """
        phase = session.phase()
        if session.has_turns:
            remaining = session.turn_remaining()
            hours = session.turn_durations[session.index][session.turn] >= 3600
            phase = max(phase, session.turn_phase(), key=PHASES.index)  # a turn over its time shows it
        else:
            remaining = session.remaining()
            hours = session.durations[session.index] >= 3600
        self._show_turn(session)
        countdown = self.query_one("#countdown", BigTime)
        self.set_class(session.hidden, "-digits-hidden")  # a class: the end screen's own rules still apply
        shown = countdown_text(remaining, hours)
        if not session.has_turns and not session.hidden:
            shown = session.digits()  # the time spent, when the step's display is countup
        countdown.show(shown)
        countdown.remove_class("-waiting")
        for name in PHASES:
            countdown.set_class(name == phase, f"-{name}")
        countdown.set_class(flashing(session), "-flash")
        countdown.set_class(session.state() == "paused", "-paused")
        update_if_changed(self.query_one("#hint", Static), self._hint(session, phase))

    def _show_turn(self, session: Session) -> None:
        """Whose turn it is, large; then "turn 2/3", the step's own time left and what each following turn now has."""
        name = self.query_one("#turn-name", BigTitle)
        line = self.query_one("#turn", Static)
        name.set_class(not session.has_turns, "-empty")
        line.set_class(not session.has_turns, "-empty")
        if not session.has_turns:
            return
        t = self.app.t
        name.text = session.step.turns[session.turn].name
        text = t("turn_line", number=session.turn + 1, count=len(session.step.turns), where=step_time(session, t))
        coming = session.coming_turns()
        if coming:
            key = "turns_each" if len(coming) > 1 and len(set(coming)) == 1 else "turn_then"
            text += " · " + t(key, time=duration_words(coming[0]))
        update_if_changed(line, text)

    def _hint(self, session: Session, phase: str) -> str:
        t, state = self.app.t, session.state()
        if self.app.read_only:
            if self.closed_at is not None and state != "finished":
                return t("closed", time=hhmm(self.closed_at))
            return t("state.paused") if state == "paused" else ""
        hints = {"ready": t("press_space"), "paused": t("paused")}
        return hints.get(state, t("overtime") if phase == "overtime" and state == "running" and not session.hidden else "")
