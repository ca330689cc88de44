"""The app's one self-rescheduling timer: it wakes the screen as the shown second changes and rings the chimes.

When to wake and which chime is due are the timing rules (ui/timing.py, no Textual); this module
only sets the timer, rings, and asks about a sleep of the computer while the session ran.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer

from atelier_timer.clock import SleepWatch
from atelier_timer.sound import Chimes
from atelier_timer.ui.timing import CHIME_OF_PHASE, Timing

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp


class Ticker:
    """Wakes the app's screen, rings the chimes (``bells`` lists each rung: the tests read it)."""

    def __init__(self, app: TimerApp, sound: tuple[str, int]) -> None:
        self.app = app
        mode, volume = sound
        self.chimes = Chimes(mode, volume, bell=app.bell, no_device=self._tell_no_audio_device)
        self.bells: list[tuple[int, str]] = []  # (step, phase) of each chime rung
        self.timing = Timing(app.session, app.read_only)
        self.asking_sleep = False  # the sleep question is up (dialogs/sleep.py)
        self._sleep_watch = SleepWatch(app.session.clock)
        self._timer: Timer | None = None
        self._said_no_audio = False

    def tick(self) -> float:
        """Bring the screen up to date with the clock; returns the delay until the next wake.

        Running, the screen wakes as the shown second changes; waiting for the slot's start, every
        second; otherwise when the time of day's minute changes. The tests and the benchmarks call
        this after moving the fake clock.
        """
        app = self.app
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not app.is_running:
            return 0.0  # a wake that fired while the app shuts down: its widgets are gone
        if app.session.running and not app.read_only:
            slept = self._sleep_watch.check()
            if slept and not self.asking_sleep:
                from atelier_timer.ui.dialogs.sleep import ask_about_sleep

                ask_about_sleep(app, slept)
        self.timing.check(ring=self.ring, advance=app.main_screen.next_step)
        app.main_screen.show()
        delay = self.timing.next_wake()
        self._timer = app.set_timer(delay, self.tick)
        return delay

    def changed(self, step: bool = False, turn: bool = False) -> None:
        """The session changed by a key: a new step (or turn) starts in its own phase, without a chime."""
        if step:
            self.timing.step_changed()
        if turn:
            self.timing.turn_changed()
        self.tick()

    def ring(self, phase: str) -> None:
        """The chime of ``phase`` (``warning``, ``danger``, ``overtime``: zero, or ``turn``), as ``--sound`` says."""
        if self.chimes.mode != "off":
            self.bells.append((self.app.session.index, phase))
            self.chimes.play(CHIME_OF_PHASE[phase])

    def _tell_no_audio_device(self) -> None:
        """Called from the chime's thread: ring the bell instead, and say so once."""
        app = self.app

        def tell() -> None:
            app.bell()
            if not self._said_no_audio:
                self._said_no_audio = True
                app.notify(app.t("no_audio_device"), severity="warning", timeout=10)

        try:
            app.call_from_thread(tell)
        except RuntimeError:  # the app has already closed
            pass
