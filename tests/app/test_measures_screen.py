"""The hypotheses pane and the measure dialog, driven with Pilot: verdicts, edits, added measures and the
room's vote, each journaled, shown on screen, and back after a resume."""

from __future__ import annotations

from atelier_timer import control
from atelier_timer.journal import Journal, read_journal
from atelier_timer.report import session_from_journal
from atelier_timer.ui.app import make_app

from .conftest import notices, shown

MEASURES = """\
version: 1
title: Atelier mesures
language: fr
vote: {points: 3}
hypotheses:
  - measure: Part des usagers qui retrouvent leurs droits en 7 jours
    for: usagers
    dimension: utile
    stage: impact
    source: https://exemple.beta.gouv.fr/stats
  - measure: Démarches complétées par mois
    dimension: utilisé
  - Satisfaction à la sortie
steps:
  - {title: Ouverture, duration: 5m}
  - {title: Focus, duration: 25m}
"""


def pane(app) -> str:
    return shown(app.query_one("#hypotheses-list"))


def journaled(app) -> list[dict]:
    return read_journal(app.journal.path).events


async def test_h_shows_the_measures_and_the_facilitator_gives_verdicts_from_the_keys(make) -> None:
    app = make(MEASURES)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "h")
        await pilot.pause()
        assert app.focused is app.query_one("#hypotheses-list")  # the pane has the arrows and the verdict keys
        text = pane(app)
        assert "#1 Part des usagers" in text and "(utile · impact)" in text and "#3 Satisfaction" in text
        await pilot.press("1", "down", "3", "down", "2")
        await pilot.pause()
        text = pane(app)
        assert "#1 [garder]" in text and "#2 [abandonner]" in text and "#3 [retravailler]" in text
        assert app.session.board.verdicts == {1: "keep", 2: "drop", 3: "rework"}
        verdicts = [(e["number"], e["verdict"]) for e in journaled(app) if e["type"] == "measure_verdict"]
        assert verdicts == [(1, "keep"), (2, "drop"), (3, "rework")]  # on disk, in order
        await pilot.press("0")  # taken back
        await pilot.pause()
        assert 3 not in app.session.board.verdicts and "[retravailler]" not in pane(app)
        await pilot.press("space")  # the timer's keys still work beside the pane
        assert not app.session.running
        await pilot.press("h")  # hidden: the pane gives the keys back
        await pilot.pause()
        assert app.focused is not app.query_one("#hypotheses-list")


async def test_the_dialog_edits_a_measure_and_adds_one_and_refuses_an_unknown_dimension(make) -> None:
    app = make(MEASURES)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "h", "down", "e")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#field-measure").value == "Démarches complétées par mois"
        assert dialog.query_one("#field-dimension").value == "utilisé"  # in the screen's language
        dialog.query_one("#field-target").value = "1 000 / mois"
        dialog.query_one("#field-stage").value = "joli"
        dialog.query_one("#field-target").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # refused: the stage is none of the funnel's
        assert "acquisition, activation" in shown(dialog.query_one("#measure-error"))
        dialog.query_one("#field-stage").value = "activation"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog
        edited = app.session.board.measures[1]
        assert (edited.target, edited.stage, edited.dimension) == ("1 000 / mois", "activation", "used")
        (edit,) = [e for e in journaled(app) if e["type"] == "measure_edit"]
        assert edit["number"] == 2 and edit["fields"] == {"stage": "activation", "target": "1 000 / mois"}  # only what changed

        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Délai de réponse", "escape")  # Escape: nothing added
        await pilot.pause()
        assert len(app.session.board.measures) == 3
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Délai de réponse", "enter")
        await pilot.pause()
        assert app.session.board.measures[3].text == "Délai de réponse" and "#4 Délai de réponse" in pane(app)
        await pilot.press("escape", "i", *"#+ Part des dossiers complets", "enter", "escape")  # or a note "#+ ..."
        await pilot.pause()
        assert "#5 Part des dossiers complets" in pane(app) and not app.session.notes
        assert [e["type"] for e in journaled(app)].count("measure_add") == 2


async def test_the_room_votes_only_while_the_vote_is_open_and_the_tally_shows_once_revealed(make, tmp_path) -> None:
    app = make(MEASURES)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        state, session_id = tmp_path / "state", app.journal.session_id

        async def vote(browser: str, measure: int, criterion: str, points: int) -> None:
            command = {"command": "vote", "browser": browser * 16, "measure": measure, "criterion": criterion, "points": points}
            control.send(state, session_id, control.validate(command, control.PARTICIPANT_COMMANDS))
            for _ in range(3):
                await pilot.pause()

        await vote("a", 1, "useful", 2)  # closed: not counted
        assert app.session.board.tally().voters == 0
        await pilot.press("v")
        await pilot.pause()
        assert any("Vote ouvert" in message for message in notices(app))
        board = app.query_one("#vote-board")
        assert board.display and "0 navigateur(s) ont voté" in shown(board)
        await vote("a", 1, "useful", 2)
        await vote("b", 1, "useful", 3)
        await vote("b", 2, "usable", 1)
        await vote("a", 3, "useful", 2)  # over a's 3 points on useful: refused by run
        assert "2 navigateur(s) ont voté" in shown(board) and "#1" not in shown(board)  # not revealed yet
        await pilot.press("v")  # closed
        await pilot.pause()
        await vote("c", 3, "useful", 1)
        await pilot.press("V")
        await pilot.pause()
        text = shown(board)
        assert "Vote clos · 2 navigateur(s) ont voté" in text
        assert text.index("#1 Part des usagers") < text.index("#2 Démarches")  # the most voted first
        points = app.session.board.tally().points
        assert points == {1: {"useful": 5, "usable": 0}, 2: {"useful": 0, "usable": 1}, 3: {"useful": 0, "usable": 0}}
        assert app.session.board.verdicts == {}  # the room's points decide nothing: the team does
        await pilot.press("h")
        await pilot.pause()
        assert "utile 5 · utilisable 0" in pane(app)


async def test_a_session_resumed_in_the_middle_of_a_vote_keeps_it_open_with_its_points(make, clock, tmp_path) -> None:
    app = make(MEASURES)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "h", "1", "v")
        await pilot.pause()
        state, session_id = tmp_path / "state", app.journal.session_id
        command = {"command": "vote", "browser": "a" * 16, "measure": 2, "criterion": "usable", "points": 3}
        control.send(state, session_id, control.validate(command))
        for _ in range(3):
            await pilot.pause()
        path = app.journal.path
        app.journal.close()  # the program stops here, as after a crash: no quit event
    journal = Journal.reopen(path)
    restored = session_from_journal(read_journal(path), clock)
    resumed = make_app(restored.agenda, clock=clock, session=restored, journal=journal, notes_dir=tmp_path / "notes")
    async with resumed.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = resumed.session.board
        assert board.open and board.verdicts == {1: "keep"} and board.tally().points[2]["usable"] == 3
        assert "1 navigateur(s) ont voté" in shown(resumed.query_one("#vote-board"))
        command = {"command": "vote", "browser": "a" * 16, "measure": 1, "criterion": "usable", "points": 1}
        control.send(state, session_id, control.validate(command))  # its 3 points were spent before the stop
        command = {"command": "vote", "browser": "b" * 16, "measure": 1, "criterion": "usable", "points": 1}
        control.send(state, session_id, control.validate(command))
        for _ in range(3):
            await pilot.pause()
        assert board.tally().points[1]["usable"] == 1 and board.tally().voters == 2
