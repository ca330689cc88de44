"""Durations ("10m", "90s", "1h30", "7:30", a number of minutes) and times of day ("14:00", "14h30")."""

from __future__ import annotations

import math
import re

from atelier_timer.agenda.model import MAX_DURATION
from atelier_timer.safetext import quoted

# Unit words, in English and French ("10 min", "90 secondes", "2 heures").
HOUR_UNITS = ("hours", "hour", "hrs", "hr", "heures", "heure", "h")
MINUTE_UNITS = ("minutes", "minute", "mins", "min", "mn", "m")
SECOND_UNITS = ("seconds", "second", "secondes", "seconde", "secs", "sec", "s")
_H, _M, _S = ("(?:" + "|".join(units) + ")" for units in (HOUR_UNITS, MINUTE_UNITS, SECOND_UNITS))
_CLOCK_FORM = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d{2})")
_UNIT_FORM = re.compile(rf"(?:(?P<h>\d+)\s*{_H}\s*)?(?:(?P<m>\d+)\s*{_M}\s*)?(?:(?P<s>\d+)\s*{_S})?")
# "1h30" (minutes after the hours) and "1m30" (seconds after the minutes), as people write them.
_TRAILING_FORM = re.compile(rf"(?P<h>\d+)\s*{_H}\s*(?P<hm>\d+)|(?P<m>\d+)\s*{_M}\s*(?P<ms>\d+)")
DURATION_FORMS = 'a number of minutes or a text such as "10m", "90s", "1h30", "7:30" (min:sec), "1m30s"'


def parse_duration(value: int | float | str) -> int:
    """Seconds in a duration: a number is minutes; text may be "10m", "90s", "1h30", "7:30", "1m30s"…

    Raises ``ValueError`` saying what is wrong and which forms work.
    """
    try:
        return _duration_seconds(value, allow_zero=False)
    except ValueError as error:
        raise ValueError(f"duration {error}") from None


def _duration_seconds(value: int | float | str, *, allow_zero: bool) -> int:
    """Seconds in ``value``; a ``ValueError`` whose message reads after the word "duration"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")
    if isinstance(value, int):
        seconds = value * 60
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")
        exact = value * 60
        seconds = round(exact)
        if abs(exact - seconds) > 1e-6:
            raise ValueError(f"must be a whole number of seconds, not {_shown(value)} minutes")
    else:
        seconds = _text_duration_seconds(value)
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError(f"must be more than zero, not {_shown(value)}")
    if seconds > MAX_DURATION:
        raise ValueError(f"must be at most 24 hours, not {_shown(value)}")
    return seconds


def _text_duration_seconds(value: str) -> int:
    text = value.strip().lower()
    if re.fullmatch(r"[-+]?\d+", text):
        return _whole(text) * 60
    if text.startswith("-"):
        raise ValueError(f"must be more than zero, not {_shown(value)}")
    match = _CLOCK_FORM.fullmatch(text)
    if match:
        if _whole(match["s"]) >= 60 or (match["h"] is not None and _whole(match["m"]) >= 60):
            raise ValueError(f"must be min:sec or h:min:sec with seconds and minutes under 60, not {_shown(value)}")
        return _whole(match["h"] or "0") * 3600 + _whole(match["m"]) * 60 + _whole(match["s"])
    match = _TRAILING_FORM.fullmatch(text)
    if match:
        if match["h"] is not None:
            return _whole(match["h"]) * 3600 + _whole(match["hm"]) * 60
        return _whole(match["m"]) * 60 + _whole(match["ms"])
    match = _UNIT_FORM.fullmatch(text)
    if text and match:
        return _whole(match["h"] or "0") * 3600 + _whole(match["m"] or "0") * 60 + _whole(match["s"] or "0")
    raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")


def _whole(number: str) -> int:
    """The integer a run of digits (with an optional sign) writes, capped at a billion.

    Any number of more than nine digits is far beyond 24 hours, and Python refuses to convert more
    than 4300 digits at all: the cap keeps "at most 24 hours" the answer for every length.
    """
    digits = number.lstrip("+-").lstrip("0")
    magnitude = int(digits) if 0 < len(digits) <= 9 else (10**9 if digits else 0)
    return -magnitude if number.startswith("-") else magnitude


def format_duration(seconds: int) -> str:
    """The canonical text of a duration: "10m", "90s" → "1m30s", "1h30m", "24h"."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ValueError(f"expected a whole number of seconds, not {seconds!r}")
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{amount}{unit}" for amount, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if amount)


_TIME_OF_DAY = re.compile(r"\s*(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?\s*")
TIME_OF_DAY_FORMS = 'a time of day such as "14:00", "9:05" or "14h30"'


def parse_time_of_day(value: str) -> tuple[int, int] | None:
    """(hour, minute) of a time of day ("14:00", "9:05", "14h30", "14h"), or None if it is not one."""
    match = _TIME_OF_DAY.fullmatch(value)
    if not match or (match[2] is None and ":" in value):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _shown(value: object) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
