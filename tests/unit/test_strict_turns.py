"""Strict and shared turns (``turns_share``) on the fake clock: each strict turn keeps its own length
whatever the others did, the step's end moving with them; the default rule and its errors; the record's
"Ajusté" column holding only what someone chose; ``auto_advance`` moving from person to person."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest

from atelier_timer.agenda import AgendaError, load_agenda, parse_agenda, schema_text
from atelier_timer.report import render_markdown
from atelier_timer.session import Session
from tests.helpers import new_session

L, R = "\u2068", "\u2069"  # the record isolates names typed in the agenda

HEAD = """\
title: Atelier
roles: {animation: Animation, intervenant: Intervenant·e}
participants:
  - {name: Ana, role: intervenant}
  - {name: Bo, role: intervenant}
  - {name: Chloé, role: intervenant}
"""


def parse(body: str):
    return parse_agenda(HEAD + textwrap.dedent(body), "a.yaml")


def problems(body: str) -> list[str]:
    with pytest.raises(AgendaError) as error:
        parse(body)
    return [str(problem) for problem in error.value.problems]


TESTIMONIES = """\
steps:
  - title: Ouverture
    duration: 5m
  - title: Témoignages
    turns:
      - {name: Léa, duration: 7m}
      - {name: Malik, duration: 7m}
      - {name: Zoé, duration: 7m}
  - title: Échanges
    duration: 30m
"""


def at_the_testimonies(body: str = TESTIMONIES) -> tuple[Session, object, list]:
    session, clock, recorder = new_session(parse(body))
    session.toggle()
    clock.advance(300)
    session.next()
    return session, clock, recorder


# ----- the agenda says which -----


def test_turns_with_their_own_lengths_are_strict_and_turns_sharing_a_duration_are_shared():
    agenda = parse(
        """\
        steps:
          - {title: Listed, turns: [{name: A, duration: 7m}, {name: B, duration: 7m}]}
          - {title: Each, turns: {role: intervenant, each: 5m}}
          - {title: Round, duration: 6m, turns: participants}
          - {title: Forced, duration: 6m, turns: participants, turns_share: strict}
          - {title: Chosen, turns: {role: intervenant, each: 5m}, turns_share: shared}
        """
    )
    assert [step.turns_share for step in agenda.steps] == ["strict", "strict", "shared", "strict", "shared"]


def test_the_agendas_turns_share_is_the_default_of_its_steps():
    agenda = parse(
        """\
        turns_share: shared
        steps:
          - {title: Listed, turns: [{name: A, duration: 7m}, {name: B, duration: 7m}]}
          - {title: Own, turns: [{name: A, duration: 7m}], turns_share: strict}
        """
    )
    assert [step.turns_share for step in agenda.steps] == ["shared", "strict"]


def test_the_bundled_testimonies_are_strict_and_codev_keeps_its_steps_lengths():
    (testimonies,) = [step for step in load_agenda("temoignages").steps if step.turns]
    assert testimonies.turns_share == "strict"
    assert {step.turns_share for step in load_agenda("codev").steps if step.turns} == {"shared"}


def test_a_wrong_turns_share_is_told_at_its_line_and_column():
    assert problems(
        """\
        turns_share: strictly
        steps:
          - title: Tour
            duration: 6m
            turns_share: partagé
            turns: participants
          - {title: Pause, duration: 5m, turns_share: strict}
        """
    ) == [
        "a.yaml:7:14: error: turns_share must be strict (each turn keeps its own length) or shared (the turns share the step's time), "
        "not 'strictly'",
        "a.yaml:11:18: error: step 1: turns_share must be strict (each turn keeps its own length) or shared (the turns share the step's "
        "time), not 'partagé'",
        "a.yaml:13:34: error: step 2: turns_share is for a step with turns, and this one has none",
    ]


def test_the_schema_knows_turns_share_as_the_checker_does():
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    turns = [{"name": "A", "duration": "7m"}]
    good = {"title": "A", "turns_share": "shared", "steps": [{"title": "T", "turns_share": "strict", "turns": turns}]}
    assert not list(validator.iter_errors(good))
    for bad in (
        {"title": "A", "turns_share": "strictly", "steps": [{"title": "T", "duration": 5}]},
        {"title": "A", "steps": [{"title": "T", "duration": 5, "turns_share": "strict"}]},  # no turns
    ):
        assert list(validator.iter_errors(bad)), bad


# ----- strict arithmetic -----


def test_a_short_strict_turn_gives_nothing_to_the_next_one_and_the_step_ends_earlier():
    session, clock, _ = at_the_testimonies()
    planned_end = session.projected_end()
    clock.advance(200)  # Léa stops at 3:20 of her 7 minutes
    session.next_turn()
    assert session.turn_remaining() == 420, "Malik has his 7 minutes, not 7 + 3:40"
    assert session.coming_turns() == [420]
    assert session.remaining() == 840
    assert session.projected_end() == pytest.approx(planned_end - 220), "the session gains the 3:40 Léa left"
    assert session.drift() == pytest.approx(-220)


def test_an_overrunning_strict_turn_takes_nothing_from_the_next_and_the_step_ends_later():
    session, clock, _ = at_the_testimonies()
    planned_end = session.projected_end()
    clock.advance(480)  # Léa talks 8 minutes
    assert session.turn_remaining() == -60 and session.turn_phase() == "overtime"
    assert session.remaining() == 840 and session.phase() == "normal", "the step is not over: two full turns to come"
    assert session.coming_turns() == [420, 420]
    assert session.projected_end() == pytest.approx(planned_end + 60)
    session.next_turn()
    clock.advance(100)
    session.next_turn()  # Malik stops early: Zoé still has her 7 minutes
    assert session.turn_remaining() == 420 == session.remaining()
    clock.advance(430)
    assert session.remaining() == -10 and session.phase() == "overtime", "the last turn's end is the step's"


def test_each_strict_turn_gets_its_time_whatever_the_others_did():
    session, clock, _ = at_the_testimonies()
    given = []
    for spoken in (120, 500, None):
        given.append(session.turn_remaining())
        if spoken is not None:
            clock.advance(spoken)
            session.next_turn()
    assert given == [420, 420, 420]


def test_plus_and_minus_change_the_strict_turn_and_its_step_and_the_record_shows_only_that():
    session, clock, _ = at_the_testimonies()
    clock.advance(60)
    session.next_turn()  # a short first turn: nothing "adjusted"
    session.adjust(+60)  # Malik is given one more minute
    assert session.turn_remaining() == 480 and session.durations[1] == 1320
    assert session.turn_adjusted[1] == [420, 480, 420]
    table = render_markdown(session)
    assert f"| ↳ {L}Malik{R} _(en cours)_ | 7:00 | 8:00 |" in table
    assert f"| ↳ {L}Léa{R} | 7:00 |  |" in table and f"| ↳ {L}Zoé{R} | 7:00 |  |" in table


def test_the_shared_modes_redistribution_is_not_shown_as_an_adjustment():
    body = TESTIMONIES.replace("  - title: Témoignages\n", "  - title: Témoignages\n    turns_share: shared\n")
    session, clock, _ = at_the_testimonies(body)
    clock.advance(100)
    session.next_turn()
    assert session.turn_remaining() == 580, "shared: Léa's 5:20 left go to Malik and Zoé"
    assert "Ajusté" not in render_markdown(session), "nobody chose that: no adjusted column"


def test_a_strict_step_is_restored_from_its_journal_with_its_moving_end():
    session, clock, recorder = at_the_testimonies()
    clock.advance(200)
    session.next_turn()
    clock.advance(30)
    session.adjust(-60)
    restored = Session.restore(session.agenda, list(recorder), clock)
    assert (restored.turn, restored.turn_remaining(), restored.remaining()) == (1, 330, 750)
    assert restored.turn_adjusted == session.turn_adjusted


# ----- shared turns add up -----


def test_shared_turns_shown_add_up_to_the_steps_time_left_second_by_second():
    body = TESTIMONIES.replace("  - title: Témoignages\n", "  - title: Témoignages\n    turns_share: shared\n")
    session, clock, _ = at_the_testimonies(body)
    clock.advance(7.6)  # a turn ended at a fraction of a second
    session.next_turn()
    for _ in range(12):
        clock.advance(0.2)
        turn_shown = session.turn_remaining()
        assert round(-(-turn_shown // 1)) + sum(session.coming_turns()) == -(-session.remaining() // 1)


# ----- auto_advance through turns -----

AUTO = """\
auto_advance: true
steps:
  - title: Témoignages
    turns:
      - {name: Léa, duration: 2m}
      - {name: Malik, duration: 2m}
      - {name: Zoé, duration: 2m}
  - title: Échanges
    duration: 10m
"""


@pytest.mark.parametrize("share", ["strict", "shared"])
def test_auto_advance_moves_from_person_to_person_each_getting_their_time(share):
    session, clock, recorder = new_session(parse(AUTO.replace("    turns:\n", f"    turns_share: {share}\n    turns:\n", 1)))
    session.toggle()
    clock.advance(30)
    session.add_note("Léa parle")
    clock.advance(90.25)  # a late wake, a quarter of a second past Léa's zero
    assert session.turn_at_zero() and session.turn == 1
    assert session.turn_elapsed(0) == 120, "Léa's turn ends at her zero"
    assert session.turn_remaining() == pytest.approx(119.75), "the quarter second past it is Malik's"
    session.add_note("Malik parle")
    clock.advance(119.75 + 120)  # a long stall: Malik's zero and Zoé's pass in one wake
    assert session.turn_at_zero() and session.turn == 2
    assert session.turn_elapsed(1) == pytest.approx(120) and session.turn_remaining() == pytest.approx(0.0)
    assert not session.turn_at_zero(), "the last turn's zero is the step's: the step moves on as any step does"
    assert [e["to"] for e in recorder if e["type"] == "turn"] == [1, 2]
    session.next()
    table = render_markdown(session)
    for name in ("Léa", "Malik", "Zoé"):
        assert f"| ↳ {L}{name}{R} | 2:00 | 2:00 | 0:00 |" in table
    assert [(note.text, note.turn) for note in session.notes] == [("Léa parle", 0), ("Malik parle", 1)]


def test_without_auto_advance_a_turn_counts_overtime():
    session, clock, _ = new_session(parse(AUTO.replace("auto_advance: true", "auto_advance: false")))
    session.toggle()
    clock.advance(130)
    assert not session.turn_at_zero()
    assert session.turn == 0 and session.turn_remaining() == -10


def test_a_turn_may_say_the_role_of_who_speaks_and_an_undeclared_one_is_told():
    (step,) = parse("steps:\n  - {title: T, turns: [{name: Léa, duration: 7m, role: intervenant}, Bo], duration: 10m}\n").steps
    assert [(turn.name, turn.role) for turn in step.turns] == [("Léa", "intervenant"), ("Bo", None)]
    (by_role,) = parse("steps:\n  - {title: T, turns: {role: intervenant, each: 5m}}\n").steps
    assert {turn.role for turn in by_role.turns} == {"intervenant"}
    assert problems("steps:\n  - {title: T, turns: [{name: Léa, duration: 7m, role: coach}]}\n") == [
        "a.yaml:8:56: error: step 1: turns: turn 1: role 'coach' is not declared in 'roles' (declared roles: animation, intervenant)"
    ]
