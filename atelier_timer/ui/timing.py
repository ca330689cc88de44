"""The screen's timing rules, without Textual: when to wake next, which chime is due, when to advance.

The app's one timer asks :meth:`Timing.next_wake` how long to sleep, and on each wake lets
:meth:`Timing.check` ring the chimes the clock has crossed into (and advance at zero when the agenda
says so). Tested with the fake clock alone (tests/unit/test_timing.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from atelier_timer.live import PHASES
from atelier_timer.session import Session

ON_TIME = 30  # seconds: a gap, or a late start, under this is "on time"
EPSILON = 0.005  # wake just after the shown second changes, not just before
FLASH = 0.5  # overtime flashes at this half-period...
FLASH_SECONDS = 6.0  # ...for its first seconds, then stays steady: a room tires of a blinking screen
CHIME_OF_PHASE = {"warning": "warning", "danger": "danger", "overtime": "zero", "turn": "turn"}
_ORDER = {phase: order for order, phase in enumerate(PHASES)}


class Timing:
    """The phases last seen of the step and of the turn, to tell a crossing from a change of step."""

    def __init__(self, session: Session, read_only: bool = False) -> None:
        self.read_only = read_only
        self.session = session
        self.phase = session.phase()
        self.turn_phase = session.turn_phase()

    def follow(self, session: Session) -> None:
        """Another state of the same session (the viewer's journal grew): its phase is no crossing."""
        self.session = session
        self.phase = session.phase()

    def step_changed(self) -> None:
        """A new step starts in its own phase, without a chime."""
        self.phase = self.session.phase()

    def turn_changed(self) -> None:
        """A new turn starts in its own phase, without a signal."""
        self.turn_phase = self.session.turn_phase()

    def next_wake(self) -> float:
        """Seconds until the screen shows something else: running, the next second shown (the step's, the
        session's or the turn's, and the overtime flash); waiting for the slot's start, its next second;
        otherwise the next minute of the day."""
        session = self.session
        if not session.running:
            waiting = session.until_start()
            if waiting is not None:
                return (waiting - math.floor(waiting) or 1.0) + EPSILON
            return 60.0 - session.clock.wall() % 60.0 + EPSILON
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

    def check(self, ring: Callable[[str], None], advance: Callable[[], None]) -> None:
        """Ring (``warning``, ``danger``, ``overtime``, ``turn``) what the clock crossed into, in order, and
        ``advance`` to the next step at zero when the agenda says so."""
        self._turn_at_zero(ring)
        self._step_phase(ring, advance)
        self._turn_phase(ring)

    def _turn_at_zero(self, ring: Callable[[str], None]) -> None:
        """With ``auto_advance``, a turn reaching its zero hands over to the next person, with the turn's
        signal; a turn gone back to (``T``) after its zero keeps counting overtime."""
        if not self.read_only and self.turn_phase != "overtime" and self.session.turn_at_zero():
            ring("turn")
            self.turn_phase = self.session.turn_phase()

    def _step_phase(self, ring: Callable[[str], None], advance: Callable[[], None]) -> None:
        """Ring when the step crosses a threshold; advance at zero when the agenda says so."""
        session = self.session
        phase = session.phase()
        if phase == self.phase:
            return
        previous, self.phase = self.phase, phase
        crossed = _ORDER[phase] > _ORDER[previous]
        if crossed and session.running and phase in CHIME_OF_PHASE:
            ring(phase)
            self.turn_phase = session.turn_phase()  # the last turn's end is the step's: one signal
        if crossed and phase == "overtime" and session.running and not self.read_only and session.agenda.auto_advance_for(session.step):
            advance()

    def _turn_phase(self, ring: Callable[[str], None]) -> None:
        """A turn's end gets the softer ``turn`` signal; its warning only recolours the countdown."""
        session = self.session
        phase = session.turn_phase()
        if phase != self.turn_phase:
            previous, self.turn_phase = self.turn_phase, phase
            if _ORDER[phase] > _ORDER[previous] and phase == "overtime" and session.running:
                ring("turn")
