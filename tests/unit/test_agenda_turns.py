"""Turns inside a step and repeated steps, as the agenda file writes them: the three forms, the
durations they give, and one located line for each thing wrong."""

from __future__ import annotations

import textwrap

import pytest

from atelier_timer.agenda import Agenda, AgendaError, Turn, parse_agenda

HEAD = """\
title: Atelier
roles: {animation: Animation, client: Client, consultants: Coachs}
participants:
  - {name: Ana, role: client}
  - {name: Bo, role: consultants}
  - {name: Chloé, role: consultants}
steps:
"""


def parse(steps: str) -> Agenda:
    return parse_agenda(HEAD + textwrap.dedent(steps), "a.yaml")


def problems(steps: str) -> list[str]:
    with pytest.raises(AgendaError) as error:
        parse(steps)
    return [str(problem) for problem in error.value.problems]


def test_participants_share_the_step_evenly():
    (step,) = parse("  - {title: Tour de table, duration: 10m, turns: participants}\n").steps
    assert step.turns == (Turn("Ana", 200, "client"), Turn("Bo", 200, "consultants"), Turn("Chloé", 200, "consultants"))
    assert step.duration == 600


def test_odd_seconds_go_to_the_first_turns_so_the_step_keeps_its_length():
    (step,) = parse("  - {title: Tour, duration: 100s, turns: participants}\n").steps
    assert [turn.duration for turn in step.turns] == [34, 33, 33]


def test_a_role_with_each_gives_the_step_its_duration():
    (step,) = parse("  - {title: Recos, turns: {role: consultants, each: 5m}}\n").steps
    assert step.turns == (Turn("Bo", 300, "consultants"), Turn("Chloé", 300, "consultants")) and step.duration == 600


def test_a_role_without_each_shares_the_step():
    (step,) = parse("  - {title: Recos, duration: 9m, turns: {role: consultants}}\n").steps
    assert [turn.duration for turn in step.turns] == [270, 270]


def test_an_explicit_list_of_turns():
    (step,) = parse(
        """\
          - title: Témoignages
            turns:
              - {name: Marine, duration: 7m}
              - {name: Damien, duration: "6:30"}
        """
    ).steps
    assert step.turns == (Turn("Marine", 420), Turn("Damien", 390)) and step.duration == 810


def test_turns_without_a_duration_share_what_the_step_leaves():
    (step,) = parse("  - {title: Q, duration: 10m, turns: [{name: Ana, duration: 4m}, Bo, {name: Chloé}]}\n").steps
    assert [turn.duration for turn in step.turns] == [240, 180, 180]


def test_a_step_and_turns_that_agree_are_fine():
    (step,) = parse("  - {title: Recos, duration: 10m, turns: {role: consultants, each: 5m}}\n").steps
    assert step.duration == 600


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            "  - {title: S, duration: 10m, turns: {role: consultants, each: 7m}}\n",
            "a.yaml:8:24: error: step 1: duration 10m does not agree with its turns, which add up to 14m (give one of the two, or make "
            "them agree)",
        ),
        (
            "  - {title: S, duration: 10, turns: everyone}\n",
            "a.yaml:8:35: error: step 1: turns must be 'participants', {role: ROLE, each: DURATION} or a list of {name: NAME, duration: "
            "DURATION}; not 'everyone'",
        ),
        (
            "  - {title: S, turns: {role: coachs, each: 5m}}\n",
            "a.yaml:8:28: error: step 1: turns: role 'coachs' is not declared in 'roles' (declared roles: animation, client, consultants)",
        ),
        (
            "  - {title: S, turns: {role: animation, each: 5m}}\n",
            "a.yaml:8:21: error: step 1: turns: no participant has the role 'animation'",
        ),
        (
            "  - {title: S, turns: {role: consultants}}\n",
            "a.yaml:8:21: error: step 1: turns: give the step a duration to share between its turns, or each turn its own (each: 5m)",
        ),
        ("  - {title: S, turns: [{duration: 5m}]}\n", "a.yaml:8:22: error: step 1: turns: turn 1: missing required key 'name'"),
        (
            "  - {title: S, turns: [{name: X, duration: 0}]}\n",
            "a.yaml:8:42: error: step 1: turns: turn 1: duration must be more than zero, not 0",
        ),
        ("  - {title: S, duration: 5, turns: []}\n", "a.yaml:8:34: error: step 1: turns: the list of turns is empty"),
        (
            "  - {title: S, turns: {role: consultants, each: 5m, every: 1}}\n",
            "a.yaml:8:51: error: step 1: turns: unknown key 'every' (known keys: role, each)",
        ),
        (
            "  - {title: S, duration: 2s, turns: [{name: A, duration: 1s}, B, C]}\n",
            "a.yaml:8:24: error: step 1: duration 2s leaves 1s for the 2 turns without a duration of their own",
        ),
        (
            "  - {title: S, duration: 5, repeat: 0}\n",
            "a.yaml:8:35: error: step 1: repeat must be a whole number of times from 1 to 50, not '0'",
        ),
        ("  - repeat: {times: 2}\n", "a.yaml:8:11: error: step 1: repeat: missing required key 'steps'"),
        (
            "  - repeat: {times: 2, rotate: jury, steps: [{title: S, duration: 1}]}\n",
            "a.yaml:8:30: error: step 1: repeat: rotate: role 'jury' is not declared in 'roles' (declared roles: animation, client, "
            "consultants)",
        ),
        (
            "  - {title: S, repeat: {times: 2, steps: [{title: T, duration: 1}]}}\n",
            "a.yaml:8:22: error: step 1: repeat: a repeated block ({times, steps}) stands alone in the list of steps; to repeat this one "
            "step, write repeat: 3",
        ),
        (
            "  - repeat: {times: 2, steps: [{repeat: {times: 2, steps: [{title: T, duration: 1}]}}]}\n",
            "a.yaml:8:39: error: step 1: repeat: step 1: repeat: a repeated block cannot hold another repeated block",
        ),
    ],
)
def test_each_malformed_turn_or_repeat_is_one_located_line(steps, expected):
    assert problems(steps) == [expected]


def test_a_problem_inside_a_repeated_block_is_told_once():
    found = problems("  - repeat: {times: 3, steps: [{title: S, turns: {each: 0}}]}\n")
    assert found == ["a.yaml:8:55: error: step 1: repeat: step 1: turns: each must be more than zero, not 0"]


def test_a_repeated_step_is_numbered():
    agenda = parse("  - {title: Question du public, duration: 3m, repeat: 3}\n")
    assert [step.title for step in agenda.steps] == [f"Question du public ({n}/3)" for n in (1, 2, 3)]
    assert agenda.total == 540


def test_a_block_repeats_its_steps_and_the_client_role_rotates():
    agenda = parse(
        """\
          - repeat:
              times: 3
              rotate: client
              steps:
                - {title: "Le défi de {client}", duration: 2m, speaker: "{client}"}
                - {title: Conseils, duration: 4m, turns: {role: consultants}}
        """
    )
    titles = [step.title for step in agenda.steps]
    assert titles == [
        "Le défi de Ana (1/3)", "Conseils (1/3)", "Le défi de Bo (2/3)", "Conseils (2/3)", "Le défi de Chloé (3/3)", "Conseils (3/3)",
    ]  # fmt: skip
    advisers = [[turn.name for turn in step.turns] for step in agenda.steps[1::2]]
    assert advisers == [["Bo", "Chloé"], ["Ana", "Chloé"], ["Ana", "Bo"]]
    assert agenda.total == 3 * 6 * 60


def test_braces_that_name_no_role_stay_as_written():
    agenda = parse("  - repeat: {times: 1, rotate: client, steps: [{title: 'Défi {x} de {client}', duration: 1}]}\n")
    assert agenda.steps[0].title == "Défi {x} de Ana (1/1)"
