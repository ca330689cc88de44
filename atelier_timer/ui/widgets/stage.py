"""The stage: what the room reads. The step's title and speaker, the countdown, how far along the step
is, the hint, what comes next, the prompt and each role's reminder; the end summary once it is over."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from atelier_timer.live import PHASES, RoomView, room_view
from atelier_timer.session import Session
from atelier_timer.texts import countdown_text, duration_words, time_of_day
from atelier_timer.ui.timing import FLASH, FLASH_SECONDS
from atelier_timer.ui.widgets.bigtime import BigTime, digit_rows
from atelier_timer.ui.widgets.bigtitle import BigTitle
from atelier_timer.ui.widgets.now_next import NowNext
from atelier_timer.ui.widgets.progress import StepProgress
from atelier_timer.ui.widgets.reminders import Reminders
from atelier_timer.ui.widgets.session_view import SessionView, update_if_changed
from atelier_timer.ui.widgets.status import StatusLine, step_time

MIN_DIGIT_ROWS = 3  # the smallest block digits: the countdown never has less
TITLE_SHARE = 3  # the block-letter titles take a third of the rows they share with the countdown
FLEXIBLE = ("big-title", "turn-name", "room-message")  # the block-letter titles, whose size the stage sets
# The stage's parts, top to bottom; four of them most sessions show only now and then (occasional_part).
PARTS = (
    "big-title", "title", "speaker", "turn-name", "room-message", "countdown", "turn", "progress", "hint", "now-next",
    "roti", "prompt", "reminders", "end",
)  # fmt: skip


def occasional_part(name: str) -> Widget:
    """A new part of those the stage mounts the first time the session needs them (Stage.show): the first
    frame styles and mounts only what it shows, and imports neither the message's module nor the end's."""
    from atelier_timer.ui.widgets.end import EndSummary
    from atelier_timer.ui.widgets.message import RoomMessage
    from atelier_timer.ui.widgets.roti import RotiChart

    parts = {"big-title": BigTitle, "speaker": Static, "room-message": RoomMessage, "roti": RotiChart, "end": EndSummary}
    return parts[name](id=name)


def flashing(session: Session) -> bool:
    """Whether the countdown shows its flash frame now."""
    over = -session.remaining()
    return session.running and 0 <= over < FLASH_SECONDS and int(over / FLASH) % 2 == 0


class Stage(SessionView, Vertical):
    """The step on stage and its countdown; the step's texts are redrawn only when the step changes."""

    closed_at: var[float | None] = var(None)  # when the facilitator quit (the read-only viewer says so)
    record_path: var[Path | None] = var(None, init=False)  # where the record was last written (the end screen says)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._step_shown: object = None
        self._layout_shown: object = None
        self._parts: dict[str, Widget] = {}  # the occasional parts brought so far, by id

    def watch_record_path(self, path: Path | None) -> None:
        if "end" in self._parts:
            self._parts["end"].record_path = path

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield BigTitle(id="turn-name")
        yield BigTime(id="countdown")
        yield Static(id="turn")
        yield StepProgress(id="progress")
        yield Static(id="hint")
        yield NowNext(id="now-next")
        yield Static(id="prompt")
        yield Reminders(id="reminders")

    def _bring_parts(self, session: Session) -> bool:
        """Mount, in its place, each occasional part the session needs now and the stage does not have yet
        (occasional_part); whether it brought any. They stay once brought, hidden by their own rules."""
        needed = {
            "big-title": session.finished or self.screen.has_class("-present"),
            "speaker": bool(session.step.speaker),
            "room-message": session.message_now() is not None,
            "roti": session.audience.roti_opened,
            "end": session.finished,
        }
        brought = [name for name, need in needed.items() if need and name not in self._parts]
        for name in brought:
            part = self._parts[name] = occasional_part(name)
            later = PARTS[PARTS.index(name) + 1 :]
            self.mount(part, before=next((child for child in self.children if child.id in later), None))
        if "end" in brought:
            self._parts["end"].record_path = self.record_path
        return bool(brought)

    def on_resize(self) -> None:
        self.fit()

    def refit(self) -> None:
        """Share the rows again once the screen has taken its new classes (a mode, a pane, a step)."""
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Share the stage's rows so that every text the room reads is whole and the countdown keeps its
        block digits.

        The texts take what they need; the block-letter titles (the step's in presentation mode, the
        turn's name) share a third of the rest, or the rows the digits are too wide to use, and the
        countdown takes what remains; a message to the room (an audience's question) comes first among the
        titles, in the rows the digits cannot use, and the others are no larger than it. When that would
        leave the countdown less than its smallest digits, the stage first closes its gaps (``_close_gaps``),
        then takes the side pane's room (``-stage-first`` on the screen), unless the pane is in use: a
        note being typed, the hypotheses shown: then the facilitator's prompt makes way (``-prompt-yields``)
        rather than the digits or the room's reminders. Digits hidden (``d``) need no rows, the texts
        still do.
        """
        countdown = self.query_one("#countdown", BigTime)
        titles = [title for title in self.query_children(BigTitle) if title.display]
        screen = self.screen
        if self.has_class("-finished"):
            for title in titles:
                title.budget = title.largest = None
            self._close_gaps(False)
            self.remove_class("-prompt-yields")
            screen.remove_class("-stage-first")
            return
        side = screen.query_one("#side")
        height, full = self._room()
        in_use = screen.has_class("-hypotheses") or getattr(self.app.focused, "id", None) == "note-input"
        # (width, tight, stage first, prompt yields), tried in this order
        if screen.has_class("-present") or screen.has_class("-narrow"):  # no side pane to take room from
            choices = [(full, False, False, False), (full, True, False, False)]
        else:
            beside = full - int(side.styles.width.value)
            choices = [(beside, False, False, False), (beside, True, False, False)]
            if not in_use:
                choices += [(full, False, True, False), (full, True, True, False)]
            else:  # the facilitator is at the side pane: their own text makes way
                choices += [(beside, True, False, True)]
        digits = MIN_DIGIT_ROWS if countdown.display else 0
        needed = digits + len(titles)
        for width, tight, stage_first, prompt_yields in choices:  # noqa: B007 - the layout chosen is used after the loop
            free = height - self._rows_taken(width, tight, prompt_yields)
            if free >= needed:
                break
        self._close_gaps(tight)
        self.set_class(prompt_yields, "-prompt-yields")
        screen.set_class(stage_first, "-stage-first")
        # The rows the digits cannot use (they are as wide as the stage allows), then a third of the rest;
        # while a message is up, only the rows the digits cannot use: it never shrinks them.
        unused = free - (digit_rows(width) if digits else 0)
        message = next((title for title in titles if title.id == "room-message"), None)
        if message is not None:
            # The message is what the room reads now (a question from the audience: a sentence). It has its
            # share, or more when its smallest capitals need more and the others can do with a row each
            # (in plain text); the other titles share what it leaves, never larger than it.
            others = [title for title in titles if title is not message]
            room, inner = max(unused, 0), max(width - message.styles.gutter.width, 1)
            margins = sum(title.styles.margin.top + title.styles.margin.bottom for title in others)
            need = message.smallest_rows(inner)
            share = room // len(titles)
            message.budget = max(1, need if need is not None and share < need <= room - len(others) - margins else share)
            used, scale = len(message.lines_at(inner)), message.scale_at(inner)
            left = room - used - margins
            for title in others:
                title.budget, title.largest = max(1, left // len(others)), max(scale, 1)
            return
        for title in titles:
            title.largest = None
            share = max(free // TITLE_SHARE, unused) // len(titles)
            title.budget = max(1, min(share, (free - digits) // len(titles)))

    def _room(self) -> tuple[int, int]:
        """The stage's height, and its width without the side pane: as laid out, or before the first
        layout (the app fits the stage at once, so that its first frame is already right) from the
        screen's size less the rows under the stage: the status line (one or two) and the key bar."""
        if self.size.height:
            return self.size.height, self.parent.size.width - self.styles.gutter.width
        width, height = self.app.size
        return height - self.screen.query_one(StatusLine).rows_at(width) - 1, width - self.styles.gutter.width

    def _rows_taken(self, width: int, tight: bool, prompt_yields: bool = False) -> int:
        """The rows the stage's texts take at ``width`` (everything but the countdown and the block titles);
        ``tight``: without their gaps (margins and padding; borders stay); ``prompt_yields``: without the prompt."""
        rows = 0
        for child in self.children:
            if child.id == "prompt" and not child.has_class("-empty") and self.has_class("-prompt-yields"):
                shown = not prompt_yields  # hidden by this very rule until now: measured as if shown
            else:
                shown = child.display and not (child.id == "prompt" and prompt_yields)
            if not shown or child.id in FLEXIBLE or child.id in ("countdown", "end"):
                continue
            styles, css = child.styles, child.styles.base  # css: the stylesheet's gaps, open or closed now
            inner = max(1, width - css.gutter.width - css.margin.width)
            if styles.height is not None and styles.height.is_cells:
                content = int(styles.height.value) - css.gutter.height
            else:
                content = child.get_content_height(Size(width, 1_000), Size(width, 1_000), inner)
            content += css.border.spacing.height if tight else css.gutter.height
            if styles.max_height is not None and styles.max_height.is_cells:
                content = min(content, int(styles.max_height.value))
            rows += content + (0 if tight else css.margin.height)
        return rows

    def _close_gaps(self, tight: bool) -> None:
        """Close the gaps above and below the stage's parts (their margins and padding), or give them back.

        Inline styles over the stylesheet's, not a class: ``_rows_taken`` reads the stylesheet's own
        gaps (``styles.base``), so that fitting again while they are closed still knows what opening
        them would cost (with a class, the second fit saw no gaps, opened them, and the third closed
        them again).
        """
        for child in self.children:
            inline = child.styles.inline
            if tight:
                margin, padding = child.styles.base.margin, child.styles.base.padding
                child.styles.margin = (0, margin.right, 0, margin.left)
                child.styles.padding = (0, padding.right, 0, padding.left)
            elif inline.has_rule("margin") or inline.has_rule("padding"):
                inline.clear_rule("margin")
                inline.clear_rule("padding")
                child.refresh(layout=True)

    def show(self, session: Session) -> None:
        if self._bring_parts(session):
            self._step_shown = self._layout_shown = None  # the new parts take the step's texts, then a share of the rows
        waiting = session.until_start()
        self.set_class(session.finished, "-finished")
        self.set_class(waiting is not None, "-waiting")  # the step's texts wait with it
        title = session.agenda.title if session.finished or waiting is not None else session.step.title
        shown = (session.step, title)
        if shown != self._step_shown:
            self._step_shown = shown
            self._show_step(session, title)
        if waiting is None:
            self._show_time(session)
        else:
            self._show_wait(session, waiting)
        # What decides how the rows are shared: the texts shown, and which parts are there at all.
        roti = session.audience.roti_view()
        roti_shown = roti is not None and (roti["open"] or roti["revealed"], roti["revealed"])
        layout = (shown, session.turn if session.has_turns else None, session.hidden, session.message_now() is not None, roti_shown)
        if layout != self._layout_shown:
            self._layout_shown = layout
            self.refit()
        for part in self._parts.values():
            if isinstance(part, SessionView):  # the message and the end summary: the app never knew them
                part.session = session

    def _show_step(self, session: Session, title: str) -> None:
        """The title (the step's; the workshop's before the slot's start and once finished), speaker and prompt."""
        step = session.step
        if "big-title" in self._parts:
            self._parts["big-title"].text = title
        self.query_one("#title", Static).update(Content.styled(title, "b"))
        if "speaker" in self._parts:
            speaker = self._parts["speaker"]
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
        text = self.app.t("waiting_start", start=time_of_day(session.slot.start), countdown=shown)
        update_if_changed(self.query_one("#hint", Static), text)

    def _show_time(self, session: Session) -> None:
        """The countdown in the colour of its phase (flashing at first in overtime, dimmed when paused), and the hint.

        What it counts is the room's view (live.room_view), as on the web pages: in a step with turns
        the current turn, the person's name large above the digits.
        """
        view = room_view(session)
        self._show_turn(session, view)
        countdown = self.query_one("#countdown", BigTime)
        self.set_class(view.hidden, "-digits-hidden")  # a class: the end screen's own rules still apply
        countdown.show(view.digits if view.digits is not None else countdown_text(view.remaining))
        countdown.remove_class("-waiting")
        for name in PHASES:
            countdown.set_class(name == view.phase, f"-{name}")
        countdown.set_class(flashing(session), "-flash")
        countdown.set_class(view.state == "paused", "-paused")
        update_if_changed(self.query_one("#hint", Static), self._hint(session, view.phase))

    def _show_turn(self, session: Session, view: RoomView) -> None:
        """Whose turn it is, large; then "turn 2/3", the step's own time left and what each following turn now has."""
        name = self.query_one("#turn-name", BigTitle)
        line = self.query_one("#turn", Static)
        name.set_class(view.person is None, "-empty")
        line.set_class(view.person is None, "-empty")
        if view.person is None:
            return
        t = self.app.t
        name.text = view.person
        text = t("turn_line", number=view.turn + 1, count=view.turns, where=step_time(session, t))
        coming = session.coming_turns()
        if coming:
            key = "turns_each" if len(coming) > 1 and len(set(coming)) == 1 else "turn_then"
            text += " · " + t(key, time=duration_words(coming[0]))
        update_if_changed(line, text)

    def _hint(self, session: Session, phase: str) -> str:
        t, state = self.app.t, session.state()
        if self.app.read_only:
            if self.closed_at is not None and state != "finished":
                return t("closed", time=time_of_day(self.closed_at))
            return t("state.paused") if state == "paused" else ""
        hints = {"ready": t("press_space"), "paused": t("paused")}
        return hints.get(state, t("overtime") if phase == "overtime" and state == "running" and not session.hidden else "")
