"""The facilitation screen: the Textual app, built by one factory for the CLI and the tests.

Time never comes from counting ticks: every figure on screen is derived from the session, which reads
the clock. One timer wakes the screen when the shown second is about to change (at most twice a
second, and never while paused); widgets are updated only when their text changes.
"""

from __future__ import annotations

import asyncio
import gc
import math
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import Input, Static

from atelier_timer import control, portable
from atelier_timer.agenda import Agenda
from atelier_timer.config import clicker_mode, load_config, save_config
from atelier_timer.clock import Clock, SleepWatch, SystemClock
from atelier_timer.i18n import UI_STRINGS, Translator
from atelier_timer.journal import Journal, Recorder
from atelier_timer.live import room_view
from atelier_timer.safetext import printable
from atelier_timer.session import Session, Slot, clock_text, countdown_text, drift_text, duration_words, minutes_text, parse_message
from atelier_timer.sound import DEFAULT_VOLUME, Chimes, choose_sound
from atelier_timer.ui.themes import DEFAULT_THEME, THEMES, ThemeChoices
from atelier_timer.ui.widgets.keybar import KeyBar
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed
from atelier_timer.ui.widgets.stage import FLASH, FLASH_SECONDS, PHASES, Stage
from atelier_timer.ui.widgets.status import StatusLine, status_text

if TYPE_CHECKING:
    from textual.driver import Driver

    from atelier_timer.ui.widgets.message import MessageInput
    from atelier_timer.ui.widgets.note_input import NoteInput
    from atelier_timer.ui.widgets.notices import Notices

EPSILON = 0.005  # wake just after the shown second changes, not just before
ON_TIME = 30  # seconds: a gap, or a late start, under this is "on time"
RETRY = 1.0  # seconds between two tries to write the events a full disk refused
REMOTE_ACTIONS = (  # controller commands that are keys
    "toggle", "next", "previous", "next_turn", "previous_turn", "add_minute", "remove_minute", "vote_toggle", "tally",
)
SESSION_ACTIONS = (
    "toggle", "next", "previous", "next_turn", "previous_turn", "add_minute", "remove_minute", "rebalance", "note",
    "message", "messages", "hide", "clicker", "vote_toggle", "tally", "questions", "roti", "roti_reveal",
)  # fmt: skip
SCREEN_ACTIONS = SESSION_ACTIONS + ("present", "export", "hypotheses", "help", "quit_session", "links", "command_palette")


def dialogs() -> ModuleType:
    """The dialogs and the palette (ui/screens.py), imported when the first one opens: the first frame
    does without them."""
    from atelier_timer.ui import screens

    return screens


def measures_ui() -> ModuleType:
    """The measures' pane, dialogs and vote actions (ui/widgets/measures.py)."""
    from atelier_timer.ui.widgets import measures

    return measures


class MainScreen(Screen):
    """The timer's screen. Textual restyles a whole screen each time it is resumed; the first resume
    comes right after the mount, which has just styled every node, so that one restyle is skipped (it
    took 8 to 12 ms of the first frame). Every later resume, back from a dialog, restyles as usual."""

    _resumed = False
    # Back from a dialog, the focus stays where it was (nowhere, unless the facilitator put it somewhere):
    # Textual's default would hand it to the first focusable widget, the measures' list of a hidden pane,
    # whose keys (a, e, 1, 2, 3) would then take the timer's
    AUTO_FOCUS = ""  # (None would mean the app's "*")

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._resumed:
            self._resumed = True
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)


class TimerApp(App[int]):
    """A full-screen countdown over an agenda, with reminders, notes and the session's status."""

    CSS_PATH = "app.tcss"
    TITLE = "atelier-timer"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide"), (130, "-wide-xl")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-medium"), (32, "-tall")]

    BINDINGS = [
        Binding("space", "toggle", "Start/pause", id="toggle"),
        Binding("n,right", "next", "Next", id="next"),
        Binding("p,left", "previous", "Previous", show=False, id="previous"),
        Binding("t", "next_turn", "Next turn", show=False, id="next_turn"),
        Binding("T,shift+t", "previous_turn", "Previous turn", show=False, id="previous_turn"),
        Binding("plus,equals_sign", "add_minute", "+1 min", show=False, id="add_minute"),
        Binding("minus", "remove_minute", "-1 min", show=False, id="remove_minute"),
        # A priority binding runs as the key arrives, so the keys typed right after it reach the input.
        Binding("i,enter", "note", "Note", priority=True, id="note"),
        Binding("m", "message", "Message", priority=True, id="message"),
        Binding("M", "messages", "Messages", show=False, id="messages"),
        Binding("d", "hide", "Hide the digits", show=False, id="hide"),
        Binding("full_stop", "blackout", "Blackout", show=False, id="blackout"),
        # What a presentation clicker sends: priority bindings, so that no scrolling pane takes them.
        Binding("pagedown", "clicker('next')", show=False, priority=True),
        Binding("pageup", "clicker('previous')", show=False, priority=True),
        Binding("b", "rebalance", "Rebalance", show=False, id="rebalance"),
        Binding("f", "present", "Present", id="present"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("h", "hypotheses", "Hypotheses", show=False, id="hypotheses"),
        Binding("w", "links", "Links", show=False, id="links"),
        Binding("a", "questions", "Questions", show=False, id="questions"),
        Binding("r", "roti", "ROTI", show=False, id="roti"),
        Binding("R", "roti_reveal", "Show the ROTI", show=False, id="roti_reveal"),
        Binding("v", "vote_toggle", "Vote", show=False, id="vote_toggle"),
        Binding("V", "tally", "Tally", show=False, id="tally"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit_session", "Quit", id="quit"),
        # The terminal sends Ctrl+Z to the app as a key: Textual's own action stops it as a shell's job
        # (`fg` brings it back; nothing on Windows).
        Binding("ctrl+z", "suspend_process", show=False, id="suspend"),
    ]
    # what the help screen lists, in this order: binding id -> keys as the facilitator reads them
    HELP_KEYS = {
        "toggle": "{space}",
        "next": "n  →  {pagedown}",
        "previous": "p  ←  {pageup}",
        "next_turn": "t",
        "previous_turn": "T",
        "add_minute": "+  =",
        "remove_minute": "-",
        "note": "i  {enter}",
        "message": "m",
        "messages": "M",
        "hide": "d",
        "blackout": ".",
        "rebalance": "b",
        "present": "f",
        "export": "e",
        "hypotheses": "h",
        "links": "w",
        "questions": "a  r  R",  # one row: the help fits 80x24 whole
        "vote_toggle": "v  V",  # one row each for the vote and the audience: the help fits 80x24 whole
        "help": "?",
        "quit": "q",
    }

    def __init__(
        self,
        session: Session,
        *,
        lang: str,
        notes_dir: Path,
        sound: tuple[str, int] = ("on", DEFAULT_VOLUME),
        journal_factory=None,
        journal: Journal | None = None,
        read_only: bool = False,
        theme: str | None = None,
        saved_theme: str | None = None,
    ) -> None:
        super().__init__()
        for registered in THEMES.values():
            self.register_theme(registered)
        remembered = theme or saved_theme
        self._set_theme_quietly(remembered if remembered in self.available_themes else DEFAULT_THEME)
        if theme:
            self._remember_theme()
        self.session = session
        self.agenda: Agenda = session.agenda
        self.t = Translator(UI_STRINGS, lang)
        self.lang = self.t.lang
        self.notes_dir = notes_dir
        mode, volume = sound
        self.chimes = Chimes(mode, volume, bell=self.bell, no_device=self._tell_no_audio_device)
        self.bells: list[tuple[int, str]] = []  # (step, phase) of each chime rung: tests read it
        self.read_only = read_only
        self.recorder = Recorder(journal, journal_factory)
        self._sync_queued = False
        self._waker: control.Waker | None = None  # the controller's wake-up, once listened to
        self._retry: Timer | None = None
        self._quitting = False
        self.farewell: list[str] = []  # what went wrong on the way out, said once the terminal is restored
        self._timer: Timer | None = None
        self._later: list[AwaitMount] | None = None  # what is mounted after the first frame: _mount_later
        self._phase = session.phase()
        self._turn_phase = session.turn_phase()
        self._sleep_watch = SleepWatch(session.clock)
        self._asking_sleep = False
        self._said_no_audio = False
        self._notices: Notices | None = None
        self.last_export: Path | None = None
        self.session.record = self._record
        self.presence: control.Presence | None = None  # what serve reads to find this run before its journal
        self.clicker = "turns"  # what Page Down / Page Up move by in a step of turns (the settings' clicker)

    # ----- composition -----

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform; on Linux and macOS, one that keeps a single reader of the
        terminal across a stop and a continue (ui/driver.py)."""
        try:
            driver = super().get_driver_class()
            from textual.drivers.linux_driver import LinuxDriver  # imported by Textual's choice already
        except ImportError:  # a Python without termios that is not Windows: only Pilot can drive it
            from textual.drivers.headless_driver import HeadlessDriver

            return HeadlessDriver
        if driver is LinuxDriver:
            from atelier_timer.ui.driver import OneReaderDriver

            return OneReaderDriver
        return driver

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Stage(id="stage")
            yield Vertical(id="side")  # its panes come right after the first frame: _mount_later
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self._views = list(self.query("*").results(SessionView))
        self.theme_changed_signal.subscribe(self, lambda _theme: self._remember_theme())
        if self.read_only:
            self.screen.add_class("-present")
        if not self.is_headless:  # a closed terminal, a logout, a kill: quit cleanly
            portable.on_quit_signals(asyncio.get_running_loop(), self._quit)
        self._show_keys()
        if self.presence is not None:
            self.presence.announce(self.journal.session_id if self.journal is not None else None)
        self._listen_for_commands()
        if self.session.resumed and not self.read_only:
            counted = self.t("resumed.counted") if self.session.running else ""
            self.notify(self.t("resumed", time=duration_words(self.session.away), counted=counted), timeout=8)
        elif not self.read_only and self.session.until_start() is not None:
            self.session.mark("waiting")  # the journal exists from now on, so `follow` shows the wait too
        self.set_timer(1.0, self.chimes.prepare)  # once the first screen is drawn
        self.call_after_refresh(self._after_first_frame)
        self.tick()
        self.query_one(Stage).fit()  # before the first layout: the first frame is already shared right

    async def _after_first_frame(self) -> None:
        gc.enable()  # off for the start-up (atelier_timer.__main__)
        await self._mount_later()

    async def _mount_later(self) -> None:
        """What the first frame does without, mounted once: the side pane's agenda, hypotheses, notes and
        note line, and the (hidden) message line. Awaited before using them.

        They come right after the first frame: the room reads the stage first, and the countdown shows
        sooner. The side pane's place is kept from the first frame, so nothing on the stage moves; a key
        that needs them before then (``i``, ``h``, ``m``) waits for them.
        """
        if self._later is not None:
            for mounted in self._later:
                await mounted
            return
        main = self.screen_stack[0]  # a dialog may already be on top of it
        if self._closing or not main.is_attached:  # quit before the first frame was out
            return
        # Their modules too are imported only now.
        from atelier_timer.ui.widgets.agenda import AgendaView
        from atelier_timer.ui.widgets.hypotheses import HypothesesView
        from atelier_timer.ui.widgets.measures import VoteBoard
        from atelier_timer.ui.widgets.message import MessageInput
        from atelier_timer.ui.widgets.note_input import NoteInput
        from atelier_timer.ui.widgets.notes import NotesLog

        hypotheses = HypothesesView(id="hypotheses")
        hypotheses.display = False
        panes = [
            AgendaView(id="agenda"),
            hypotheses,
            NotesLog(id="notes-log"),
            NoteInput(placeholder=self.t("note_placeholder"), id="note-input", disabled=self.read_only),
        ]
        message = MessageInput(placeholder=self.t("message_placeholder"), id="message-input")
        vote = VoteBoard(id="vote-board")
        self._later = [main.query_one("#side").mount_all(panes), main.mount(message, vote, before=main.query_one(StatusLine))]
        for mounted in self._later:
            await mounted
        views = [pane for pane in (*panes, vote) if isinstance(pane, SessionView)]
        self._views += views
        if not self._closing:
            for view in views:
                view.session = self.session

    def _set_theme_quietly(self, name: str) -> None:
        """Set the theme before the first frame without Textual's watcher, which would parse every
        stylesheet a second time once the app runs: nothing is parsed yet, so the stylesheet only needs
        the theme's variables."""
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self.add_class(f"-theme-{name}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, all in the UI language: the session's actions, then Textual's own."""
        for binding_id in self.HELP_KEYS:
            if self.read_only and binding_id in SESSION_ACTIONS:
                continue
            action = next(b.action for b in self.BINDINGS if b.id == binding_id)
            yield SystemCommand(self.t(f"key.{binding_id}"), self._keys_of(binding_id), lambda a=action: self.run_action(a))
        yield SystemCommand(self.t("command.theme"), self.t("command.theme.help"), self.action_change_theme)
        yield SystemCommand(self.t("command.screenshot"), self.t("command.screenshot.help"), self.action_screenshot)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(dialogs().Palette(placeholder=self.t("command.search"), id="--command-palette"))

    def action_change_theme(self) -> None:
        self.push_screen(dialogs().Palette(providers=[ThemeChoices], placeholder=self.t("command.theme.search")))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save a picture of the screen next to the notes, and say where."""
        try:
            self.notes_dir.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, path or str(self.notes_dir))
        except OSError as error:
            self.notify(self.t("screenshot_failed", error=str(error)), severity="error", timeout=10)
            return
        self.notify(self.t("screenshot_saved", path=saved), timeout=8)

    def _remember_theme(self) -> None:
        """The theme is kept in the user's settings, for the next start."""
        try:
            save_config(theme=self.theme)
        except OSError as error:
            self.call_later(self.notify, self.t("config_failed", error=str(error)), severity="warning", timeout=8)

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None, markup: bool = True) -> None:
        """A notice, on its own line under the stage (Textual's toasts would cover the digits)."""
        if self._notices is None:
            if self._quitting:  # the screen is being taken down: nobody would read it
                return
            if not self.screen_stack or not self.screen_stack[0].is_attached:  # before the screen is up: as soon as it is
                self.call_later(self.notify, message, severity=severity, timeout=timeout)
                return
            from atelier_timer.ui.widgets.notices import Notices

            self._notices = Notices(id="notices")  # the first notice brings the line they are shown on (and its module)
            self.screen_stack[0].mount(self._notices)
        self._notices.add(message, severity, timeout or self.NOTIFICATION_TIMEOUT)

    def _show_keys(self) -> None:
        """The key bar for the mode the screen is in: presentation mode says how to leave it."""
        if self.read_only:
            shown = ("present", "help", "quit")
        elif self.screen.has_class("-present"):
            shown = ("present_off", "toggle", "next", "quit")
        else:
            shown = ("toggle", "next", "note", "present", "help", "quit")
        keys = [(self._keys_of(i.removesuffix("_off")).split()[0], self.t("short." + i)) for i in shown]
        self.query_one(KeyBar).keys = (*keys, ("ctrl+p", self.t("short.palette")))

    def _keys_of(self, binding_id: str) -> str:
        """The keys of an action as the facilitator reads them, in the UI language."""
        names = {name: self.t(f"keyname.{name}") for name in ("space", "enter", "pagedown", "pageup")}
        return self.HELP_KEYS[binding_id].format(**names)

    def show_session(self, session: Session, closed_at: float | None = None, record_path: Path | None = None) -> None:
        """Show another state of the session (the read-only viewer, after its journal grew): ``closed_at``
        is when the facilitator quit, if they did, ``record_path`` where the record was last written."""
        session.record = self._record
        self.session = session
        stage = self.query_one(Stage)
        stage.closed_at, stage.record_path = closed_at, record_path
        self._phase = session.phase()
        self.tick()

    # ----- the clock: one self-rescheduling timer -----

    def tick(self) -> float:
        """Bring the screen up to date with the clock; returns the delay until the next wake.

        Running, the screen wakes as the shown second changes; waiting for the slot's start, every
        second; otherwise when the time of day's minute changes. The tests and the benchmarks call
        this after moving the fake clock.
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.is_running:
            return 0.0  # a wake that fired while the app shuts down: its widgets are gone
        session = self.session
        if session.running and not self.read_only:
            slept = self._sleep_watch.check()
            if slept and not self._asking_sleep:
                self._ask_about_sleep(slept)
        self._advance_turn_at_zero()
        self._check_phase()
        self._check_turn_phase()
        self._show()
        delay = self._next_wake() if session.running else self._idle_wake()
        self._timer = self.set_timer(delay, self.tick)
        return delay

    def _idle_wake(self) -> float:
        """Not running: the next second of the wait for the slot's start, else the next minute of the day."""
        waiting = self.session.until_start()
        if waiting is not None:
            return (waiting - math.floor(waiting) or 1.0) + EPSILON
        return 60.0 - self.session.clock.wall() % 60.0 + EPSILON

    def _next_wake(self) -> float:
        session = self.session
        remaining = session.remaining()
        if remaining > 0:
            to_step_change = remaining - math.floor(remaining) or 1.0
        else:
            to_step_change = math.ceil(-remaining) + remaining or 1.0
            if -remaining < FLASH_SECONDS:
                to_step_change = min(to_step_change, FLASH - (-remaining % FLASH) or FLASH)
        elapsed = session.session_elapsed()
        to_elapsed_change = math.ceil(elapsed) - elapsed or 1.0
        to_turn_change = 1.0
        if session.has_turns:  # a turn's seconds turn over at their own moment, not the step's
            turn_left = session.turn_remaining()
            to_turn_change = turn_left - math.floor(turn_left) or 1.0
        return min(to_step_change, to_elapsed_change, to_turn_change, 1.0) + EPSILON

    def _check_phase(self) -> None:
        """Ring and recolour when the step crosses a threshold; advance at zero when the agenda says so."""
        session = self.session
        phase = session.phase()
        if phase != self._phase:
            previous, self._phase = self._phase, phase
            crossed = _PHASE_ORDER[phase] > _PHASE_ORDER[previous]
            if crossed and session.running and phase in CHIME_OF_PHASE:
                self.ring(phase)
                self._turn_phase = session.turn_phase()  # the last turn's end is the step's: one signal
            auto_advance = self.agenda.auto_advance_for(session.step)
            if crossed and phase == "overtime" and session.running and auto_advance and not self.read_only:
                self._next_step()

    def _advance_turn_at_zero(self) -> None:
        """With ``auto_advance``, a turn reaching its zero hands over to the next person, with the turn's
        signal; a turn gone back to (``T``) after its zero keeps counting overtime."""
        if not self.read_only and self._turn_phase != "overtime" and self.session.turn_at_zero():
            self.ring("turn")
            self._turn_phase = self.session.turn_phase()

    def _check_turn_phase(self) -> None:
        """A turn's end gets the softer ``turn`` signal; its warning only recolours the countdown."""
        session = self.session
        phase = session.turn_phase()
        if phase != self._turn_phase:
            previous, self._turn_phase = self._turn_phase, phase
            if _PHASE_ORDER[phase] > _PHASE_ORDER[previous] and phase == "overtime" and session.running:
                self.ring("turn")

    def ring(self, phase: str) -> None:
        """The chime of ``phase`` (``warning``, ``danger``, ``overtime``: zero, or ``turn``), as ``--sound`` says."""
        if self.chimes.mode != "off":
            self.bells.append((self.session.index, phase))
            self.chimes.play(CHIME_OF_PHASE[phase])

    def _tell_no_audio_device(self) -> None:
        """Called from the chime's thread: ring the bell instead, and say so once."""

        def tell() -> None:
            self.bell()
            if not self._said_no_audio:
                self._said_no_audio = True
                self.notify(self.t("no_audio_device"), severity="warning", timeout=10)

        try:
            self.call_from_thread(tell)
        except RuntimeError:  # the app has already closed
            pass

    # ----- showing the session -----

    def _show(self) -> None:
        """Hand the session to every part of the screen; each redraws only what changed."""
        if self._closing:  # a last tick while the screen is taken down: nothing left to draw on
            return
        for view in self._views:
            view.session = self.session

    def status_text(self) -> str:
        """The status line's text, as it reads now."""
        return status_text(self.session, self.t)

    def show_alert(self, text: str | None) -> None:
        """A line that stays above the status line until the problem it names is solved (None hides it)."""
        main = self.screen_stack[0]
        alert = next(iter(main.query("#alert").results(Static)), None)
        if alert is None:
            if not text or not main.is_attached:  # no problem to say, or the screen is being taken down
                return
            alert = Static(id="alert")  # the first alert brings its line, above the status line
            main.mount(alert, before=main.query_one(StatusLine))
        update_if_changed(alert, text or "")
        alert.set_class(not text, "-empty")

    # ----- the journal -----

    @property
    def journal(self) -> Journal | None:
        """The session's open journal (None before its first event, or while the disk refuses it)."""
        return self.recorder.journal

    def _record(self, event: dict) -> None:
        """Every session event is written to the journal at once; made durable before the next key is read."""
        if self.read_only:
            return
        self.recorder.write(event)
        if not self.is_running:
            self._sync_journal()
        elif not self._sync_queued:
            # One fsync for a burst: the keys already queued (a pasted line of notes) are written
            # first, then all are synced together, before any later key is handled.
            self._sync_queued = True
            self.call_later(self._sync_journal)

    def _sync_journal(self) -> None:
        """Make the written events durable, then show the notes (never one that is not on disk) and the
        recording's health: a problem stays on screen, and is retried, until it is solved."""
        self._sync_queued = False
        recorder = self.recorder
        recorder.sync()
        self._listen_for_commands()
        if recorder.recreated:
            recorder.recreated = False
            self.notify(self.t("recording.recreated", path=str(recorder.journal.path)), severity="warning", timeout=12)
        if not self.is_running:
            return
        self._show()
        failing = recorder.problem is not None
        self.show_alert(self.t("recording.failed", error=recorder.problem, count=len(recorder.pending)) if failing else None)
        if failing and self._retry is None:
            self._retry = self.set_interval(RETRY, self._sync_journal, name="retry-journal")
        elif not failing and self._retry is not None:
            self._retry.stop()
            self._retry = None

    # ----- the controller page, through serve -----

    def _state_dir(self) -> Path | None:
        """The state dir of this session's journal (None before its first event)."""
        return self.journal.path.parent.parent if self.journal is not None else None

    def _listen_for_commands(self) -> None:
        """Once the session has a journal, listen for serve's wake-up: serve wakes the app when it drops a
        command, so the controller's commands show at once and nothing is polled meanwhile."""
        if self._waker is not None or self.read_only or self.journal is None or not self.is_running:
            return
        if self.presence is not None:
            self.presence.announce(self.journal.session_id)
        try:
            self._waker = control.Waker(self._state_dir(), self.journal.session_id, self._woken)
        except OSError:  # no loopback here: the controller's commands are refused by serve in time
            return
        self.take_commands()  # what came before the app listened

    def _woken(self) -> None:
        self.call_later(self.take_commands)  # applied as the app's own message, like a key

    def take_commands(self) -> None:
        """Apply the commands the controller page sent through ``serve`` (the control inbox)."""
        state_dir = self._state_dir()
        if state_dir is None:
            return
        taken = control.take(state_dir, self.journal.session_id)
        for command in taken:
            self.apply_command(command)
        for kept in taken.set_aside:  # a file that is no command serve wrote: named, never run
            self.notify(self.t("remote.set_aside", path=printable(str(kept))), severity="warning", timeout=8)

    def apply_command(self, command: dict) -> None:
        """One controller command, as its key would do it, and a word on screen saying where it came from."""
        name = command["command"]
        if name in REMOTE_ACTIONS:
            getattr(self, f"action_{name}")()
            self.notify(self.t("remote.did", action=self.t(f"key.{name}")), timeout=3)
        elif name == "note":
            if self.session.add_note(command["text"], author=command.get("author")) is not None:
                self._show()
        elif name == "message":  # as typed after m: "!" flashes, "@2m" for two minutes, nothing clears
            self.send_message(command["text"] or "")
        elif name == "hide":
            self.session.set_hidden(not self.session.hidden)
            self._after_change()
        elif name == "vote":  # a participant's points: the session's rules say whether they count
            measures_ui().take_vote(self, command)
        elif name in ("question", "roti", "ask", "roti_vote"):
            self._apply_audience_command(command)

    def _apply_audience_command(self, command: dict) -> None:
        """A moderation or a ROTI command from the controller; a question or a vote from a participant's page."""
        from atelier_timer.audience import AudienceError

        audience, name = self.session.audience, command["command"]
        if name == "question":
            self.moderate(command["id"], command["status"])
            return
        try:
            if name == "roti" and command["do"] in ("open", "close"):
                audience.open_roti() if command["do"] == "open" else audience.close_roti()
            elif name == "roti":
                audience.reveal_roti(command["do"] == "reveal")
            elif name == "ask":
                audience.ask(command["browser"], command["text"], command.get("name"))
                self.notify(self.t("questions.new", count=len(audience.waiting())), timeout=4)
            else:
                audience.vote(command["browser"], command["score"])
        except AudienceError:
            return  # too soon, voted already, the vote closed: serve told the page already
        self._audience_changed()

    # ----- the audience: its questions' queue and the ROTI (atelier_timer/audience.py)

    def action_questions(self) -> None:
        """``a``: the queue of the audience's questions, to show one to the room, mark it answered or drop it."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        from atelier_timer.ui.dialogs.questions import QuestionsScreen

        self.push_screen(QuestionsScreen(self.session.audience, self.t, self.moderate))

    def moderate(self, question_id: int, status: str) -> None:
        """The facilitator's choice for a question (shown: the message of the moment), from the dialog or the controller."""
        from atelier_timer.audience import AudienceError, moderate

        try:
            moderate(self.session, question_id, status)
        except AudienceError:
            return  # a controller's command for a question this session does not have
        self._show()

    def action_roti(self) -> None:
        """``r``: open the ROTI vote on the participants' page, or close it."""
        audience = self.session.audience
        if audience.roti_open:
            audience.close_roti()
        else:
            audience.open_roti()
        self.notify(self.t("roti.opened" if audience.roti_open else "roti.closed_now", count=len(audience.votes)), timeout=4)
        self._show()

    def action_roti_reveal(self) -> None:
        """``R``: show the ROTI's distribution to the room (the vote closes), or take it off the stage."""
        audience = self.session.audience
        if not audience.roti_opened:
            self.notify(self.t("roti.not_yet"), severity="warning", timeout=4)
            return
        audience.reveal_roti(not audience.roti_revealed)
        self._show()

    def _audience_changed(self) -> None:
        """A question or a vote came in: the queue's dialog, when open, shows it; a notice says how many
        wait, never what they say (the screen may be the room's)."""
        if hasattr(self.screen, "update_questions"):
            self.screen.update_questions()
        self._show()

    def action_links(self) -> None:
        """The viewer and controller links of the server that runs for this session, with QR codes."""
        state_dir = self._state_dir()
        links = control.read_links(state_dir, self.journal.session_id) if state_dir is not None else None
        if links is None:
            self.notify(self.t("links.none"), timeout=6)
            return
        viewer, secret = (self.t("links.viewer"), links["viewer"]), (self.t("links.controller"), links["controller"])
        question = (self.t("links.secret.title"), self.t("links.secret.body"), self.t("confirm.keys"))
        shared = ((self.t("links.participants"), links["participants"]),) if "participants" in links else ()
        self.push_screen(dialogs().LinksScreen(self.t("links.title"), viewer, secret, self.t("links.close"), question, shared))

    # ----- actions -----

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in SESSION_ACTIONS + ("export", "hypotheses", "links"):
            return False
        if isinstance(self.screen, ModalScreen) and action in SCREEN_ACTIONS:
            return False  # a dialog's answer never falls through to the screen under it
        return True

    def _after_change(self, step_changed: bool = False) -> None:
        if step_changed:
            self._phase = self.session.phase()  # a new step starts in its own phase, without a bell
        self.tick()

    def action_toggle(self) -> None:
        first = not self.session.started
        self.session.toggle()
        self._after_change()
        late = self.session.late_start() if first else None
        if late is not None and late >= ON_TIME:
            self._meet_late_start(late)

    def _meet_late_start(self, late: float) -> None:
        """Started after the slot's start: say how late and where that puts the end, and offer the rebalance."""
        s = self.session
        said = self.t(
            "late.body",
            late=minutes_text(late),  # whole minutes, as the drift beside it: the room does not care for seconds
            start=hhmm(s.slot.start),
            projected=hhmm(s.projected_end()),
            planned=hhmm(s.planned_end()),
            drift=drift_text(s.drift_minutes()),
        )
        self._offer_rebalance(said, self.t("late.title"))

    def action_next(self) -> None:
        self._next_step()
        self.tick()

    def _next_step(self) -> None:
        """The next step; past the last one the session is finished, and its record written at once."""
        self.session.next()
        self._phase = self.session.phase()
        if self.session.finished:
            self.action_export()

    def action_next_turn(self) -> None:
        """The next person's turn; after the last turn, the next step, as ``n``."""
        session = self.session
        if session.has_turns and session.turn == len(session.step.turns) - 1:
            self._next_step()
        else:
            session.next_turn()
        self._turn_phase = session.turn_phase()  # a new turn starts in its own phase, without a signal
        self.tick()

    def action_previous_turn(self) -> None:
        self.session.previous_turn()
        self._turn_phase = self.session.turn_phase()
        self.tick()

    def action_previous(self) -> None:
        self.session.previous()
        self._after_change(step_changed=True)

    def action_add_minute(self) -> None:
        self._adjust(+60)

    def action_remove_minute(self) -> None:
        self._adjust(-60)

    def _adjust(self, seconds: int) -> None:
        """Add or remove a minute and say what it left, as the big digits show it (the turn's time in a step
        with turns): ``+1 min → 04:00``; loudly when it is overtime."""
        session = self.session
        session.adjust(seconds)
        self._after_change()
        view = room_view(session)
        over = {"step": "adjust.overtime", "turn": "adjust.turn_over"}.get(view.over) if seconds < 0 else None
        key = over or ("adjust.more" if seconds > 0 else "adjust.less")
        self.notify(self.t(key, countdown=countdown_text(view.remaining)), severity="warning" if over else "information", timeout=3)

    def _keys_are_the_timers(self) -> bool:
        """False while a line is typed in or a dialog (or the blackout) is up: the keys are theirs then."""
        return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)

    async def action_note(self) -> None:
        if not self._keys_are_the_timers():
            raise SkipAction()  # the key is the dialog's, or the note's own letter or Enter
        await self._mount_later()
        # Focus at once, not on the next loop turn as ``focus()`` does: what follows ``i`` is the note.
        self.screen.set_focus(self.query_one("#note-input"))

    async def action_message(self) -> None:
        """``m``: the message line opens; Enter shows what is typed (an empty line clears the message)."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        await self._mount_later()
        self.query_one("#message-input").open()

    # Handlers named for their message rather than ``@on(MessageInput.Written)``: the input's module is
    # imported after the first frame (_mount_later), not with this one.
    def on_message_input_written(self, event: MessageInput.Written) -> None:
        self.send_message(event.text)

    def send_message(self, raw: str) -> None:
        """Show a message to the room as typed (``!`` first: it flashes; ``@2m`` last: for two minutes)."""
        text, flash, seconds = parse_message(raw)
        self.session.show_message(text, flash=flash, seconds=seconds)
        self._show()

    def action_messages(self) -> None:
        """``M``: the agenda's ready-made messages, to pick one."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        if not self.agenda.messages:
            self.notify(self.t("messages.none"), severity="warning", timeout=8)
            return

        def picked(text: str | None) -> None:
            if text:
                self.send_message(text)

        self.push_screen(dialogs().MessagesScreen(self.t("messages.title"), self.agenda.messages, self.t("messages.keys")), picked)

    def action_hide(self) -> None:
        """``d``: hide or show the digits; the chimes still follow the time."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        self.session.set_hidden(not self.session.hidden)
        self._show()

    def action_clicker(self, action: str) -> None:
        """Page Down / Page Up: next / previous (by turn in a step made of turns, unless the settings say
        ``clicker: steps``), unless a line or a dialog has the keys."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        by_turn = self.clicker == "turns" and self.session.has_turns
        if by_turn and (action == "next" or self.session.turn > 0):
            {"next": self.action_next_turn, "previous": self.action_previous_turn}[action]()
        else:
            {"next": self.action_next, "previous": self.action_previous}[action]()

    def action_blackout(self) -> None:
        """``.``: a black screen with only the time of day, until any key."""
        if not self._keys_are_the_timers():
            raise SkipAction()
        self.push_screen(dialogs().BlackoutScreen(self.session.clock))

    def on_note_input_written(self, event: NoteInput.Written) -> None:  # named, as on_message_input_written
        self.session.add_note(event.text)  # shown once on disk (_sync_journal)

    def action_present(self) -> None:
        self.screen.toggle_class("-present")
        self._show_keys()
        self._show()  # the stage brings its title in block capitals the first time
        self.query_one(Stage).refit()

    async def action_hypotheses(self) -> None:
        """Show the hypotheses in the side pane's place (the notes tied to each are listed under it), or back."""
        await self._mount_later()
        widget = self.query_one("#hypotheses")
        widget.display = not widget.display
        self.screen.set_class(widget.display, "-hypotheses")  # the agenda and the notes make room
        self.query_one(Stage).refit()  # the side pane is in use
        measures_ui().pane_shown(self, widget)

    def on_measure_list_verdict(self, event) -> None:  # named: the pane's module comes after the first frame
        measures_ui().give_verdict(self, event.number, event.verdict)

    def on_measure_list_edit(self, event) -> None:
        measures_ui().edit(self, event.number)

    def action_vote_toggle(self) -> None:
        measures_ui().toggle_vote(self)

    def action_tally(self) -> None:
        measures_ui().toggle_tally(self)

    @on(events.DescendantFocus, "#note-input")
    @on(events.DescendantBlur, "#note-input")
    def _note_line_in_use(self) -> None:
        """The side pane stays while a note is typed (the stage may have taken its room: Stage.fit)."""
        self.query_one(Stage).refit()

    def action_help(self) -> None:
        keys = [(self._keys_of(i), self.t(f"key.{i}")) for i in self.HELP_KEYS]
        keys.append(("ctrl+p", self.t("key.palette")))
        self.push_screen(dialogs().HelpScreen(self.t("help.title"), keys, self.t("help.close")))

    def action_rebalance(self) -> None:
        self._offer_rebalance()

    def _offer_rebalance(self, said: str = "", title: str | None = None) -> None:
        """The rebalance preview, after ``said`` (the late start) when given; a notice when there is nothing to do."""
        plan = self.session.rebalance_plan()
        lead = said + "\n\n" if said else ""
        minutes = minutes_text(plan.gap)
        gap = self.t("rebalance.behind" if plan.gap > 0 else "rebalance.ahead", minutes=minutes)
        if abs(plan.gap) < ON_TIME or plan.new == plan.old:
            # A dialog all the same: the key pressed next answers it, and never reaches the screen.
            if abs(plan.gap) < ON_TIME:
                body = self.t("rebalance.on_time")
            else:
                coming = range(plan.current + 1, len(plan.old))
                free = [i for i in coming if not self.agenda.steps[i].protected]
                body = gap + " " + self.t("rebalance.at_floor" if free else "rebalance.nothing")
            self.push_screen(dialogs().MessageScreen(title or self.t("rebalance.title"), lead + body, self.t("message.keys")))
            return
        body = Text(lead + gap + "\n\n")
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column(justify="right")
        table.add_column()
        table.add_column(justify="right")
        for i, old, new in plan.changes:
            step = self.agenda.steps[i]
            label = step.title + (f" ({self.t('rebalance.protected')})" if step.protected else "")
            table.add_row(label, clock_text(old), "→", Text(clock_text(new), style="bold" if new != old else "dim"))
        new_end = self.session.projected_end() - sum(plan.old) + sum(plan.new)
        footer = Text("\n" + self.t("rebalance.new_end", end=hhmm(new_end)))
        if plan.overrun:
            footer.append("\n" + self.t("rebalance.overrun", time=minutes_text(plan.overrun)), style="bold")
        group = Table.grid()
        group.add_row(body)
        group.add_row(table)
        group.add_row(footer)

        def apply(answer: bool | None) -> None:
            if answer:
                self.session.apply_rebalance(plan)
                self.notify(self.t("rebalance.done"))
                self._after_change(step_changed=True)

        self.push_screen(dialogs().QuestionScreen(title or self.t("rebalance.title"), group, self.t("confirm.keys")), apply)

    def _ask_about_sleep(self, slept: float) -> None:
        self._asking_sleep = True
        body = self.t("sleep.body", time=duration_words(slept), step=self.session.step.title)

        def answer(as_elapsed: bool | None) -> None:
            self._asking_sleep = False
            self.session.account_sleep(slept, as_elapsed=bool(as_elapsed))
            self.notify(self.t("sleep.counted" if as_elapsed else "sleep.paused"))
            self._after_change()

        self.push_screen(dialogs().SleepScreen(self.t("sleep.title"), body, self.t("sleep.keys")), answer)

    def action_export(self) -> Path | None:
        """Write the Markdown record now; the path (or the reason it failed) shows on screen."""
        if not self.session.started:
            self.notify(self.t("nothing_to_export"), severity="warning")
            return None
        path, problem = self._write_record()
        if problem:
            self.notify(self.t("export_failed", error=problem), severity="error", timeout=10)
        else:
            self.notify(self.t("exported", path=str(path)), timeout=8)
        return path

    def _write_record(self) -> tuple[Path | None, str | None]:
        """Export the record (or keep the more complete one already there); where it is, or why it failed."""
        from atelier_timer.report import ExportError, RecordKept, write_export

        try:
            path = write_export(self.session, self.notes_dir, self.lang)
        except RecordKept as kept:
            return kept.path, None
        except ExportError as error:
            return None, str(error)
        self.last_export = path
        self.query_one(Stage).record_path = path
        self.session.mark("export", path=str(path))
        return path, None

    # ----- the ways out: q, Ctrl+Q, the palette's Quit, Ctrl+C, and the signals all end in _quit -----

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's "Quit" (Textual's own): ask as ``q`` does."""
        self.action_quit_session()

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text line: ask as ``q`` does. Inside one it copies, and never quits a note half typed."""
        if not isinstance(self.focused, Input):
            self.action_quit_session()

    def action_quit_session(self) -> None:
        if self.read_only or self.session.state() in ("ready", "finished"):
            self._quit()
            return
        if self.screen.has_class("-quit"):
            return  # already asking

        if self._ask_about_unwritten():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._quit()

        question = dialogs().QuestionScreen(self.t("quit.title"), self.t("quit.body"), self.t("confirm.keys"), classes="-quit")
        self.push_screen(question, answer)

    def _ask_about_unwritten(self) -> bool:
        """When events wait that no disk takes: ask to retry, save them elsewhere, or quit without them.

        Whether it asked: not when a last try writes them, nor when the record can be exported (it
        then holds every note, and the usual question is asked).
        """
        if self.read_only or self.recorder.sync() or not self._write_record()[1]:
            return False
        from atelier_timer.rescue import fallback_dirs
        from atelier_timer.ui.unwritten import UnwrittenScreen

        pending = self.recorder.pending
        notes = sum(1 for event in pending if event.get("type") == "note")
        body = self.t("unwritten.body", notes=notes, count=len(pending), error=self.recorder.problem)

        def answer(choice: str | Path | None) -> None:
            if choice == "lose":
                self._quit()  # an emergency copy first, in the fallback place
            elif choice == "retry":
                self._sync_journal()
                self.call_later(self.action_quit_session)  # once this question is off the screen
            elif isinstance(choice, Path):
                self._save_unwritten_in(choice)

        self.push_screen(UnwrittenScreen(self.t("unwritten.title"), body, self.t("unwritten.keys"), fallback_dirs()[-1]), answer)
        return True

    def _save_unwritten_in(self, folder: Path) -> None:
        """"Save elsewhere": the waiting events and the whole record go to ``folder``, then quit; asked again if it refuses."""
        from atelier_timer.report import ExportError, write_export
        from atelier_timer.rescue import save_unwritten

        try:
            if self.journal is None:
                raise OSError("no session journal to take them back into")
            folder.mkdir(parents=True, exist_ok=True)
            save_unwritten(self.journal.session_id, self.recorder.pending, folder)
            record = write_export(self.session, folder, self.lang)
        except (OSError, ExportError) as error:
            reason = " ".join(str(getattr(error, "strerror", None) or error).split())
            self.notify(self.t("unwritten.save_failed", folder=str(folder), error=reason), severity="error", timeout=10)
            self.call_later(self.action_quit_session)
            return
        self.farewell.append(f"{record}: the whole record, with the notes no disk took")
        self._quit()

    def _quit(self) -> None:
        """The one way out: pause, export, record the quit, close the journal, exit. Never raises.

        What could not be done (an export refused by a full or read-only folder, events the journal
        could not take) is said on stderr once the terminal is restored; a failed export exits 1.
        """
        if self._quitting:
            return
        self._quitting = True
        code, path, problem = 0, None, None
        try:
            if not self.read_only and self.session.started:
                self.session.pause()
                path, problem = self._write_record()
                if problem:
                    self.farewell.append(problem)
                    code = 1
                self.session.mark("quit")
            if self._waker is not None:
                self._waker.close()
                self._waker = None
            self.recorder.close()
            if self.presence is not None:
                self.presence.retract()
            if self.journal is not None and not self.read_only and not self.session.started and not self.session.resumed:
                self.journal.discard()  # opened for the wait only: quitting leaves no trace
            if self.recorder.pending:
                self.farewell.append(self._keep_unwritten(path if not problem else None))
            elif path is not None and not problem:
                self.farewell.append(self.t("quit.record_in", path=str(path)))  # where the notes went
        except Exception as error:  # a bug must not keep the terminal in the app's mode
            self.farewell.append(f"atelier-timer: error while quitting: {error!r}")
            code = 1
        self.exit(code, return_code=code)


    def _keep_unwritten(self, record_path: Path | None, folder: Path | None = None) -> str:
        """Write the events the journal could not take to ``folder`` (else a fallback place); the line saying where."""
        from atelier_timer.rescue import save_unwritten

        recorder = self.recorder
        journal = recorder.journal.path if recorder.journal else "the session journal"
        said = f"{journal}: warning: {len(recorder.pending)} events could not be written ({recorder.problem})"
        if recorder.journal is not None:
            try:
                copy = save_unwritten(recorder.journal.session_id, recorder.pending, folder)
            except OSError as error:
                said += f"; nor kept elsewhere ({' '.join(str(error.strerror or error).split())})"
            else:
                recorder.pending.clear()
                said += f"; kept in {copy}, which 'resume' and 'export' take back"
        return said + (f"; the notes are in {record_path}" if record_path else "")


_PHASE_ORDER = {phase: order for order, phase in enumerate(PHASES)}
CHIME_OF_PHASE = {"warning": "warning", "danger": "danger", "overtime": "zero", "turn": "turn"}


def make_app(
    agenda: Agenda,
    *,
    clock: Clock | None = None,
    state_dir: Path | None = None,
    source_text: str | None = None,
    notes_dir: Path = Path("atelier-notes"),
    lang: str | None = None,
    sound: str | None = None,
    volume: int | None = None,
    session: Session | None = None,
    journal: Journal | None = None,
    read_only: bool = False,
    slot: Slot | None = None,
    theme: str | None = None,
) -> TimerApp:
    """The one way to build the app, for the CLI and the tests.

    A new session's journal is created in ``state_dir`` at its first event (so opening and quitting
    leaves no trace), with ``source_text`` as its agenda snapshot; a resumed session passes its
    restored ``session`` and reopened ``journal``. ``slot`` is a new session's booked slot. ``sound``
    and ``volume`` are the command line's: they win over the agenda's alerts, which win over the user's
    saved settings.
    """
    from atelier_timer.agenda import slugify
    from atelier_timer.i18n import choose_language

    clock = clock or SystemClock()
    session = session or Session(agenda, clock, slot=slot)
    settings = load_config()  # read once: the sound's and the theme's defaults
    factory = None
    if journal is None and state_dir is not None and not read_only:
        if source_text is None:  # a journal without its agenda could never be resumed or exported
            raise ValueError("make_app: a journaled session needs source_text, the agenda's YAML")

        def factory() -> Journal:
            slot_walls = session.slot.to_dict() if session.slot is not None else None
            return Journal.create(state_dir, source_text, agenda.source, slugify(agenda.title), clock.wall(), slot_walls)

    app = TimerApp(
        session,
        lang=choose_language(lang, agenda.language),
        notes_dir=notes_dir,
        sound=choose_sound(sound, volume, agenda.alerts.sound, agenda.alerts.volume, settings),
        journal_factory=factory,
        journal=journal,
        read_only=read_only,
        theme=theme,
        saved_theme=settings.get("theme"),
    )
    app.clicker = clicker_mode(settings)
    if factory is not None:  # a new session: serve finds its run by this file, journal or not
        app.presence = control.Presence(state_dir, source_text, agenda.source, session.slot.to_dict() if session.slot else None)
    return app
