"""The session state machine: derived times, keys, notes, events, restore and sleep."""

from __future__ import annotations

import pytest

from atelier_timer.clock import FakeClock
from atelier_timer.session import Session, classify_note
from atelier_timer.texts import clock_text, countdown_text, drift_text
from tests.helpers import T0, make_agenda, new_session

# ----- derived times


def test_remaining_and_overtime_come_from_the_clock() -> None:
    session, clock, _ = new_session(make_agenda([10, 5]))
    assert session.remaining() == 600 and session.state() == "ready"
    clock.advance(30)  # nothing runs before space
    assert session.remaining() == 600
    session.toggle()
    clock.advance(90.5)
    assert session.step_elapsed() == 90.5
    assert session.remaining() == 509.5
    clock.advance(540)
    assert session.remaining() == -30.5
    assert session.phase() == "overtime"
    assert countdown_text(session.remaining()) == "+00:30"


def test_session_elapsed_counts_pauses_but_the_step_does_not() -> None:
    session, clock, _ = new_session(make_agenda([10, 5]))
    assert session.session_elapsed() == 0
    session.toggle()
    clock.advance(60)
    session.toggle()
    clock.advance(120)  # paused
    assert session.step_elapsed() == 60
    assert session.session_elapsed() == 180
    session.toggle()
    clock.advance(10)
    assert (session.step_elapsed(), session.session_elapsed()) == (70, 190)


def test_planned_and_projected_end_and_drift() -> None:
    session, clock, _ = new_session(make_agenda([10, 5, 5]))
    assert session.planned_end() == T0 + 1200 == session.projected_end()
    session.toggle()
    clock.advance(300)
    assert session.planned_end() == T0 + 1200
    assert session.projected_end() == T0 + 1200
    assert (session.drift_minutes(), drift_text(session.drift_minutes())) == (0, "0 min")
    session.toggle()
    clock.advance(120)  # a two-minute pause pushes the end back
    assert session.projected_end() == T0 + 1320
    assert (session.drift_minutes(), drift_text(session.drift_minutes())) == (2, "+2 min")
    session.toggle()
    clock.advance(180)  # step 1 ends 2 minutes early
    session.next()
    assert session.drift() == 0
    clock.advance(180)
    session.next()  # step 2 ends after 3 of its 5 minutes
    assert session.drift() == -120
    assert drift_text(session.drift_minutes()) == "-2 min"
    clock.advance(400)  # 100 s of overtime on the last step
    assert session.projected_end() == clock.wall() == T0 + 1180
    assert session.drift() == -20  # 2 minutes ahead, less the 100 s of overtime


def test_drift_counts_adjustments_before_and_after_the_start() -> None:
    session, clock, _ = new_session(make_agenda([10, 10]))
    session.adjust(+60)
    assert session.drift_minutes() == 1
    session.toggle()
    session.adjust(-60)
    session.adjust(-60)
    assert drift_text(session.drift_minutes()) == "-1 min"


@pytest.mark.parametrize(
    ("elapsed", "phase"),
    [(0, "normal"), (479, "normal"), (480, "warning"), (569, "warning"), (570, "danger"), (599.9, "danger"), (600, "overtime")],
)
def test_phase_follows_the_agenda_alerts(elapsed: float, phase: str) -> None:
    session, clock, _ = new_session(make_agenda([10]))  # warn 120, danger 30
    session.toggle()
    clock.advance(elapsed)
    assert session.phase() == phase


@pytest.mark.parametrize(("elapsed", "phase"), [(59, "normal"), (60, "warning"), (239, "warning"), (240, "danger"), (300, "overtime")])
def test_phase_uses_the_step_overrides(elapsed: float, phase: str) -> None:
    session, clock, _ = new_session(make_agenda([1, 5], overrides={1: {"warn": 240, "danger": 60}}))
    session.next()
    session.toggle()
    clock.advance(elapsed)
    assert session.phase() == phase


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (600, "10:00"),
        (599.5, "10:00"),  # a countdown shows the second it is in: 10:00 until a full second has gone
        (599, "09:59"),
        (0.2, "00:01"),
        (0, "00:00"),
        (-0.5, "+00:00"),
        (-5, "+00:05"),
        (-61.9, "+01:01"),
        (3600, "1:00:00"),
        (5400.4, "1:30:01"),
        (-3725, "+1:02:05"),
    ],
)
def test_countdown_text(remaining: float, shown: str) -> None:
    assert countdown_text(remaining) == shown


def test_countdown_text_in_hours_form_for_long_steps() -> None:
    assert countdown_text(600, hours=True) == "0:10:00"
    assert countdown_text(-5, hours=True) == "+0:00:05"
    assert clock_text(59) == "00:59"


# ----- keys


def test_space_starts_pauses_and_resumes() -> None:
    session, clock, recorder = new_session(make_agenda([10, 5]))
    session.toggle()
    assert session.state() == "running" and session.started_wall == T0
    clock.advance(10)
    session.toggle()
    assert session.state() == "paused"
    clock.advance(10)
    session.toggle()
    assert session.state() == "running"
    assert session.started_wall == T0  # a resume is not a new start
    assert recorder.types() == ["start", "pause", "resume"]


@pytest.mark.parametrize("running", [True, False])
def test_next_and_previous_keep_the_running_state(running: bool) -> None:
    session, clock, _ = new_session(make_agenda([10, 5, 5]))
    session.toggle()
    clock.advance(60)
    if not running:
        session.toggle()
    session.next()
    assert (session.index, session.running) == (1, running)
    clock.advance(30)
    assert session.step_elapsed(1) == (30 if running else 0)
    session.previous()
    assert (session.index, session.running) == (0, running)
    clock.advance(30)
    assert session.step_elapsed(0) == (90 if running else 60)  # back on a step, its time goes on


def test_previous_on_the_first_step_does_nothing() -> None:
    session, _, recorder = new_session(make_agenda([10, 5]))
    session.previous()
    assert session.index == 0 and recorder == []


def test_next_on_the_last_step_finishes_and_previous_reopens() -> None:
    session, clock, recorder = new_session(make_agenda([1, 1]))
    session.next()
    session.next()  # not started: nothing to finish
    assert not session.finished
    session.toggle()
    clock.advance(70)
    session.next()
    assert session.finished and session.state() == "finished" and not session.running
    assert session.ended_wall == T0 + 70
    clock.advance(100)
    assert session.step_elapsed(1) == 70
    assert session.session_elapsed() == 70  # the clock stops at the end
    session.toggle()
    assert session.state() == "finished"  # space does nothing once finished
    session.previous()
    assert session.state() == "paused" and session.index == 1
    assert session.ended_wall is None
    assert recorder.types()[-2:] == ["finish", "reopen"]
    session.toggle()
    clock.advance(10)
    session.next()
    # The room's time: the 100 s the session stood finished count, as a pause would.
    assert session.ended_wall == T0 + 180 and session.session_elapsed() == 180


def test_adjust_adds_and_removes_a_minute_never_below_zero() -> None:
    session, _, recorder = new_session(make_agenda([1.5, 5]))
    session.adjust(+60)
    assert session.durations == [150, 300]
    session.adjust(-60)
    session.adjust(-60)
    session.adjust(-60)
    assert session.durations == [0, 300]
    session.adjust(-60)
    assert session.durations == [0, 300]
    assert [e.get("delta") for e in recorder] == [60, -60, -60, -30]


# ----- notes


@pytest.mark.parametrize(
    ("raw", "kind", "text", "hypotheses"),
    [
        ("! Appeler la DINUM", "action", "Appeler la DINUM", ()),
        ("* On mesure ce qui compte", "learning", "On mesure ce qui compte", ()),
        ("? Qui lit la page /stats", "question", "Qui lit la page /stats", ()),
        ("Une note simple", "note", "Une note simple", ()),
        ("  !   espaces  ", "action", "espaces", ()),
        ("!important", "note", "!important", ()),  # a kind needs its space
        ("*gras*", "note", "*gras*", ()),
        ("#2 fiable à 50 %", "note", "#2 fiable à 50 %", (2,)),
        ("! #1 et #3, encore #1", "action", "#1 et #3, encore #1", (1, 3)),
        ("&#39; ou x#2", "note", "&#39; ou x#2", ()),
        ("#", "note", "#", ()),
    ],
)
def test_notes_are_classified_by_prefix(raw: str, kind: str, text: str, hypotheses: tuple[int, ...]) -> None:
    assert classify_note(raw) == (kind, text, hypotheses)


def test_a_note_records_when_and_where_and_blank_notes_are_ignored() -> None:
    session, clock, recorder = new_session(make_agenda([10, 5], hypotheses=("a", "b")))
    session.toggle()
    clock.advance(60)
    session.toggle()
    clock.advance(30)
    session.next()
    for blank in ("", "   ", "!", "? "):
        assert session.add_note(blank) is None
    note = session.add_note("* ça marche #2")
    assert (note.kind, note.text, note.hypotheses, note.step) == ("learning", "ça marche #2", (2,), 1)
    assert (note.wall, note.elapsed) == (T0 + 90, 90)
    assert session.notes == [note]
    assert recorder.types()[-1] == "note" and recorder[-1]["note"]["text"] == "ça marche #2"


# ----- events


MUTATIONS = {
    "start": lambda s: s.toggle(),
    "pause": lambda s: s.toggle(),
    "resume": lambda s: s.toggle(),
    "step": lambda s: s.next(),
    "adjust": lambda s: s.adjust(60),
    "note": lambda s: s.add_note("? une question"),
    "rebalance": lambda s: s.apply_rebalance(s.rebalance_plan()),
    "sleep": lambda s: s.account_sleep(30),
    "message": lambda s: s.show_message("On conclut"),
    "display": lambda s: s.set_hidden(True),
    "export": lambda s: s.mark("export", path="x.md"),
    "finish": lambda s: s.finish(),
    "reopen": lambda s: s.previous(),
}


def test_every_change_records_exactly_one_event_with_a_snapshot() -> None:
    session, clock, recorder = new_session(make_agenda([10, 10, 10, 10]))
    for kind, mutate in MUTATIONS.items():
        clock.advance(45)
        before = len(recorder)
        mutate(session)
        assert recorder.types()[before:] == [kind]
        event = recorder[-1]
        assert event["wall"] == clock.wall()
        assert event["state"] == session.snapshot()


def test_changes_that_change_nothing_record_nothing() -> None:
    session, _, recorder = new_session(make_agenda([10, 10]))
    session.pause()
    session.go_to(0)
    session.finish()
    session.apply_rebalance(session.rebalance_plan())
    session.toggle()
    session.start()
    session.clear_message()
    session.set_hidden(False)
    assert recorder.types() == ["start"]


# ----- restore


def drive(session: Session, clock: FakeClock, running: bool) -> None:
    session.toggle()
    clock.advance(400)
    session.add_note("! une action #1")
    session.next()
    session.adjust(+60)
    clock.advance(100)
    session.add_note("* un apprentissage")
    session.previous()
    clock.advance(50)
    session.next()
    session.toggle()
    clock.advance(30)  # paused
    session.toggle()
    clock.advance(20)
    session.mark("export", path="x.md")
    if not running:
        session.toggle()


@pytest.mark.parametrize("running", [True, False])
def test_restore_gives_back_the_same_session(running: bool) -> None:
    agenda = make_agenda([10, 10, 10], hypotheses=("h1",))
    session, clock, recorder = new_session(agenda)
    drive(session, clock, running)
    later = FakeClock(wall=clock.wall(), monotonic=5.0)  # a new program: another monotonic origin
    restored = Session.restore(agenda, list(recorder), later)
    assert restored.index == session.index == 1
    assert restored.durations == session.durations == [600, 660, 600]
    assert [restored.step_elapsed(i) for i in range(3)] == [session.step_elapsed(i) for i in range(3)] == [450, 120, 0]
    assert restored.notes == session.notes
    assert restored.state() == session.state() == ("running" if running else "paused")
    assert restored.session_elapsed() == session.session_elapsed() == 600
    assert restored.started_wall == T0 and restored.away == 0
    later.advance(10)
    assert restored.step_elapsed() == 120 + (10 if running else 0)


@pytest.mark.parametrize("running", [True, False])
def test_time_away_counts_as_elapsed_when_the_timer_ran(running: bool) -> None:
    agenda = make_agenda([10, 10, 10])
    session, clock, recorder = new_session(agenda)
    drive(session, clock, running)
    later = FakeClock(wall=clock.wall() + 300, monotonic=5.0)  # the program died; resumed 5 minutes later
    restored = Session.restore(agenda, list(recorder), later, record=recorder)
    assert restored.away == 300
    assert restored.step_elapsed() == 120 + (300 if running else 0)
    assert restored.session_elapsed() == 900  # the room's time went on either way
    assert restored.state() == ("running" if running else "paused")
    restored.toggle()
    assert recorder.types()[-1] == ("pause" if running else "resume")  # the restored session records on


def test_restore_of_a_finished_session_adds_no_time() -> None:
    agenda = make_agenda([1])
    session, clock, recorder = new_session(agenda)
    session.toggle()
    clock.advance(70)
    session.next()
    restored = Session.restore(agenda, list(recorder), FakeClock(wall=clock.wall() + 3600))
    assert restored.state() == "finished" and restored.away == 0
    assert (restored.step_elapsed(0), restored.session_elapsed(), restored.ended_wall) == (70, 70, T0 + 70)


def test_restore_of_a_journal_without_events_is_a_fresh_session() -> None:
    restored = Session.restore(make_agenda([5]), [], FakeClock())
    assert restored.state() == "ready" and restored.notes == []


# ----- sleep


def test_a_sleep_counted_as_elapsed_goes_into_the_running_step() -> None:
    session, clock, recorder = new_session(make_agenda([10]))
    session.toggle()
    clock.advance(60)
    clock.sleep(120)  # monotonic time stood still
    assert session.step_elapsed() == 60
    assert session.session_elapsed() == 180
    session.account_sleep(120, as_elapsed=True)
    assert session.step_elapsed() == 180 and session.session_elapsed() == 180
    assert recorder[-1]["type"] == "sleep" and recorder[-1]["counted"] is True


def test_a_sleep_counted_as_a_pause_leaves_the_step_alone() -> None:
    session, clock, recorder = new_session(make_agenda([10]))
    session.toggle()
    clock.advance(60)
    clock.sleep(120)
    session.account_sleep(120, as_elapsed=False)
    assert session.step_elapsed() == 60 and session.session_elapsed() == 180
    assert recorder[-1]["counted"] is False
    clock.advance(5)
    assert session.step_elapsed() == 65


# ----- messages to the room, hidden digits


def test_a_message_shows_until_cleared_or_for_its_time() -> None:
    session, clock, recorder = new_session(make_agenda([10, 10]))
    session.show_message("  On   conclut ", flash=True)
    assert session.message_now() == {"text": "On conclut", "flash": True, "until": None}
    assert recorder[-1]["type"] == "message" and recorder[-1]["text"] == "On conclut"
    clock.advance(3600)
    assert session.message_now()["text"] == "On conclut"
    session.show_message("")  # m then Enter on an empty line
    assert session.message_now() is None and recorder[-1]["text"] is None
    session.show_message("Pause", seconds=120)
    assert recorder[-1]["until"] == clock.wall() + 120
    clock.advance(119)
    assert session.message_now()["text"] == "Pause"
    clock.advance(1)
    assert session.message_now() is None
    assert [m.text for m in session.room_messages] == ["On conclut", "Pause"]


def test_hidden_digits_follow_the_step_and_the_d_key_but_the_alerts_do_not() -> None:
    agenda = make_agenda([1, 1, 1], overrides={1: {"display": "hidden"}, 2: {"display": "countup"}})
    session, clock, recorder = new_session(agenda)
    session.start()
    clock.advance(10)
    assert session.digits() == "00:50"
    session.set_hidden(True)
    assert session.digits() is None and recorder[-1]["type"] == "display" and recorder[-1]["hidden"] is True
    session.next()  # the next step is hidden by the agenda
    assert session.hidden and session.snapshot()["hidden"] is True
    clock.advance(60)
    assert session.digits() is None and session.phase() == "overtime"  # the time still runs out
    session.next()  # count up: the time spent
    clock.advance(75)
    assert not session.hidden and session.digits() == "01:15" and session.phase() == "overtime"


def test_restore_keeps_the_message_and_the_hidden_digits_and_reads_older_journals() -> None:
    agenda = make_agenda([10, 10])
    session, clock, recorder = new_session(agenda)
    session.start()
    session.show_message("On conclut", flash=True)
    session.set_hidden(True)
    restored = Session.restore(agenda, list(recorder), FakeClock(wall=clock.wall()))
    assert restored.message_now()["text"] == "On conclut" and restored.hidden
    assert [m.text for m in restored.room_messages] == ["On conclut"]
    older = [{**event, "state": {k: v for k, v in event["state"].items() if k not in ("message", "hidden")}} for event in recorder]
    older = [event for event in older if event["type"] not in ("message", "display")]
    restored = Session.restore(agenda, older, FakeClock(wall=clock.wall()))
    assert restored.message_now() is None and not restored.hidden
