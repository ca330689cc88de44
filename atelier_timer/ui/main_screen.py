"""The timer's screen: it owns the session's keys (declared in atelier_timer/keys.py) and their actions.

Its bindings are active only while it is the screen on top: a dialog, the palette or the blackout
above it takes the keys by itself. The app keeps what is app-wide (Ctrl+Q, Ctrl+P, Ctrl+Z), the
journal and the ways out; the one timer that wakes this screen is ui/ticker.py.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from textual import events, on
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Input, Static

from atelier_timer.keys import BY_ID, KEYS, READ_ONLY_REFUSED, TYPED_OVER
from atelier_timer.live import room_view
from atelier_timer.session import countdown_text, drift_text, minutes_text, parse_message
from atelier_timer.ui import textual_compat
from atelier_timer.ui.timing import ON_TIME
from atelier_timer.ui.widgets.keybar import KeyBar
from atelier_timer.ui.widgets.session_view import SessionView, hhmm, update_if_changed
from atelier_timer.ui.widgets.stage import Stage
from atelier_timer.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from pathlib import Path

    from atelier_timer.ui.app import TimerApp
    from atelier_timer.ui.widgets.message import MessageInput
    from atelier_timer.ui.widgets.note_input import NoteInput




def measures_ui() -> ModuleType:
    """The measures' pane, dialog and vote actions (ui/widgets/measures.py), imported when first used."""
    from atelier_timer.ui.widgets import measures

    return measures

class MainScreen(textual_compat.FirstResumeKeepsStyles, Screen):
    """The timer's screen, with the keys of keys.py bound to its actions."""

    BINDINGS = [Binding(key.keys, key.run, key.en, show=False, priority=key.priority, id=key.id) for key in KEYS if not key.app_wide]

    app: TimerApp
    # Back from a dialog, the focus stays where it was (nowhere, unless the facilitator put it somewhere):
    # Textual's default would hand it to the first focusable widget, the measures' list of a hidden pane,
    # whose keys (a, e, 1, 2, 3) would then take the timer's. (None would mean the app's "*".)
    AUTO_FOCUS = ""
    _views: list[SessionView] | None = None  # every part of the screen that shows the session
    _later: list[AwaitMount] | None = None  # what is mounted after the first frame: mount_later

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.read_only and action in READ_ONLY_REFUSED:
            return False
        if action in TYPED_OVER and isinstance(self.focused, Input):
            return False  # the key is the line's own: its letter, its Enter
        return True

    # ----- showing the session -----

    def show(self) -> None:
        """Hand the session to every part of the screen; each redraws only what changed."""
        if textual_compat.closing(self.app):  # a last tick while the screen is taken down: nothing left to draw on
            return
        if self._views is None:
            self._views = list(self.query("*").results(SessionView))
        for view in self._views:
            view.session = self.app.session

    async def mount_later(self) -> None:
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
        app = self.app
        if textual_compat.closing(app) or not self.is_attached:  # quit before the first frame was out
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
            NoteInput(placeholder=app.t("note_placeholder"), id="note-input", disabled=app.read_only),
        ]
        message = MessageInput(placeholder=app.t("message_placeholder"), id="message-input")
        vote = VoteBoard(id="vote-board")
        self._later = [self.query_one("#side").mount_all(panes), self.mount(message, vote, before=self.query_one(StatusLine))]
        for mounted in self._later:
            await mounted
        self._views = None  # gathered again, the new panes with them
        self.show()

    def show_alert(self, text: str | None) -> None:
        """A line that stays above the status line until the problem it names is solved (None hides it)."""
        alert = next(iter(self.query("#alert").results(Static)), None)
        if alert is None:
            if not text or not self.is_attached:  # no problem to say, or the screen is being taken down
                return
            alert = Static(id="alert")  # the first alert brings its line, above the status line
            self.mount(alert, before=self.query_one(StatusLine))
        update_if_changed(alert, text or "")
        alert.set_class(not text, "-empty")

    def keys_text(self, key_id: str) -> str:
        """The keys in use for a key of keys.py (the user's keymap first), and those listed on its line."""
        app = self.app
        if key_id == "palette":
            keys = [app.COMMAND_PALETTE_BINDING]
        else:
            ids = [key_id, *(key.id for key in KEYS if key.with_key == key_id)]
            keys = [name for i in ids for name in app.keymap.get(i, BY_ID[i].keys).split(",")]
        shown = [app.get_key_display(binding) for binding in Binding.make_bindings([Binding(",".join(keys), "")])]
        return "  ".join(dict.fromkeys(shown))  # T and shift+t are one key to a person

    def show_keys(self) -> None:
        """The key bar for the mode the screen is in: presentation mode says how to leave it."""
        t = self.app.t
        if self.app.read_only:
            shown = ("present", "help", "quit")
        elif self.has_class("-present"):
            shown = ("present_off", "toggle", "next", "quit")
        else:
            shown = ("toggle", "next", "note", "present", "help", "quit")
        keys = [(self.keys_text(i.removesuffix("_off")).split("  ")[0], t("short." + i)) for i in shown]
        self.query_one(KeyBar).keys = (*keys, (self.keys_text("palette"), t("short.palette")))

    # Handlers named for their message rather than ``@on(MessageInput.Written)``: the input's module is
    # imported after the first frame (mount_later), not with this one.
    def on_message_input_written(self, event: MessageInput.Written) -> None:
        self.send_message(event.text)

    def on_note_input_written(self, event: NoteInput.Written) -> None:
        self.app.session.add_note(event.text)  # shown once on disk (TimerApp.sync_journal)

    def send_message(self, raw: str) -> None:
        """Show a message to the room as typed (``!`` first: it flashes; ``@2m`` last: for two minutes)."""
        text, flash, seconds = parse_message(raw)
        self.app.session.show_message(text, flash=flash, seconds=seconds)
        self.show()

    @on(events.DescendantFocus, "#note-input")
    @on(events.DescendantBlur, "#note-input")
    def _note_line_in_use(self) -> None:
        """The side pane stays while a note is typed (the stage may have taken its room: Stage.fit)."""
        self.query_one(Stage).refit()

    # ----- the session's keys -----

    def action_toggle(self) -> None:
        app = self.app
        first = not app.session.started
        app.session.toggle()
        app.ticker.changed()
        late = app.session.late_start() if first else None
        if late is not None and late >= ON_TIME:
            self._meet_late_start(late)

    def _meet_late_start(self, late: float) -> None:
        """Started after the slot's start: say how late and where that puts the end, and offer the rebalance."""
        s, t = self.app.session, self.app.t
        said = t(
            "late.body",
            late=minutes_text(late),  # whole minutes, as the drift beside it: the room does not care for seconds
            start=hhmm(s.slot.start),
            projected=hhmm(s.projected_end()),
            planned=hhmm(s.planned_end()),
            drift=drift_text(s.drift_minutes()),
        )
        self._offer_rebalance(said, t("late.title"))

    def action_next(self) -> None:
        self.next_step()
        self.app.ticker.tick()

    def next_step(self) -> None:
        """The next step; past the last one the session is finished, and its record written at once."""
        app = self.app
        app.session.next()
        app.ticker.timing.step_changed()
        if app.session.finished:
            self.action_export()

    def action_previous(self) -> None:
        self.app.session.previous()
        self.app.ticker.changed(step=True)

    def action_next_turn(self) -> None:
        """The next person's turn; after the last turn, the next step, as ``n``."""
        app = self.app
        session = app.session
        if session.has_turns and session.turn == len(session.step.turns) - 1:
            self.next_step()
        else:
            session.next_turn()
        app.ticker.changed(turn=True)  # a new turn starts in its own phase, without a signal

    def action_previous_turn(self) -> None:
        self.app.session.previous_turn()
        self.app.ticker.changed(turn=True)

    def action_clicker(self, action: str) -> None:
        """Page Down / Page Up: next / previous, by turn in a step made of turns (unless the settings say
        ``clicker: steps``): Acte 2's coach turns are run away from the keyboard."""
        session = self.app.session
        by_turn = self.app.clicker == "turns" and session.has_turns
        if by_turn and (action == "next" or session.turn > 0):
            {"next": self.action_next_turn, "previous": self.action_previous_turn}[action]()
        else:
            {"next": self.action_next, "previous": self.action_previous}[action]()

    def action_add_minute(self) -> None:
        self._adjust(+60)

    def action_remove_minute(self) -> None:
        self._adjust(-60)

    def _adjust(self, seconds: int) -> None:
        """Add or remove a minute and say what it left, as the big digits show it (the turn's time in a step
        with turns): ``+1 min → 04:00``; loudly when it is overtime."""
        app = self.app
        app.session.adjust(seconds)
        app.ticker.changed()
        view = room_view(app.session)
        over = {"step": "adjust.overtime", "turn": "adjust.turn_over"}.get(view.over) if seconds < 0 else None
        key = over or ("adjust.more" if seconds > 0 else "adjust.less")
        app.notify(app.t(key, countdown=countdown_text(view.remaining)), severity="warning" if over else "information", timeout=3)

    async def action_note(self) -> None:
        await self.mount_later()
        # Focus at once, not on the next loop turn as ``focus()`` does: what follows ``i`` is the note.
        self.set_focus(self.query_one("#note-input"))

    async def action_message(self) -> None:
        """``m``: the message line opens; Enter shows what is typed (an empty line clears the message)."""
        await self.mount_later()
        self.query_one("#message-input").open()

    def action_messages(self) -> None:
        """``M``: the agenda's ready-made messages, to pick one."""
        app = self.app
        if not app.agenda.messages:
            app.notify(app.t("messages.none"), severity="warning", timeout=8)
            return
        from atelier_timer.ui.dialogs.messages import MessagesScreen

        def picked(text: str | None) -> None:
            if text:
                self.send_message(text)

        app.push_screen(MessagesScreen(app.t("messages.title"), app.agenda.messages, app.t("messages.keys")), picked)

    def action_hide(self) -> None:
        """``d``: hide or show the digits; the chimes still follow the time."""
        self.app.session.set_hidden(not self.app.session.hidden)
        self.show()

    def action_blackout(self) -> None:
        """``.``: a black screen with only the time of day, until any key."""
        from atelier_timer.ui.dialogs.blackout import BlackoutScreen

        self.app.push_screen(BlackoutScreen(self.app.session.clock))

    def action_rebalance(self) -> None:
        self._offer_rebalance()

    def _offer_rebalance(self, said: str = "", title: str | None = None) -> None:
        from atelier_timer.ui.dialogs.rebalance import offer_rebalance

        offer_rebalance(self.app, said, title)

    # ----- the screen's own keys -----

    def action_present(self) -> None:
        self.toggle_class("-present")
        self.show_keys()
        self.show()  # the stage brings its title in block capitals the first time
        self.query_one(Stage).refit()

    async def action_hypotheses(self) -> None:
        """Show the hypotheses in the side pane's place (the notes tied to each are listed under it), or back."""
        await self.mount_later()
        widget = self.query_one("#hypotheses")
        widget.display = not widget.display
        self.set_class(widget.display, "-hypotheses")  # the agenda and the notes make room
        self.query_one(Stage).refit()  # the side pane is in use
        measures_ui().pane_shown(self.app, widget)

    # Handlers named for their message: the pane's module comes after the first frame.
    def on_measure_list_verdict(self, event) -> None:
        measures_ui().give_verdict(self.app, event.number, event.verdict)

    def on_measure_list_edit(self, event) -> None:
        measures_ui().edit(self.app, event.number)

    def action_vote_toggle(self) -> None:
        """``v``: open the room's vote on the measures, or close it."""
        measures_ui().toggle_vote(self.app)

    def action_tally(self) -> None:
        """``V``: show the vote's tally on the stage, or hide it."""
        measures_ui().toggle_tally(self.app)

    # ----- the audience: its questions' queue and the ROTI (atelier_timer/audience.py)

    def action_questions(self) -> None:
        """``a``: the queue of the audience's questions (ui/dialogs/questions.py)."""
        from atelier_timer.ui.dialogs.questions import open_questions

        open_questions(self.app)

    def action_roti(self) -> None:
        """``r``: open or close the ROTI vote (ui/widgets/roti.py)."""
        from atelier_timer.ui.widgets.roti import toggle_roti

        toggle_roti(self.app)

    def action_roti_reveal(self) -> None:
        """``R``: show the ROTI's distribution on the stage, or take it off."""
        from atelier_timer.ui.widgets.roti import reveal_roti

        reveal_roti(self.app)

    def action_export(self) -> Path | None:
        """Write the Markdown record now; the path (or the reason it failed) shows on screen."""
        app = self.app
        if not app.session.started:
            app.notify(app.t("nothing_to_export"), severity="warning")
            return None
        path, problem = self.write_record()
        if problem:
            app.notify(app.t("export_failed", error=problem), severity="error", timeout=10)
        else:
            app.notify(app.t("exported", path=str(path)), timeout=8)
        return path

    def write_record(self) -> tuple[Path | None, str | None]:
        """Export the record (or keep the more complete one already there); where it is, or why it failed."""
        from atelier_timer.report import ExportError, RecordKept, write_export

        app = self.app
        try:
            path = write_export(app.session, app.notes_dir, app.lang)
        except RecordKept as kept:
            return kept.path, None
        except ExportError as error:
            return None, str(error)
        app.last_export = path
        self.query_one(Stage).record_path = path
        app.session.mark("export", path=str(path))
        return path, None

    def action_links(self) -> None:
        """The viewer and controller links of the server that runs for this session, with QR codes."""
        from atelier_timer import control
        from atelier_timer.ui.dialogs.links import LinksScreen

        app, t = self.app, self.app.t
        state_dir = app.inbox.state_dir()
        links = control.read_links(state_dir, app.journal.session_id) if state_dir is not None else None
        if links is None:
            app.notify(t("links.none"), timeout=6)
            return
        viewer, secret = (t("links.viewer"), links["viewer"]), (t("links.controller"), links["controller"])
        question = (t("links.secret.title"), t("links.secret.body"), t("confirm.keys"))
        shared = ((t("links.participants"), links["participants"]),) if "participants" in links else ()
        app.push_screen(LinksScreen(t("links.title"), viewer, secret, t("links.close"), question, shared))

    def action_help(self) -> None:
        """Every key listed in keys.py, with the keys in use (the user's keymap included)."""
        from atelier_timer.ui.dialogs.help import HelpScreen

        app = self.app
        keys = [(self.keys_text(key.id), key.help_label(app.lang)) for key in KEYS if key.listed and not key.with_key]
        keys.append((self.keys_text("palette"), app.t("key.palette")))
        app.push_screen(HelpScreen(app.t("help.title"), keys, app.t("help.close", keys=self.keys_text("help").split("  ")[0])))
