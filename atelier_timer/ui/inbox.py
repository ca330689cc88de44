"""The controller page's commands, taken from ``control``'s inbox and applied as their keys would do.

``serve`` drops each command in the session's inbox and wakes the app (atelier_timer/control.py);
the keys the page may press are the ``remote`` rows of atelier_timer/keys.py, the rest are texts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from atelier_timer import control
from atelier_timer.keys import BY_ID, REMOTE_KEYS
from atelier_timer.safetext import printable

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp


class Inbox:
    """The app's end of the control channel: listens once the session has a journal, applies what comes."""

    def __init__(self, app: TimerApp) -> None:
        self.app = app
        self._waker: control.Waker | None = None  # the controller's wake-up, once listened to

    def state_dir(self) -> Path | None:
        """The state dir of this session's journal (None before its first event)."""
        journal = self.app.journal
        return journal.path.parent.parent if journal is not None else None

    def listen(self) -> None:
        """Once the session has a journal, listen for serve's wake-up: serve wakes the app when it drops a
        command, so the controller's commands show at once and nothing is polled meanwhile."""
        app = self.app
        if self._waker is not None or app.read_only or app.journal is None or not app.is_running:
            return
        if app.presence is not None:
            app.presence.announce(app.journal.session_id)
        try:
            self._waker = control.Waker(self.state_dir(), app.journal.session_id, self._woken)
        except OSError:  # no loopback here: the controller's commands are refused by serve in time
            return
        self.take()  # what came before the app listened

    def close(self) -> None:
        if self._waker is not None:
            self._waker.close()
            self._waker = None

    def _woken(self) -> None:
        self.app.call_later(self.take)  # applied as the app's own message, like a key

    def take(self) -> None:
        """Apply the commands the controller page sent through ``serve`` (the control inbox)."""
        state_dir = self.state_dir()
        if state_dir is None:
            return
        taken = control.take(state_dir, self.app.journal.session_id)
        for command in taken:
            self.apply(command)
        for kept in taken.set_aside:  # a file that is no command serve wrote: named, never run
            self.app.notify(self.app.t("remote.set_aside", path=printable(str(kept))), severity="warning", timeout=8)

    def apply(self, command: dict) -> None:
        """One controller command, as its key would do it, and a word on screen saying where it came from."""
        app, name = self.app, command["command"]
        if name in REMOTE_KEYS:
            getattr(app.main_screen, f"action_{name}")()  # under a dialog too: the page has no dialog
            app.notify(app.t("remote.did", action=BY_ID[name].label(app.lang)), timeout=3)
        elif name == "note":
            if app.session.add_note(command["text"], author=command.get("author")) is not None:
                app.main_screen.show()
        elif name == "vote":  # a participant's points: the session's rules say whether they count
            from atelier_timer.ui.widgets.measures import take_vote

            take_vote(app, command)
        elif name == "message":  # as typed after m: "!" flashes, "@2m" for two minutes, nothing clears
            app.main_screen.send_message(command["text"] or "")
        elif name in ("question", "roti", "ask", "roti_vote"):
            self.audience(command)

    def audience(self, command: dict) -> None:
        """A moderation or a ROTI command from the controller; a question or a ROTI vote from a participant's
        page. A notice says how many questions wait, never what they say (the screen may be the room's)."""
        from atelier_timer.audience import AudienceError

        app, name = self.app, command["command"]
        audience = app.session.audience
        if name == "question":
            from atelier_timer.ui.dialogs.questions import moderate

            moderate(app, command["id"], command["status"])
            return
        try:
            if name == "roti" and command["do"] in ("open", "close"):
                audience.open_roti() if command["do"] == "open" else audience.close_roti()
            elif name == "roti":
                audience.reveal_roti(command["do"] == "reveal")
            elif name == "ask":
                audience.ask(command["browser"], command["text"], command.get("name"))
                app.notify(app.t("questions.new", count=len(audience.waiting())), timeout=4)
            else:
                audience.vote(command["browser"], command["score"])
        except AudienceError:
            return  # too soon, voted already, the vote closed: serve told the page already
        if hasattr(app.screen, "update_questions"):  # the queue's dialog, when open, shows it
            app.screen.update_questions()
        app.main_screen.show()
