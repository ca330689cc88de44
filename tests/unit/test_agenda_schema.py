"""The bundled agendas, and the JSON Schema agreeing with the loader."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from atelier_timer.agenda import AgendaError, bundled_agendas, load_agenda, parse_agenda, schema_text

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


def schema_accepts(validator: jsonschema.Draft202012Validator, text: str) -> bool:
    return validator.is_valid(yaml.safe_load(text))


# --------------------------------------------------------------------------------------------------
# The bundled agendas


def test_acte_2_is_five_steps_of_10_10_10_25_5_with_a_round_of_introductions_and_a_turn_per_coach():
    agenda = load_agenda("codev")
    assert [step.duration for step in agenda.steps] == [600, 600, 600, 1500, 300]
    assert agenda.total == 3600
    names = [person.name for person in agenda.participants]
    intro, recommendations = agenda.steps[0].turns, agenda.steps[3].turns
    assert [turn.name for turn in intro[1:]] == names, "the framing, then the round of introductions: everyone"
    assert [turn.duration for turn in intro] == [240, 90, 90, 90, 90]
    assert [turn.name for turn in recommendations[1:]] == names[1:], "the help wanted, then each coach"
    assert [turn.duration for turn in recommendations] == [180, 440, 440, 440]
    assert [role.key for role in agenda.roles] == ["animation", "client", "consultants", "observateurs"]
    assert agenda.hypotheses, "the team's hypotheses, as an example"
    assert agenda.steps[-1].protected, "the learnings are never squeezed"
    for step in agenda.steps:
        assert step.prompt, step.title
        assert [key for key, _ in step.reminders] == [role.key for role in agenda.roles], step.title


def test_acte_1_is_three_7_minute_testimonies_then_30_minutes_of_exchanges():
    agenda = load_agenda("temoignages")
    assert agenda.total == 3600
    (testimonies,) = [step for step in agenda.steps if step.turns]
    assert [turn.duration for turn in testimonies.turns] == [420, 420, 420]
    assert [turn.name for turn in testimonies.turns] == ["Prénom (intra)", "Prénom (designer)", "Prénom (coach)"]
    assert 1800 in [step.duration for step in agenda.steps]


def test_the_six_step_codev_is_the_classic_cycle_with_a_round_of_consultants():
    agenda = load_agenda("codev-6-etapes")
    assert [step.duration // 60 for step in agenda.steps] == [15, 15, 5, 30, 15, 10]
    assert [step.title.split(" ", 1)[0] for step in agenda.steps] == ["1.", "2.", "3.", "4.", "5.", "6."]
    consultants = [person.name for person in agenda.participants if person.role == "consultants"]
    assert [turn.name for turn in agenda.steps[3].turns] == consultants


def test_troika_gives_each_of_the_three_a_round_as_the_client():
    agenda = load_agenda("troika")
    assert agenda.total == 30 * 60 and len(agenda.steps) == 12
    rounds = [agenda.steps[k : k + 4] for k in (0, 4, 8)]
    assert [sum(step.duration for step in round_) for round_ in rounds] == [600, 600, 600]
    assert [round_[0].speaker for round_ in rounds] == ["Personne A", "Personne B", "Personne C"]
    assert [round_[2].speaker for round_ in rounds] == ["Personne B, Personne C", "Personne A, Personne C", "Personne A, Personne B"]
    assert rounds[1][0].title == "Le défi de Personne B (2/3)"


def test_1_2_4_all_is_1_2_4_5_minutes():
    assert [step.duration // 60 for step in load_agenda("1-2-4-all").steps] == [1, 2, 4, 5]


@pytest.mark.parametrize("name", ["codev-6-etapes", "troika", "1-2-4-all"])
def test_the_new_formats_have_a_prompt_and_a_reminder_per_role_in_each_step(name):
    agenda = load_agenda(name)
    assert agenda.language == "fr"
    for step in agenda.steps:
        assert step.prompt, step.title
        assert [key for key, _ in step.reminders] == [role.key for role in agenda.roles], step.title


@pytest.mark.parametrize("name", ["codev", "temoignages", "codev-6-etapes", "troika", "1-2-4-all"])
def test_bundled_agendas_start_with_the_schema_line_and_how_to_edit(name):
    lines = bundled_agendas()[name].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=atelier-timer.schema.json"
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert "atelier-timer schema > atelier-timer.schema.json" in header
    assert "duration" in header and "7:30" in header


@pytest.mark.parametrize("name", ["codev", "temoignages", "codev-6-etapes", "troika", "1-2-4-all"])
def test_bundled_agendas_validate_against_the_schema(validator, name):
    errors = list(validator.iter_errors(yaml.safe_load(bundled_agendas()[name].read_text(encoding="utf-8"))))
    assert errors == []


def test_the_readme_example_is_a_valid_agenda(validator):
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("no README beside the tests")
    example = re.search(r"```yaml\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    assert example, "the README shows an agenda"
    agenda = parse_agenda(example[1], "README.md")
    assert agenda.total == 600
    assert schema_accepts(validator, example[1])


# --------------------------------------------------------------------------------------------------
# The schema and the loader agree

STEP = "  - {title: Intro, duration: 10}\n"

# Each document is refused by the loader and by the schema.
BAD_DOCUMENTS = {
    "unknown top key": "title: A\ntitel: B\nsteps:\n" + STEP,
    "unknown step key": "title: A\nsteps:\n  - {title: Intro, duration: 10, colour: red}\n",
    "unknown alerts key": "title: A\nalerts: {warning: 2m}\nsteps:\n" + STEP,
    "missing title": "steps:\n" + STEP,
    "empty title": "title: ''\nsteps:\n" + STEP,
    "missing steps": "title: A\n",
    "empty steps": "title: A\nsteps: []\n",
    "step without duration": "title: A\nsteps:\n  - {title: Intro}\n",
    "step without title": "title: A\nsteps:\n  - {duration: 10}\n",
    "zero duration": "title: A\nsteps:\n  - {title: Intro, duration: 0}\n",
    "zero duration text": "title: A\nsteps:\n  - {title: Intro, duration: 0m}\n",
    "negative duration": "title: A\nsteps:\n  - {title: Intro, duration: -5}\n",
    "over 24 hours in minutes": "title: A\nsteps:\n  - {title: Intro, duration: 1441}\n",
    "boolean duration": "title: A\nsteps:\n  - {title: Intro, duration: true}\n",
    "garbage duration": "title: A\nsteps:\n  - {title: Intro, duration: soon}\n",
    "bad language": "title: A\nlanguage: de\nsteps:\n" + STEP,
    "version 2": "version: 2\ntitle: A\nsteps:\n" + STEP,
    "bell not a boolean": "title: A\nalerts: {bell: loud}\nsteps:\n" + STEP,
    "sound neither on, bell nor off": "title: A\nalerts: {sound: loud}\nsteps:\n" + STEP,
    "sound and bell both": "title: A\nalerts: {sound: bell, bell: false}\nsteps:\n" + STEP,
    "volume over 100": "title: A\nalerts: {volume: 120}\nsteps:\n" + STEP,
    "volume as a fraction": "title: A\nalerts: {volume: 0.5}\nsteps:\n" + STEP,
    "display unknown": "title: A\nsteps:\n  - {title: Intro, duration: 10, display: blank}\n",
    "messages not a list": "title: A\nmessages: On conclut\nsteps:\n" + STEP,
    "message not text": "title: A\nmessages: [{text: Pause}]\nsteps:\n" + STEP,
    "auto_advance not a boolean": "title: A\nauto_advance: sometimes\nsteps:\n" + STEP,
    "protected not a boolean": "title: A\nsteps:\n  - {title: Intro, duration: 10, protected: maybe}\n",
    "participant without role": "title: A\nroles: {client: Client}\nparticipants:\n  - {name: X}\nsteps:\n" + STEP,
    "steps not a list": "title: A\nsteps: Intro\n",
    "hypotheses not a list": "title: A\nhypotheses: Une\nsteps:\n" + STEP,
    "roles not a mapping": "title: A\nroles: [client]\nsteps:\n" + STEP,
    "reminder not text": "title: A\nroles: {client: Client}\nsteps:\n  - {title: S, duration: 5, reminders: {client: {a: b}}}\n",
    "duration in weeks": "title: A\nsteps:\n  - {title: Intro, duration: 2 weeks}\n",
    "top level a list": "- title: A\n",
    "turns of an unknown form": "title: A\nsteps:\n  - {title: S, duration: 10, turns: everyone}\n",
    "turns with an unknown key": "title: A\nsteps:\n  - {title: S, duration: 10, turns: {role: x, every: 5m}}\n",
    "turn without a name": "title: A\nsteps:\n  - {title: S, turns: [{duration: 5m}]}\n",
    "empty list of turns": "title: A\nsteps:\n  - {title: S, duration: 10, turns: []}\n",
    "zero-length turn": "title: A\nsteps:\n  - {title: S, turns: [{name: X, duration: 0}]}\n",
    "repeat zero times": "title: A\nsteps:\n  - {title: S, duration: 10, repeat: 0}\n",
    "repeat in words": "title: A\nsteps:\n  - {title: S, duration: 10, repeat: twice}\n",
    "block without steps": "title: A\nsteps:\n  - repeat: {times: 2}\n",
    "block with a title": "title: A\nsteps:\n  - {title: S, repeat: {times: 2, steps: [{title: S, duration: 1}]}}\n",
    "schedule time out of the day": "title: A\nschedule: {start: '25:00'}\nsteps:\n" + STEP,
    "schedule unknown key": "title: A\nschedule: {begin: '14:00'}\nsteps:\n" + STEP,
    "schedule not a mapping": "title: A\nschedule: '14:00'\nsteps:\n" + STEP,
    "step auto_advance not a boolean": "title: A\nsteps:\n  - {title: Intro, duration: 10, auto_advance: soon}\n",
    "measure without its text": "title: A\nhypotheses:\n  - {for: usagers}\nsteps:\n" + STEP,
    "measure with an unknown key": "title: A\nhypotheses:\n  - {measure: M, owner: X}\nsteps:\n" + STEP,
    "measure of an unknown dimension": "title: A\nhypotheses:\n  - {measure: M, dimension: joli}\nsteps:\n" + STEP,
    "measure of an unknown stage": "title: A\nhypotheses:\n  - {measure: M, stage: revenue}\nsteps:\n" + STEP,
    "vote of no points": "title: A\nvote: {points: 0}\nsteps:\n" + STEP,
    "vote with an unknown key": "title: A\nvote: {ponts: 3}\nsteps:\n" + STEP,
}

GOOD_DOCUMENTS = {
    "minimal": "title: A\nsteps:\n" + STEP,
    "duration forms": "title: A\nsteps:\n"
    + "".join(f"  - {{title: S, duration: '{form}'}}\n" for form in ["10m", "90s", "1h30", "7:30", "1m30s", "1h", "2h05m", "1:02:03"]),
    "alerts off": "title: A\nalerts: {warn: 0, danger: 0, bell: false}\nsteps:\n" + STEP,
    "sound and volume": "title: A\nalerts: {sound: bell, volume: 40}\nsteps:\n" + STEP,
    "sound off as YAML reads it": "title: A\nalerts: {sound: off, volume: 0}\nsteps:\n" + STEP,
    "messages and displays": "title: A\nmessages: [On conclut, 2 minutes, Pause]\nsteps:\n"
    "  - {title: Exposé, duration: 10, display: hidden}\n  - {title: Débat, duration: 10, display: countup}\n",
    "step alerts": "title: A\nsteps:\n  - {title: Intro, duration: 10, warn: 1m, danger: 10s, protected: true}\n",
    "english": "version: 1\ntitle: A\nlanguage: en\nauto_advance: true\nsteps:\n" + STEP,
    "unit words": "title: A\nsteps:\n"
    + "".join(f"  - {{title: S, duration: '{form}'}}\n" for form in ["10 minutes", "90 secondes", "2 heures", "1 hour 30 min"]),
    "schedule": "title: A\nschedule: {start: '14:00', end: '15h'}\nsteps:\n" + STEP,
    "schedule end only": "title: A\nschedule: {end: '9:05'}\nsteps:\n" + STEP,
    "step auto_advance": "title: A\nauto_advance: true\nsteps:\n  - {title: Intro, duration: 10, auto_advance: false}\n",
    "measures": "title: A\nvote: {points: 5}\nhypotheses:\n  - Une ligne\n  - measure: Délai\n    for: usagers\n"
    "    dimension: utile\n    stage: rétention\n    source: https://x.beta.gouv.fr/stats\n    frequency: mensuelle\n"
    "    baseline: 12\n    target: 5 jours\n  - {measure: Inscrits, dimension: used, stage: activation}\nsteps:\n" + STEP,
    "reminder lines": "title: A\nroles: {client: Client}\nsteps:\n  - title: S\n    duration: 5\n    reminders:\n"
    "      client:\n        - Exposer le problème.\n        - Dire ses attentes.\n",
}


@pytest.mark.parametrize("name", BAD_DOCUMENTS)
def test_the_loader_and_the_schema_both_refuse(validator, name):
    text = BAD_DOCUMENTS[name]
    with pytest.raises(AgendaError):
        parse_agenda(text, "bad.yaml")
    assert not schema_accepts(validator, text)


@pytest.mark.parametrize("name", GOOD_DOCUMENTS)
def test_the_loader_and_the_schema_both_accept(validator, name):
    parse_agenda(GOOD_DOCUMENTS[name], "good.yaml")
    assert schema_accepts(validator, GOOD_DOCUMENTS[name])


# --------------------------------------------------------------------------------------------------
# The wheel


def test_the_wheel_ships_the_agendas_and_the_schema(tmp_path):
    if not (REPO / "pyproject.toml").exists():
        pytest.skip("not a source checkout")
    try:
        import hatchling  # noqa: F401
    except ImportError:
        isolation = []  # pip fetches the build backend, as `pip install .` does
    else:
        isolation = ["--no-build-isolation"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("atelier_timer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"atelier_timer/schema.json", "atelier_timer/agendas/codev.yaml", "atelier_timer/agendas/temoignages.yaml"} <= names
    assert {f"atelier_timer/agendas/{name}.yaml" for name in ("codev-6-etapes", "troika", "1-2-4-all")} <= names
