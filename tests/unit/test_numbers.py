"""One rounding for every number: seconds gone are whole seconds completed, minutes the nearest one
with halves away from zero (Python's round() would make 2:30 two minutes and 1:30 two as well)."""

from __future__ import annotations

from atelier_timer.texts import (
    countdown_text,
    drift_text,
    duration_words,
    minutes_text,
    whole_minutes,
    whole_seconds,
)


def test_minutes_round_to_the_nearest_halves_away_from_zero():
    assert [whole_minutes(s) for s in (0, 29, 30, 89, 90, 150, 831, -30, -150)] == [0, 0, 1, 1, 2, 3, 14, -1, -3]
    assert minutes_text(831) == "14 min" == minutes_text(-831)
    assert drift_text(whole_minutes(-150)) == "-3 min"


def test_seconds_gone_and_seconds_left_add_up_to_the_length():
    for elapsed in (0.0, 0.4, 7.6, 59.999999, 132.6):
        left = 180 - elapsed
        gone = whole_seconds(elapsed)
        assert int(countdown_text(left)[:2]) * 60 + int(countdown_text(left)[3:]) + gone == 180
        assert duration_words(elapsed) == duration_words(gone)
