"""The booked slot: the planned end, the drift and the rebalance measured against it, on the fake clock."""

from __future__ import annotations

import pytest

from atelier_timer.agenda import AgendaError, Schedule, parse_agenda
from atelier_timer.clock import FakeClock
from atelier_timer.journal import Journal, list_sessions, read_journal
from atelier_timer.report import session_from_journal
from atelier_timer.session import Session, Slot, SlotError, check_slot
from atelier_timer.texts import countdown_text
from tests.helpers import T0, Recorder, make_agenda

MINUTE = 60
CODEV = [10, 10, 10, 25, 5]  # 60 minutes, as Acte 2


def slotted(minutes: list[float], slot: Slot, wall: float = T0) -> tuple[Session, FakeClock, Recorder]:
    clock = FakeClock(wall=wall)
    recorder = Recorder()
    return Session(make_agenda(minutes), clock, recorder, slot=slot), clock, recorder


# --------------------------------------------------------------------------------------------------
# The planned end


def test_without_a_slot_the_planned_end_is_the_actual_start_plus_the_total():
    session, clock, _ = slotted(CODEV, None)
    clock.advance(6 * MINUTE)
    session.start()
    assert session.planned_end() == T0 + 66 * MINUTE
    assert session.drift_minutes() == 0


def test_an_end_55_minutes_away_shows_5_minutes_of_drift_before_anything_happens():
    session, _, recorder = slotted(CODEV, Slot(end=T0 + 55 * MINUTE))
    assert session.state() == "ready"
    assert session.planned_end() == T0 + 55 * MINUTE
    assert session.drift_minutes() == 5
    assert recorder == []  # nothing recorded: the drift is derived, not an event


def test_rebalance_before_the_start_brings_the_projected_end_back_to_the_slot_end():
    session, _, _ = slotted(CODEV, Slot(end=T0 + 55 * MINUTE))
    session.apply_rebalance(session.rebalance_plan())
    assert session.projected_end() == T0 + 55 * MINUTE
    assert session.drift_minutes() == 0
    assert session.durations[0] == 10 * MINUTE  # the current step stays as it is


def test_late_start_puts_the_end_behind_the_slot_from_the_first_second():
    session, clock, recorder = slotted(CODEV, Slot(T0, T0 + 60 * MINUTE))
    clock.advance(6 * MINUTE)  # latecomers, a projector that won't connect
    assert session.drift_minutes() == 6, "the waiting already counts"
    session.start()
    assert session.late_start() == 6 * MINUTE
    assert recorder[-1]["type"] == "start" and recorder[-1]["late"] == 6 * MINUTE
    assert session.planned_end() == T0 + 60 * MINUTE
    assert session.drift_minutes() == 6
    session.apply_rebalance(session.rebalance_plan())
    assert session.projected_end() == pytest.approx(T0 + 60 * MINUTE)


def test_early_start_is_ahead_of_the_slot():
    session, clock, recorder = slotted(CODEV, Slot(T0 + 3 * MINUTE, T0 + 63 * MINUTE))
    assert session.until_start() == 3 * MINUTE
    assert session.drift_minutes() == 0, "while waiting, the projection starts at the slot's start"
    clock.advance(MINUTE)
    assert session.until_start() == 2 * MINUTE
    session.start()  # the room is ready two minutes early
    assert session.until_start() is None
    assert session.late_start() == -2 * MINUTE
    assert recorder[-1]["late"] == -2 * MINUTE
    assert session.drift_minutes() == -2


def test_a_start_alone_plans_the_end_at_that_start_plus_the_total():
    session, clock, _ = slotted(CODEV, Slot(start=T0))
    clock.advance(4 * MINUTE)
    session.start()
    assert session.planned_end() == T0 + 60 * MINUTE
    assert session.drift_minutes() == 4


def test_a_slot_shorter_than_the_agenda_is_behind_from_the_start_and_rebalance_says_by_how_much_it_overruns():
    session, _, _ = slotted([10, 10], Slot(T0, T0 + 8 * MINUTE))
    session.start()
    assert session.drift_minutes() == 12
    plan = session.rebalance_plan()
    assert plan.new == (10 * MINUTE, MINUTE)  # never below a minute
    assert plan.overrun == 3 * MINUTE


# --------------------------------------------------------------------------------------------------
# Slots refused


def test_a_slot_across_midnight_is_refused_with_a_clear_error():
    # 23:30 -> 00:30 read as today's times: the end comes before the start
    with pytest.raises(SlotError, match="across midnight is not supported"):
        check_slot(Slot(T0 + 9.5 * 3600, T0 - 13.5 * 3600), now=T0)


def test_an_end_already_past_is_refused():
    with pytest.raises(SlotError, match="has already passed"):
        check_slot(Slot(end=T0 - MINUTE), now=T0)
    check_slot(Slot(T0 - 3600, T0 + MINUTE), now=T0)  # a start already past is a late start, not an error


def test_the_agenda_schedule_is_checked_with_its_place():
    agenda = parse_agenda('title: A\nschedule: {start: "14:00", end: 15h}\nsteps:\n  - {title: S, duration: 5}\n', "a.yaml")
    assert agenda.schedule == Schedule("14:00", "15:00")
    with pytest.raises(AgendaError) as caught:
        parse_agenda("title: A\nschedule:\n  start: 23:30\n  end: 00:30\nsteps:\n  - {title: S, duration: 5}\n", "a.yaml")
    assert str(caught.value) == (
        "a.yaml:4:8: error: schedule.end 00:30 is not after schedule.start 23:30 (a slot across midnight is not supported)"
    )
    with pytest.raises(AgendaError, match=r"a.yaml:2:19: error: schedule.start must be a time of day"):
        parse_agenda("title: A\nschedule: {start: soon}\nsteps:\n  - {title: S, duration: 5}\n", "a.yaml")


# --------------------------------------------------------------------------------------------------
# Time keys


def test_plus_in_overtime_gives_one_more_minute_from_now():
    session, clock, recorder = slotted([5, 5], None)
    session.start()
    clock.advance(5 * MINUTE + 30.4)
    assert session.phase() == "overtime"
    session.adjust(+MINUTE)
    assert countdown_text(session.remaining()) == "01:00"
    assert session.phase() == "warning", "out of the overtime colour (a minute is under the 2-minute warning)"
    assert recorder[-1]["type"] == "adjust" and recorder[-1]["delta"] == 90


def test_plus_before_zero_adds_a_minute_to_what_is_left():
    session, clock, _ = slotted([5, 5], None)
    session.start()
    clock.advance(2 * MINUTE)
    session.adjust(+MINUTE)
    assert session.remaining() == 4 * MINUTE


def test_per_step_auto_advance_overrides_the_agenda():
    agenda = parse_agenda(
        "title: A\nauto_advance: true\nsteps:\n  - {title: S, duration: 5}\n  - {title: T, duration: 5, auto_advance: false}\n",
        "a.yaml",
    )
    assert [agenda.auto_advance_for(step) for step in agenda.steps] == [True, False]


# --------------------------------------------------------------------------------------------------
# The record


def test_the_journal_carries_the_slot_and_resume_restores_it(tmp_path):
    slot = Slot(T0, T0 + 60 * MINUTE)
    clock = FakeClock(wall=T0 + 6 * MINUTE)
    text = "title: A\nsteps:\n  - {title: S, duration: 60}\n"
    journal = Journal.create(tmp_path, text, "a.yaml", "a", clock.wall(), slot.to_dict())
    session = Session(parse_agenda(text, "a.yaml"), clock, journal.append, slot=slot)
    session.start()
    journal.close()
    record = read_journal(journal.path)
    assert record.header["slot"] == {"start": T0, "end": T0 + 3600}
    assert record.events[0]["state"]["slot"] == {"start": T0, "end": T0 + 3600}
    restored = session_from_journal(record)
    assert restored.slot == slot
    assert restored.late_start() == 6 * MINUTE
    assert restored.drift_minutes() == 6
    assert list_sessions(tmp_path)[0].slot == slot.to_dict()


def test_a_journal_without_a_slot_restores_without_one(tmp_path):
    clock = FakeClock(wall=T0)
    text = "title: A\nsteps:\n  - {title: S, duration: 60}\n"
    journal = Journal.create(tmp_path, text, "a.yaml", "a", clock.wall())
    session = Session(parse_agenda(text, "a.yaml"), clock, journal.append)
    session.start()
    journal.close()
    record = read_journal(journal.path)
    for line in [record.header, *record.events]:  # as an older journal wrote them
        line.pop("slot", None)
        line.get("state", {}).pop("slot", None)
    restored = session_from_journal(record)
    assert restored.slot is None and restored.late_start() is None
