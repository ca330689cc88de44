"""The room's view of a session (live.view_state): what the web pages show, from the journal."""

from __future__ import annotations

import json

from atelier_timer.agenda import Alerts
from atelier_timer.clock import FakeClock
from atelier_timer.live import room_view, view_state
from atelier_timer.session import Session
from tests.helpers import T0, make_agenda, new_session
from tests.unit.test_turns import agenda_with_turns


def test_the_view_says_what_the_room_sees_and_is_plain_json() -> None:
    agenda = make_agenda([10, 5], alerts=Alerts(warn=120, danger=30), overrides={0: {"speaker": "Camille"}})
    session, clock, _ = new_session(agenda)
    session.start()
    clock.advance(90)
    view = view_state(session)
    assert json.loads(json.dumps(view)) == view
    assert view["title"] == "Atelier test" and view["state"] == "running" and view["running"] is True
    assert view["step"] == {"title": "Étape 1", "speaker": "Camille", "duration": 600, "index": 0, "count": 2, "warn": 120, "danger": 30}
    assert view["remaining"] == 510 and view["overtime"] is False and view["phase"] == "normal"
    assert view["next"] == {"title": "Étape 2", "speaker": None, "duration": 300}
    assert view["wall"] == T0 + 90
    assert view["message"] is None and view["hidden"] is False


def test_the_view_follows_a_step_change_a_pause_and_overtime() -> None:
    session, clock, _ = new_session(make_agenda([1, 5]))
    session.start()
    clock.advance(75)
    assert view_state(session)["remaining"] == -15 and view_state(session)["overtime"] is True
    session.next()
    session.pause()
    view = view_state(session)
    assert (view["step"]["index"], view["state"], view["running"], view["next"]) == (1, "paused", False, None)
    assert view["remaining"] == 300


def test_the_view_of_a_session_restored_from_its_journal_counts_the_time_since() -> None:
    session, clock, recorder = new_session(make_agenda([10]))
    session.start()
    clock.advance(30)
    session.adjust(60)  # the last event: 11 min, 30 s gone
    later = FakeClock(wall=T0 + 30 + 20)  # a viewer that reads the journal 20 s later
    restored = Session.restore(session.agenda, list(recorder), later)
    view = view_state(restored)
    assert view["remaining"] == 660 - 50 and view["wall"] == T0 + 50


def test_the_message_and_the_hidden_digits_reach_the_view() -> None:
    session, clock, _ = new_session(make_agenda([10]))
    session.start()
    session.show_message("Pause café", flash=True, seconds=60)
    session.set_hidden(True)
    view = view_state(session)
    assert view["message"] == {"text": "Pause café", "flash": True, "until": T0 + 60}
    assert view["hidden"] is True and view["turn"] is None and view["slot"] is None
    clock.advance(61)
    assert view_state(session)["message"] is None  # its time is up: no page shows it any more


def test_during_a_turn_the_big_digits_count_the_turn_and_name_the_person() -> None:
    """The pages read what the terminal reads: Ana's 00:07, not the step's 04:07."""
    session, clock, _ = new_session(agenda_with_turns())
    session.start()
    clock.advance(300)
    session.next()
    clock.advance(113)
    view = room_view(session)
    assert (view.person, view.turn, view.turns) == ("Ana", 0, 3)
    assert (view.remaining, view.step_remaining, view.digits) == (session.turn_remaining(), session.remaining(), "00:07")
    assert view.phase == "warning" and view.over is None  # a fifth of her 2 minutes is left
    page = view_state(session)
    assert page["turn"] == {"index": 0, "count": 3, "name": "Ana", "remaining": 7, "duration": 120, "warn": 24}
    assert page["remaining"] == 247  # the step's own time, which the page shows smaller
    clock.advance(10)
    view = room_view(session)
    assert view.digits == "+00:03" and view.phase == "overtime" and view.over == "turn"  # the turn, not the step


def test_without_turns_the_big_digits_count_the_step_and_over_time_is_the_steps() -> None:
    session, clock, _ = new_session(make_agenda([1, 5]))
    session.start()
    clock.advance(61)
    view = room_view(session)
    assert (view.person, view.turn, view.digits, view.over, view.phase) == (None, None, "+00:01", "step", "overtime")
    assert view_state(session)["turn"] is None
