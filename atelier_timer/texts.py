"""How times and durations are written, on every screen, in the record and on the command line.

One rounding for all of them (see :func:`whole_seconds`), and one text for each kind of time: a time
of day (``14:05``), a countdown (``04:59``, ``+00:12``), a duration as said (``7 min 30 s``), as counted
in the record (``7:30``), a drift (``+2 min``). No Textual: the core and the screens both use it.
"""

from __future__ import annotations

import math
from datetime import datetime


def time_of_day(wall: float | datetime) -> str:
    """A wall time (epoch seconds, or a local ``datetime`` as ``plan`` counts them) as the local ``HH:MM``."""
    return (wall if isinstance(wall, datetime) else datetime.fromtimestamp(wall)).strftime("%H:%M")


# One rounding for every number of every screen and of the record: time gone by counts whole seconds
# gone (as a count-up shows it), time left whole seconds begun (as a countdown shows it), and minutes
# are the nearest whole minute, halves away from zero. So 01:52 left and 1 min 52 s said agree, and
# "14 min late" and "+14 min" too.


def whole_seconds(seconds: float) -> int:
    """Seconds gone by, as every screen and the record count them: the whole seconds completed."""
    return math.floor(seconds + 1e-6)


def whole_minutes(seconds: float) -> int:
    """The nearest whole minute, halves away from zero: 13 min 51 s is 14 min, -30 s is -1 min."""
    return int(math.copysign(math.floor(abs(seconds) / 60 + 0.5), seconds))


def minutes_text(seconds: float) -> str:
    """How late, behind or ahead, in whole minutes as the drift says it: ``14 min``, ``2 h 05 min``."""
    return duration_words(60 * abs(whole_minutes(seconds)))


def countdown_text(remaining: float, hours: bool = False) -> str:
    """The countdown as shown: ``MM:SS`` (``H:MM:SS`` for long steps), ``+MM:SS`` in overtime."""
    if remaining >= 0:
        return clock_text(math.ceil(remaining - 1e-6), hours)
    return "+" + clock_text(math.floor(-remaining), hours)


def _hours_minutes_seconds(seconds: int) -> tuple[int, int, int]:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


def clock_text(seconds: int, hours: bool = False) -> str:
    """Whole seconds as ``MM:SS``, or ``H:MM:SS`` when asked or when past an hour."""
    h, m, s = _hours_minutes_seconds(int(seconds))
    if hours or h:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m:02d}:{s:02d}"


def duration_words(seconds: float) -> str:
    """A duration as a facilitator says it: ``10 min``, ``7 min 30 s``, ``45 s``, ``2 h 30 min``."""
    minutes, secs = divmod(whole_seconds(seconds), 60)
    if minutes >= 120:
        hours, minutes = divmod(minutes, 60)
        text = f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    elif minutes:
        text = f"{minutes} min"
    else:
        return f"{secs} s"
    return f"{text} {secs} s" if secs else text


def drift_text(minutes: int) -> str:
    """``+2 min`` (behind), ``-1 min`` (ahead), ``0 min``."""
    return f"{minutes:+d} min" if minutes else "0 min"


def duration_text(seconds: float, signed: bool = False) -> str:
    """Seconds as ``M:SS`` (``H:MM:SS`` past an hour), counted as the screen counts them; signed: ``+2:10``, ``-0:45``, ``0:00``."""
    whole = seconds if isinstance(seconds, int) else whole_seconds(seconds)
    sign = ("+" if whole > 0 else "-" if whole < 0 else "") if signed else ""
    h, m, s = _hours_minutes_seconds(abs(whole))
    body = f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    return sign + body


def reason(error: Exception) -> str:
    """What the system said of a failed operation, on one line (``No space left on device``)."""
    return " ".join(str(getattr(error, "strerror", None) or error).split())
