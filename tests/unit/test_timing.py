"""The screen's timing rules (ui/timing.py), on the fake clock alone: no app, no Pilot."""

from __future__ import annotations

import pytest

from atelier_timer.agenda import parse_agenda
from atelier_timer.clock import FakeClock
from atelier_timer.session import Session
from atelier_timer.ui.timing import EPSILON, Timing

AGENDA = """\
version: 1
title: Atelier
language: fr
alerts: {warn: 2m, danger: 30s}
steps:
  - {title: Ouverture, duration: 5m}
  - {title: Clôture, duration: 3m}
"""
TURNS = """\
version: 1
title: Témoignages
language: fr
alerts: {{warn: 30s, danger: 10s}}
{auto}
steps:
  - title: Témoignages
    turns:
      - {{name: Léa, duration: 2m}}
      - {{name: Malik, duration: 2m}}
  - {{title: Échanges, duration: 10m}}
"""


def timing_of(text: str, read_only: bool = False) -> tuple[Timing, Session, FakeClock, list[str], list[int]]:
    clock = FakeClock(wall=1_795_000_000.0)  # 40 s into a minute
    session = Session(parse_agenda(text, "atelier.yaml"), clock)
    return Timing(session, read_only), session, clock, [], []


def check(timing: Timing, rung: list[str], advanced: list[int]) -> None:
    timing.check(ring=rung.append, advance=lambda: (advanced.append(timing.session.index), timing.session.next(), timing.step_changed()))


def test_it_wakes_as_the_shown_second_changes_while_running():
    timing, session, clock, _, _ = timing_of(AGENDA)
    session.toggle()
    assert timing.next_wake() == pytest.approx(1.0 + EPSILON)
    clock.advance(0.3)
    assert timing.next_wake() == pytest.approx(0.7 + EPSILON)
    clock.advance(300.0)  # 0.3 s past zero: the overtime flashes each half second for its first seconds
    assert timing.next_wake() == pytest.approx(0.2 + EPSILON)
    clock.advance(10)  # then it is steady: the next second shown
    assert timing.next_wake() == pytest.approx(0.7 + EPSILON)


def test_idle_it_wakes_with_the_minute_of_the_day_or_each_second_of_the_wait():
    timing, session, clock, _, _ = timing_of(AGENDA)
    assert timing.next_wake() == pytest.approx(20.0 + EPSILON)  # 11:06:40: the minute turns in 20 s
    session.toggle()
    clock.advance(12.25)
    session.toggle()  # paused: nothing moves but the time of day
    assert timing.next_wake() == pytest.approx(60 - 52.25 + EPSILON)


def test_each_threshold_crossed_rings_once_in_order_and_only_while_running():
    timing, session, clock, rung, advanced = timing_of(AGENDA)
    session.toggle()
    steps = ((170, []), (11, ["warning"]), (30, ["warning"]), (60, ["warning", "danger"]), (30, ["warning", "danger", "overtime"]))
    for seconds, expected in steps:
        clock.advance(seconds)
        check(timing, rung, advanced)
        assert rung == expected, seconds
    assert advanced == []  # no auto_advance: the step goes on in overtime
    session.previous()  # back to a normal phase...
    timing.step_changed()
    session.next()  # ...then a step that starts in its own phase: no chime
    timing.step_changed()
    check(timing, rung, advanced)
    assert rung == ["warning", "danger", "overtime"]
    session.toggle()  # paused: a threshold reached meanwhile (the minute removed) is not rung
    session.adjust(-120)
    check(timing, rung, advanced)
    assert rung == ["warning", "danger", "overtime"] and timing.phase == "warning"


def test_at_zero_with_auto_advance_the_turns_hand_over_with_the_turns_signal_then_the_step_ends():
    timing, session, clock, rung, advanced = timing_of(TURNS.format(auto="auto_advance: true"))
    session.toggle()
    clock.advance(120.2)
    check(timing, rung, advanced)
    assert (rung, session.turn, session.index) == (["turn"], 1, 0)
    clock.advance(120)
    check(timing, rung, advanced)  # the last turn's end is the step's: one chime, and the next step
    assert (rung, advanced, session.index) == (["turn", "overtime"], [0], 1)


def test_without_auto_advance_a_turn_past_zero_gets_its_signal_and_waits():
    timing, session, clock, rung, advanced = timing_of(TURNS.format(auto=""))
    session.toggle()
    clock.advance(121)
    check(timing, rung, advanced)
    check(timing, rung, advanced)
    assert (rung, session.turn, advanced) == (["turn"], 0, [])


def test_the_viewer_rings_but_never_moves_the_session():
    timing, session, clock, rung, advanced = timing_of(TURNS.format(auto="auto_advance: true"), read_only=True)
    session.toggle()
    clock.advance(121)
    check(timing, rung, advanced)
    assert session.turn == 0 and rung == ["turn"] and advanced == []
