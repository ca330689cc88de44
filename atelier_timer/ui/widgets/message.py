"""The message to the room: a banner across the stage in block letters, and the line it is typed in."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.timer import Timer

from atelier_timer.safetext import printable
from atelier_timer.session import Session
from atelier_timer.ui.widgets.bigtitle import BigTitle
from atelier_timer.ui.widgets.line_input import LineInput
from atelier_timer.ui.widgets.session_view import SessionView

FLASH = 0.5  # seconds between the two looks of a flashing message


class RoomMessage(SessionView, BigTitle):
    """The message of the moment in block letters across the stage, sized like the title (the stage sets
    its budget: only rows the digits cannot use); plain text when there is no room for them; hidden
    when there is none.

    A flashing message alternates its colours with the clock's half-seconds, woken by a timer of its
    own (it flashes while the session is paused too); a message for a set time hides itself when that
    time is up.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._message: dict | None = None
        self._flasher: Timer | None = None
        self._expiry: Timer | None = None
        self.display = False

    def show(self, session: Session) -> None:
        message = session.message_now()
        if message != self._message:
            self._message = message
            self.display = message is not None
            for timer in (self._flasher, self._expiry):
                if timer is not None:
                    timer.stop()
            self._flasher = self._expiry = None
            if message is not None:
                self.text = printable(message["text"])
                if message["flash"]:  # twice per look, so that no look is skipped
                    self._flasher = self.set_interval(FLASH / 2, lambda: self._show_flash(self.session))
                if message["until"] is not None:  # gone on time even while paused, when nothing else wakes the screen
                    delay = max(0.0, message["until"] - session.clock.wall()) + 0.05
                    self._expiry = self.set_timer(delay, lambda: self.show(self.session))
        self._show_flash(session)

    def _show_flash(self, session: Session) -> None:
        """The flash look for this half-second of the clock (never for a steady message)."""
        flash = self._message is not None and self._message["flash"] and int(session.clock.wall() / FLASH) % 2 == 0
        self.set_class(flash, "-flash")


class MessageInput(LineInput):
    """The line a message to the room is typed in: Enter shows it (an empty line clears it), Escape leaves.

    Each pasted line is shown in turn (the last stays up); a paste that ends on a newline closes the line.
    """

    can_focus = False  # only while open: closed, it must never take the keys (nor the first focus)

    def open(self) -> None:
        self.display = True
        self.can_focus = True
        self.screen.set_focus(self)  # at once: what follows ``m`` is the message

    def close(self) -> None:
        self.value = ""
        self.display = self.can_focus = False
        self.screen.set_focus(None)

    @dataclass
    class Written(Message):
        text: str

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self.take_line()
            self.close()
        else:
            await super()._on_key(event)

    def pasted_to_the_end(self) -> None:
        self.close()
