"""Where time comes from: the system clocks, or a fake clock that tests advance by hand.

Three readings, because each answers a different question:

- ``monotonic()`` never jumps and, on Linux, stops while the machine sleeps: every duration on screen
  is derived from it.
- ``boottime()`` keeps counting through a suspend (Linux ``CLOCK_BOOTTIME``); the growing gap between
  it and ``monotonic()`` is how a sleep is noticed.
- ``wall()`` is the time of day (epoch seconds), for the record and for planned and projected ends.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """What the session and the screen need to know about time."""

    def monotonic(self) -> float: ...

    def boottime(self) -> float: ...

    def wall(self) -> float: ...


class SystemClock:
    """The machine's clocks."""

    def __init__(self) -> None:
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        if boottime is not None:
            self.boottime = lambda: time.clock_gettime(boottime)  # type: ignore[method-assign]
        else:  # no CLOCK_BOOTTIME: a sleep shows as the wall clock jumping ahead of monotonic time
            offset = time.time() - time.monotonic()
            self.boottime = lambda: time.time() - offset  # type: ignore[method-assign]

    def monotonic(self) -> float:
        return time.monotonic()

    def boottime(self) -> float:  # replaced in __init__ by the platform's reading
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock for tests: time moves only when ``advance`` or ``sleep`` says so."""

    def __init__(self, wall: float = 1_795_000_000.0, monotonic: float = 1000.0) -> None:
        self._monotonic = monotonic
        self._boottime = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic

    def boottime(self) -> float:
        return self._boottime

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass with the machine awake."""
        self._monotonic += seconds
        self._boottime += seconds
        self._wall += seconds

    def sleep(self, seconds: float) -> None:
        """Simulate a suspend: boot time and the wall clock move, monotonic time does not."""
        self._boottime += seconds
        self._wall += seconds


class SleepWatch:
    """Notices that the machine slept: the gap between boot time and monotonic time grew."""

    def __init__(self, clock: Clock, threshold: float = 3.0) -> None:
        self.clock = clock
        self.threshold = threshold
        self._gap = clock.boottime() - clock.monotonic()

    def check(self) -> float:
        """Seconds slept since the last check (0.0 when under the threshold, as clock jitter is)."""
        gap = self.clock.boottime() - self.clock.monotonic()
        slept = gap - self._gap
        if slept < self.threshold:
            return 0.0
        self._gap = gap
        return slept
