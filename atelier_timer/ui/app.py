"""The facilitation screen: the Textual app, built by one factory for the CLI and the tests.

Time never comes from counting ticks: every figure on screen is derived from the session, which reads
the clock. One timer wakes the screen when the shown second is about to change (ui/timing.py: at most
twice a second, and never while paused); widgets are updated only when their text changes.

Where things are: the keys in atelier_timer/keys.py, their actions on the timer's screen
(ui/main_screen.py), the one timer and the chimes in ui/ticker.py, the controller's commands in
ui/inbox.py, the dialogs in ui/dialogs/ (one a file). The app keeps the themes, the palette, the
notices, the journal's sync and retry, and the ways out.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from atelier_timer import control, portable
from atelier_timer.agenda import Agenda
from atelier_timer.clock import Clock, SystemClock
from atelier_timer.config import clicker_mode, config_path, load_config, save_config
from atelier_timer.i18n import UI_STRINGS, Translator
from atelier_timer.journal import Journal, Recorder
from atelier_timer.keys import KEYS, user_keymap
from atelier_timer.session import Session, Slot, duration_words
from atelier_timer.sound import DEFAULT_VOLUME, choose_sound
from atelier_timer.ui import textual_compat
from atelier_timer.ui.inbox import Inbox
from atelier_timer.ui.main_screen import MainScreen
from atelier_timer.ui.themes import DEFAULT_THEME, THEMES, ThemeChoices
from atelier_timer.ui.ticker import Ticker
from atelier_timer.ui.widgets.keybar import KeyBar
from atelier_timer.ui.widgets.stage import Stage
from atelier_timer.ui.widgets.status import StatusLine, status_text

if TYPE_CHECKING:
    from textual.driver import Driver

    from atelier_timer.ui.widgets.notices import Notices

RETRY = 1.0  # seconds between two tries to write the events a full disk refused
KEY_NAMES = ("space", "enter", "pagedown", "pageup")  # keys said in the UI language (i18n: keyname.*)


class TimerApp(App[int]):
    """A full-screen countdown over an agenda, with reminders, notes and the session's status."""

    CSS_PATH = "app.tcss"
    TITLE = "atelier-timer"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide"), (130, "-wide-xl")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-medium"), (32, "-tall")]
    # The keys that work over every screen (keys.py); the session's are the timer screen's (MainScreen).
    BINDINGS = [Binding(key.keys, key.run.removeprefix("app."), show=False, id=key.id) for key in KEYS if key.app_wide]

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
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        for registered in THEMES.values():
            self.register_theme(registered)
        remembered = theme or saved_theme
        textual_compat.set_first_theme(self, remembered if remembered in self.available_themes else DEFAULT_THEME)
        if theme:
            self._remember_theme()
        self.keymap = keymap or {}  # the user's keys (config.yaml's ``keys:``), by binding id
        if self.keymap:
            self.set_keymap(self.keymap)
        self.session = session
        self.agenda: Agenda = session.agenda
        self.t = Translator(UI_STRINGS, lang)
        self.lang = self.t.lang
        self.notes_dir = notes_dir
        self.read_only = read_only
        self.recorder = Recorder(journal, journal_factory)
        self.inbox = Inbox(self)
        self.ticker = Ticker(self, sound)  # the one timer, the chimes
        self._sync_queued = False
        self._retry: Timer | None = None
        self._quitting = False
        self.farewell: list[str] = []  # what went wrong on the way out, said once the terminal is restored
        self._notices: Notices | None = None
        self.last_export: Path | None = None
        self.session.record = self._record
        self.presence: control.Presence | None = None  # what serve reads to find this run before its journal
        self.clicker = "turns"  # what Page Down / Page Up move by in a step of turns (the settings' clicker)

    # ----- composition -----

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform, on Linux and macOS one that keeps a single reader of the
        terminal across a stop and a continue (textual_compat.terminal_driver)."""
        return textual_compat.terminal_driver(super().get_driver_class)

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    @property
    def main_screen(self) -> MainScreen:
        """The timer's screen, under whatever dialog is open."""
        return self.screen_stack[0]

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Stage(id="stage")
            yield Vertical(id="side")  # its panes come right after the first frame: MainScreen.mount_later
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda _theme: self._remember_theme())
        if self.read_only:
            self.screen.add_class("-present")
        if not self.is_headless:  # a closed terminal, a logout, a kill: quit cleanly
            portable.on_quit_signals(asyncio.get_running_loop(), self.quit_now)
        self.main_screen.show_keys()
        if self.presence is not None:
            self.presence.announce(self.journal.session_id if self.journal is not None else None)
        self.inbox.listen()
        if self.session.resumed and not self.read_only:
            counted = self.t("resumed.counted") if self.session.running else ""
            self.notify(self.t("resumed", time=duration_words(self.session.away), counted=counted), timeout=8)
        elif not self.read_only and self.session.until_start() is not None:
            self.session.mark("waiting")  # the journal exists from now on, so `follow` shows the wait too
        self.set_timer(1.0, self.ticker.chimes.prepare)  # once the first screen is drawn
        self.call_after_refresh(self._after_first_frame)
        self.ticker.tick()
        self.query_one(Stage).fit()  # before the first layout: the first frame is already shared right

    async def _after_first_frame(self) -> None:
        gc.enable()  # off for the start-up (atelier_timer.__main__)
        await self.main_screen.mount_later()

    # ----- themes, the palette, the keys as shown -----

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, all in the UI language: the keys of keys.py, then Textual's own."""
        for key in KEYS:
            if key.listed and not (self.read_only and key.changes_session):
                run = lambda action=key.run: self.run_action(action, self.main_screen)  # noqa: E731
                yield SystemCommand(key.label(self.lang), self.main_screen.keys_text(key.id), run)
        yield SystemCommand(self.t("command.theme"), self.t("command.theme.help"), self.action_change_theme)
        yield SystemCommand(self.t("command.screenshot"), self.t("command.screenshot.help"), self.action_screenshot)

    def action_command_palette(self) -> None:
        """Ctrl+P, over the timer's screen only: a dialog's keys are its own, and the palette's commands act
        on the screen under it."""
        if self.use_command_palette and self.screen is self.main_screen:
            self.push_screen(textual_compat.Palette(placeholder=self.t("command.search"), id="--command-palette"))

    def action_change_theme(self) -> None:
        self.push_screen(textual_compat.Palette(providers=[ThemeChoices], placeholder=self.t("command.theme.search")))

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

    def get_key_display(self, binding: Binding) -> str:
        """A key as the facilitator reads it: ``espace``, ``Entrée``, ``→``, ``T`` for shift+t, ``ctrl+p``."""
        modifiers, key = binding.parse_key()
        name = self.t(f"keyname.{key}") if key in KEY_NAMES else super().get_key_display(binding.with_key(key))
        if modifiers == ["shift"] and len(name) == 1:
            return name.upper()
        return "+".join([*modifiers, name])

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None, markup: bool = True
    ) -> None:
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

    def show_session(self, session: Session, closed_at: float | None = None, record_path: Path | None = None) -> None:
        """Show another state of the session (the read-only viewer, after its journal grew): ``closed_at``
        is when the facilitator quit, if they did, ``record_path`` where the record was last written."""
        session.record = self._record
        self.session = session
        stage = self.query_one(Stage)
        stage.closed_at, stage.record_path = closed_at, record_path
        self.ticker.timing.follow(session)
        self.ticker.tick()

    # ----- showing the session -----

    def status_text(self) -> str:
        """The status line's text, as it reads now."""
        return status_text(self.session, self.t)

    # ----- the journal and the record -----

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
            self.sync_journal()
        elif not self._sync_queued:
            # One fsync for a burst: the keys already queued (a pasted line of notes) are written
            # first, then all are synced together, before any later key is handled.
            self._sync_queued = True
            self.call_later(self.sync_journal)

    def sync_journal(self) -> None:
        """Make the written events durable, then show the notes (never one that is not on disk) and the
        recording's health: a problem stays on screen, and is retried, until it is solved."""
        self._sync_queued = False
        recorder = self.recorder
        recorder.sync()
        self.inbox.listen()
        if recorder.recreated:
            recorder.recreated = False
            self.notify(self.t("recording.recreated", path=str(recorder.journal.path)), severity="warning", timeout=12)
        if not self.is_running:
            return
        self.main_screen.show()
        failing = recorder.problem is not None
        self.main_screen.show_alert(self.t("recording.failed", error=recorder.problem, count=len(recorder.pending)) if failing else None)
        if failing and self._retry is None:
            self._retry = self.set_interval(RETRY, self.sync_journal, name="retry-journal")
        elif not failing and self._retry is not None:
            self._retry.stop()
            self._retry = None

    # ----- the ways out: q, Ctrl+Q, the palette's Quit, Ctrl+C, and the signals all end in quit_now -----

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's "Quit" (Textual's own): ask as ``q`` does."""
        self.action_quit_session()

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text line: ask as ``q`` does. Inside one it copies, and never quits a note half typed."""
        if not isinstance(self.focused, Input):
            self.action_quit_session()

    def action_quit_session(self) -> None:
        if self.read_only or self.session.state() in ("ready", "finished"):
            self.quit_now()
            return
        if self.screen.has_class("-quit"):
            return  # already asking
        from atelier_timer.ui.dialogs.question import QuestionScreen
        from atelier_timer.ui.dialogs.unwritten import ask_about_unwritten

        if ask_about_unwritten(self):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.quit_now()

        self.push_screen(QuestionScreen(self.t("quit.title"), self.t("quit.body"), self.t("confirm.keys"), classes="-quit"), answer)

    def quit_now(self) -> None:
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
                path, problem = self.main_screen.write_record()
                if problem:
                    self.farewell.append(problem)
                    code = 1
                self.session.mark("quit")
            self.inbox.close()
            self.recorder.close()
            if self.presence is not None:
                self.presence.retract()
            if self.journal is not None and not self.read_only and not self.session.started and not self.session.resumed:
                self.journal.discard()  # opened for the wait only: quitting leaves no trace
            if self.recorder.pending:
                from atelier_timer.rescue import keep_unwritten

                self.farewell.append(keep_unwritten(self.recorder, path if not problem else None))
            elif path is not None and not problem:
                self.farewell.append(self.t("quit.record_in", path=str(path)))  # where the notes went
        except Exception as error:  # a bug must not keep the terminal in the app's mode
            self.farewell.append(f"atelier-timer: error while quitting: {error!r}")
            code = 1
        self.exit(code, return_code=code)


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
    saved settings. The user's keymap (config.yaml's ``keys:``) is checked here: ``KeymapError``.
    """
    from atelier_timer.agenda import slugify
    from atelier_timer.i18n import choose_language

    clock = clock or SystemClock()
    session = session or Session(agenda, clock, slot=slot)
    settings = load_config()  # read once: the sound's and the theme's defaults, the user's keys
    keymap = user_keymap(settings, where=str(config_path()))  # KeymapError: the CLI says it in one line
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
        keymap=keymap,
    )
    app.clicker = clicker_mode(settings)
    if factory is not None:  # a new session: serve finds its run by this file, journal or not
        app.presence = control.Presence(state_dir, source_text, agenda.source, session.slot.to_dict() if session.slot else None)
    return app
