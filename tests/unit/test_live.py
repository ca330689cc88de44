"""The room's view of a session (live.view_state): what the web pages show, from the journal."""

from __future__ import annotations

import json

from atelier_timer.agenda import Alerts
from atelier_timer.clock import FakeClock
from atelier_timer.live import view_state
from atelier_timer.session import Session
from tests.helpers import T0, make_agenda, new_session


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


def test_what_later_features_put_in_the_snapshot_reaches_the_view(monkeypatch) -> None:
    session, _, _ = new_session(make_agenda([10]))
    plain = Session.snapshot
    extra = {"message": {"text": "Pause café", "flash": True, "until": None}, "hidden": True, "turn": 2}
    monkeypatch.setattr(Session, "snapshot", lambda self: {**plain(self), **extra})
    view = view_state(session)
    assert view["message"] == {"text": "Pause café", "flash": True, "until": None}
    assert view["hidden"] is True and view["turn"] == 2 and view["slot"] is None
