"""The turn arithmetic on the fake clock: the current turn's countdown, an overrun eating into the
following turns, skipping and going back, +/- on a turn, the rebalance, the journal and the notes."""

from __future__ import annotations

from atelier_timer.agenda import Agenda, Alerts, Participant, Role, Step, Turn
from atelier_timer.session import Session, split_evenly
from tests.helpers import new_session


def agenda_with_turns() -> Agenda:
    """Intro 5 min, a round of three 2-minute turns, exchanges 10 min."""
    round_ = Step("Tour de table", 360, turns=(Turn("Ana", 120), Turn("Bo", 120), Turn("Chloé", 120)))
    return Agenda(
        title="Atelier",
        steps=(Step("Intro", 300), round_, Step("Échanges", 600)),
        roles=(Role("client", "Client"),),
        alerts=Alerts(warn=120, danger=30),
        participants=(Participant("Ana", "client"),),
    )


def at_the_round() -> tuple[Session, object, list]:
    session, clock, recorder = new_session(agenda_with_turns())
    session.toggle()
    clock.advance(300)
    session.next()
    return session, clock, recorder


def test_the_current_turn_counts_down_inside_its_step():
    session, clock, _ = at_the_round()
    clock.advance(50)
    assert (session.turn, session.turn_remaining(), session.remaining()) == (0, 70, 310)
    assert session.coming_turns() == [120, 120]


def test_a_turn_that_runs_over_eats_into_the_following_turns():
    session, clock, _ = at_the_round()
    clock.advance(180)  # Ana speaks 3 minutes of her 2
    assert session.turn_remaining() == -60 and session.turn_phase() == "overtime"
    assert session.coming_turns() == [90, 90], "Bo and Chloé now share what is left of the step"
    session.next_turn()
    assert session.turn == 1 and session.turn_remaining() == 90
    clock.advance(90)
    session.next_turn()
    assert session.turn_remaining() == 90 == session.remaining(), "the last turn ends with the step"


def test_a_short_turn_leaves_its_time_to_the_following_ones():
    session, clock, _ = at_the_round()
    clock.advance(60)
    session.next_turn()
    assert session.turn_remaining() == 150


def test_skipping_a_turn_and_going_back():
    session, clock, recorder = at_the_round()
    clock.advance(30)
    session.next_turn()  # Bo
    session.next_turn()  # Bo is absent: Chloé
    assert session.turn == 2 and session.turn_remaining() == 330 == session.remaining()
    clock.advance(20)
    session.previous_turn()  # Bo arrived after all
    assert session.turn == 1 and session.turn_remaining() == 155, "Bo and Chloé share the 310 s left of the step"
    assert session.turn_remaining() + sum(session.coming_turns()) == session.remaining() == 310, (
        "the turns shown after going back add up to the step's time left: Chloé's 20 s are spent"
    )
    assert recorder.types()[-3:] == ["turn", "turn", "turn"]
    assert recorder[-1]["from"] == 2 and recorder[-1]["to"] == 1
    session.previous_turn()
    session.previous_turn()  # nothing before the first turn
    assert session.turn == 0 and session.turn_elapsed() == 30


def test_after_the_last_turn_comes_the_next_step():
    session, clock, _ = at_the_round()
    for _ in range(3):
        clock.advance(120)
        session.next_turn()
    assert session.index == 2 and session.step.title == "Échanges"
    session.previous()
    assert session.index == 1 and session.turn == 2, "going back lands on the last turn, where it was left"


def test_t_on_a_step_without_turns_does_nothing():
    session, clock, recorder = new_session(agenda_with_turns())
    session.toggle()
    session.next_turn()
    session.previous_turn()
    assert session.index == 0 and recorder.types() == ["start"]
    assert session.turn_phase() == "normal" and session.coming_turns() == []


def test_plus_and_minus_change_the_current_turn_and_so_its_step():
    session, clock, recorder = at_the_round()
    clock.advance(120)
    session.next_turn()
    session.adjust(+60)
    assert session.turn_remaining() == 180 and session.durations[1] == 420
    assert session.coming_turns() == [120], "the next turn keeps its time"
    session.adjust(-60)
    session.adjust(-60)
    session.adjust(-60)
    assert session.turn_remaining() == 0 and session.durations[1] == 240
    assert [event["delta"] for event in recorder if event["type"] == "adjust"] == [60, -60, -60, -60]
    session.adjust(-60)  # a turn never goes below zero
    assert recorder.types().count("adjust") == 4 and session.durations[1] == 240


def test_a_turn_warns_at_a_fifth_of_its_time_and_never_earlier_than_its_step():
    session, clock, _ = at_the_round()
    clock.advance(95)
    assert session.turn_phase() == "normal"
    clock.advance(1)  # 24 s left of 120
    assert session.turn_phase() == "warning"


def test_the_rebalance_scales_the_turns_inside_their_step():
    session, clock, _ = new_session(agenda_with_turns())
    session.toggle()
    clock.advance(300 + 120)  # the intro runs 2 minutes over
    plan = session.rebalance_plan()
    session.apply_rebalance(plan)
    assert session.durations[1] < 360
    assert sum(session.turn_durations[1]) == session.durations[1]
    assert len(set(session.turn_durations[1])) == 1, "the three turns stay equal"


def test_split_evenly_adds_up_exactly():
    assert split_evenly(100, [1, 1, 1]) == [34, 33, 33]
    assert split_evenly(0, [1, 2]) == [0, 0]
    assert sum(split_evenly(437, [120, 90, 7])) == 437


def test_the_journal_restores_the_turn_and_a_journal_without_turns_still_reads():
    session, clock, recorder = at_the_round()
    clock.advance(150)
    session.next_turn()
    clock.advance(40)
    session.pause()
    restored = Session.restore(session.agenda, list(recorder), clock)
    assert (restored.turn, restored.turn_elapsed(0), restored.turn_remaining()) == (1, 150, session.turn_remaining())
    old = [dict(event, state={k: v for k, v in event["state"].items() if not k.startswith("turn")}) for event in recorder]
    older = Session.restore(session.agenda, old, clock)
    assert older.turn == 0 and older.remaining() == session.remaining()


def test_a_note_is_tied_to_the_turn_it_was_written_in():
    session, clock, recorder = at_the_round()
    session.next_turn()
    note = session.add_note("Bo : mesurer le délai")
    assert note.turn == 1 and recorder[-1]["note"]["turn"] == 1
    restored = Session.restore(session.agenda, list(recorder), clock)
    assert restored.notes[0].turn == 1
