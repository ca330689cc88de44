"""The read-only viewer: the presentation view of a session, kept in step with its journal.

The viewer never talks to the running timer: it tails the journal that the timer already writes.
Every ``POLL`` seconds it looks at the file's size and modification time (a ``stat``, nothing read);
when they change it reads the journal again and shows the session restored from it. Between two
changes the restored session counts down by itself on the viewer's clock, exactly as the timer does,
so a quiet journal costs one ``stat`` per poll. Nothing is ever written: not the journal, not the
state dir (the app is built read-only, and a read-only app records nothing).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from atelier_timer.clock import Clock, SystemClock
from atelier_timer.i18n import UI_STRINGS, Translator, choose_language
from atelier_timer.journal import LIVE_STATES, JournalError, JournalRecord, Tail, find_session, is_live, session_state
from atelier_timer.report import session_from_journal
from atelier_timer.session import Session
from atelier_timer.texts import time_of_day
from atelier_timer.ui.app import TimerApp, make_app

POLL = 0.25  # seconds between two looks at the journal: a change shows well within a second
WAIT_POLL = 1.0  # seconds between two looks for a session to appear


class Follower:
    """A read-only app on a session's journal, and the poll that keeps it in step."""

    def __init__(self, path: Path, *, clock: Clock | None = None, lang: str | None = None, theme: str | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or SystemClock()
        self.tail = Tail(self.path)
        self._seen, self._live = self.tail.look(), is_live(self.path)
        self._record = record = self.tail.read(self._seen)
        session = self._restore(record)
        self.app: TimerApp = make_app(
            session.agenda, clock=self.clock, session=session, read_only=True, lang=lang, theme=theme
        )
        # runs once the app is up (call_later queues it behind the app's start), in the tests as in the CLI
        self.app.call_later(self._start, record)

    def _stopped(self, record: JournalRecord) -> bool:
        """Whether the program that wrote the session died: its journal no longer live, and no quit."""
        return not self._live and session_state(record, live=False) == "interrupted"

    def _restore(self, record: JournalRecord) -> Session:
        """The session as it stands now; frozen at its last event when nothing writes it any more."""
        return session_from_journal(record, None if self._seen is None or self._stopped(record) else self.clock)

    def _say_why_frozen(self) -> None:
        if self._seen is None:
            self.app.main_screen.show_alert(self.app.t("follow.deleted"))
        elif self._stopped(self._record):
            self.app.main_screen.show_alert(self.app.t("follow.stopped", time=time_of_day(self._record.last_wall)))
        else:
            self.app.main_screen.show_alert(None)

    def _start(self, record: JournalRecord) -> None:
        self._show(record)
        self._say_why_frozen()
        self.app.notify(self.app.t("read_only"), timeout=6)
        self.app.set_interval(POLL, self.poll, name="follow-journal")

    def _show(self, record: JournalRecord, session: Session | None = None) -> None:
        """Show the session with what only the journal knows: where its record was written, whether the facilitator quit."""
        exports = [event["path"] for event in record.events if event["type"] == "export" and isinstance(event.get("path"), str)]
        closed = record.events[-1]["wall"] if record.events and record.events[-1]["type"] == "quit" else None
        self.app.show_session(session or self.app.session, closed_at=closed, record_path=Path(exports[-1]) if exports else None)

    def poll(self) -> bool:
        """Show the session again if its journal changed, its writer died or it was deleted; whether it did.

        A dead writer (the journal no longer locked, and no quit) or a deleted journal stops the
        count: the view freezes on the last event and says why, until the session comes back.
        """
        stamp = self.tail.look()  # None: gone for a moment (moved, deleted): what was last read stays
        live = stamp is not None and is_live(self.path)
        if (stamp, live) == (self._seen, self._live):
            return False
        if stamp is not None and stamp != self._seen:
            try:
                self._record = self.tail.read(stamp)  # a line still being written is dropped, not an error
            except JournalError:
                return False  # the header unreadable: keep the last good state on screen
        self._seen, self._live = stamp, live
        self._show(self._record, self._restore(self._record))
        self._say_why_frozen()
        return True


def wait_for_session(state_dir: Path, lang: str | None) -> Path:
    """The latest live session, waiting for one to start (Ctrl+C stops the wait)."""
    told = False
    while True:
        try:
            return find_session(state_dir, None, states=LIVE_STATES)
        except JournalError:
            if not told:
                t = Translator(UI_STRINGS, choose_language(lang, None))
                print(f"{t('waiting')} ({state_dir}; Ctrl+C)", file=sys.stderr)
                told = True
            time.sleep(WAIT_POLL)


def run_follow(state_dir: Path, ref: str | None, lang: str | None = None, theme: str | None = None) -> int:
    """``atelier-timer follow``: the named session, else the latest live one (waiting for it); exit code.

    A session that cannot be found or read raises ``JournalError``, said by the command line.
    """
    path = find_session(state_dir, ref) if ref else wait_for_session(state_dir, lang)
    follower = Follower(path, lang=lang, theme=theme)
    follower.app.run()
    return follower.app.return_code if follower.app.return_code is not None else 1
