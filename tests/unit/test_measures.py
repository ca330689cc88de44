"""Impact measures in the core: the agenda's grammar, the board's rules, and the journal's replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier_timer.agenda import AgendaError, parse_agenda
from atelier_timer.measures import ROW_FIELDS, Measure, MeasureError
from atelier_timer.session import Session
from tests.helpers import make_agenda, new_session

STRUCTURED = """\
version: 1
title: Mesures
vote: {points: 2}
hypotheses:
  - measure: Part des usagers qui retrouvent leurs droits en 7 jours
    for: usagers
    dimension: utile
    stage: rétention
    source: https://example.beta.gouv.fr/stats
    frequency: mensuelle
    baseline: 20 %
    target: 50 %
  - measure: Démarches complétées
    dimension: used
  - Taux de satisfaction
steps:
  - {title: Focus, duration: 25m}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(text, "a.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_hypothesis_is_a_line_or_a_measure_with_its_fields_in_either_language() -> None:
    agenda = parse_agenda(STRUCTURED, "a.yaml")
    first, second, third = agenda.hypotheses
    assert first == Measure(
        "Part des usagers qui retrouvent leurs droits en 7 jours", "usagers", "useful", "retention",
        "https://example.beta.gouv.fr/stats", "mensuelle", "20 %", "50 %",
    )
    assert second.dimension == "used" and second.stage is None
    assert third == Measure("Taux de satisfaction")
    assert agenda.vote_points == 2
    assert parse_agenda(STRUCTURED.replace("vote: {points: 2}\n", ""), "a.yaml").vote_points == 3


def test_a_wrong_measure_is_told_at_its_place_with_a_hint() -> None:
    text = STRUCTURED.replace("    for: usagers", "    pour: usagers").replace("dimension: used", "dimension: joli")
    told = problems(text.replace("vote: {points: 2}", "vote: {points: 0}").replace("  - Taux de satisfaction", "  - {for: x}"))
    assert told == [
        "a.yaml:3:16: error: vote.points must be a whole number from 1 to 20, not '0'",
        "a.yaml:6:5: error: hypothesis 1: unknown key 'pour' (did you mean 'for'?)",
        (
            "a.yaml:14:16: error: hypothesis 2: dimension must be one of usable, used, useful, impactful, efficient"
            " (utilisable, utilisé, utile, impactant, efficient), not 'joli'"
        ),
        "a.yaml:15:5: error: hypothesis 3: missing required key 'measure'",
    ]


def test_verdicts_edits_and_added_measures_are_journaled_and_come_back_on_resume() -> None:
    agenda = parse_agenda(STRUCTURED, "a.yaml")
    session, clock, recorder = new_session(agenda)
    session.start()
    session.change_board("measure_verdict", number=1, verdict="keep")
    session.change_board("measure_edit", number=2, fields={"target": "1000 / mois", "stage": "activation"})
    assert session.add_note("#+ Délai de traitement des demandes") is None  # a measure, not a note
    session.add_note("#4 à mesurer chaque semaine")
    with pytest.raises(MeasureError):
        session.change_board("measure_verdict", number=9, verdict="keep")
    with pytest.raises(MeasureError):
        session.change_board("measure_edit", number=1, fields={"dimension": "joli"})
    assert recorder.types() == ["start", "measure_verdict", "measure_edit", "measure_add", "note"]  # refusals record nothing

    back = Session.restore(agenda, list(recorder), clock)
    assert back.board.verdicts == {1: "keep"}
    assert back.board.measures[1] == Measure("Démarches complétées", dimension="used", stage="activation", target="1000 / mois")
    assert back.board.measures[3] == Measure("Délai de traitement des demandes") and back.board.added == {4}
    assert back.notes[0].hypotheses == (4,)


def test_each_browser_spreads_its_points_per_criterion_only_while_the_vote_is_open() -> None:
    session, _, _ = new_session(make_agenda([10], hypotheses=("a", "b", "c")))
    board = session.board
    with pytest.raises(MeasureError, match="closed"):
        session.change_board("vote", browser="x" * 16, measure=1, criterion="useful", points=1)
    session.change_board("vote_open")
    session.change_board("vote", browser="x" * 16, measure=1, criterion="useful", points=2)
    session.change_board("vote", browser="x" * 16, measure=2, criterion="useful", points=1)
    session.change_board("vote", browser="x" * 16, measure=3, criterion="usable", points=3)  # another criterion's budget
    with pytest.raises(MeasureError, match="3 points"):
        session.change_board("vote", browser="x" * 16, measure=3, criterion="useful", points=1)
    session.change_board("vote", browser="x" * 16, measure=1, criterion="useful", points=0)  # taken back
    session.change_board("vote", browser="x" * 16, measure=3, criterion="useful", points=2)  # and given elsewhere
    session.change_board("vote", browser="y" * 16, measure=3, criterion="useful", points=1)
    session.change_board("vote_close")
    with pytest.raises(MeasureError, match="closed"):
        session.change_board("vote", browser="z" * 16, measure=1, criterion="useful", points=1)
    tally = board.tally()
    assert tally.points == {1: {"useful": 0, "usable": 0}, 2: {"useful": 1, "usable": 0}, 3: {"useful": 3, "usable": 3}}
    assert tally.voters == 2
    assert board.verdicts == {}  # a vote never gives a verdict: the team decides


def test_the_tally_reaches_the_room_only_once_revealed() -> None:
    session, _, _ = new_session(make_agenda([10], hypotheses=("a",)))
    session.change_board("vote_open")
    session.change_board("vote", browser="x" * 16, measure=1, criterion="usable", points=2)
    view = session.board.view()
    assert view["vote"] == {"open": True, "shown": False, "points": 3, "voters": 1}
    assert "points" not in view["measures"][0]
    session.change_board("vote_reveal", shown=True)
    assert session.board.view()["measures"][0]["points"] == {"useful": 0, "usable": 2}


def test_a_session_resumed_in_the_middle_of_a_vote_keeps_it_open_with_every_point() -> None:
    agenda = make_agenda([10, 10], hypotheses=("a", "b"))
    session, clock, recorder = new_session(agenda)
    session.start()
    session.change_board("vote_open")
    session.change_board("vote", browser="x" * 16, measure=2, criterion="useful", points=3)
    recorder.append({"type": "vote", "wall": 0.0, "browser": "bad", "measure": 1, "criterion": "useful", "points": 1})  # not one run wrote
    back = Session.restore(agenda, list(recorder), clock, record=recorder)
    assert back.board.open and back.board.tally().points[2]["useful"] == 3 and back.board.tally().voters == 1
    with pytest.raises(MeasureError, match="3 points"):  # the budget spent before the crash stays spent
        back.change_board("vote", browser="x" * 16, measure=1, criterion="useful", points=1)
    back.change_board("vote", browser="y" * 16, measure=1, criterion="useful", points=1)
    assert back.board.tally().voters == 2


def test_export_measures_writes_one_row_per_measure_as_a_spreadsheet_reads_it_and_never_over_a_file(tmp_path, capsys) -> None:
    import csv
    import json

    from atelier_timer.agenda import slugify
    from atelier_timer.cli import main
    from atelier_timer.clock import FakeClock
    from atelier_timer.journal import Journal

    agenda = parse_agenda(STRUCTURED, "a.yaml")
    clock = FakeClock(wall=1_795_000_000.0)
    state, notes = tmp_path / "state", tmp_path / "notes"
    journal = Journal.create(state, STRUCTURED, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    session.change_board("measure_verdict", number=1, verdict="keep")
    session.add_note("#+ =SUM(A1:A9) des dossiers; « complets »")  # typed by someone: never run as a formula
    session.add_note("#2 à fiabiliser, \"vraiment\"")
    session.change_board("vote_open")
    session.change_board("vote", browser="x" * 16, measure=2, criterion="usable", points=2)
    journal.close()

    assert main(["export", "--state-dir", str(state), "--notes-dir", str(notes), "--measures", "csv"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == notes and path.name.endswith(".measures.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == 4 and list(rows[0]) == list(ROW_FIELDS)
    assert rows[0]["verdict"] == "garder" and rows[0]["dimension"] == "utile" and rows[0]["stage"] == "rétention"
    assert (rows[1]["usable"], rows[1]["notes"]) == ("2", '#2 à fiabiliser, "vraiment"')
    assert rows[3]["measure"] == "'=SUM(A1:A9) des dossiers; « complets »" and rows[3]["added"] == "true"

    assert main(["export", "--state-dir", str(state), "--notes-dir", str(notes), "--measures", "csv"]) == 2  # not over it
    assert "existe déjà ; pas écrasé" in capsys.readouterr().err
    assert main(["export", "--state-dir", str(state), "--measures", "json", "-o", "-"]) == 0
    measures = json.loads(capsys.readouterr().out)["measures"]
    assert [m["number"] for m in measures] == [1, 2, 3, 4] and measures[1]["notes"] == ['#2 à fiabiliser, "vraiment"']
