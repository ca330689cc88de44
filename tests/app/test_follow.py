"""The read-only viewer (``follow``), driven by a journal that a real session writes in the same test.

Writer and viewer share one fake clock; the viewer's poll is called by hand instead of waiting for
its interval, so nothing here waits for real time.
"""

from __future__ import annotations

import os

import pytest

from atelier_timer.agenda import parse_agenda, slugify
from atelier_timer.cli import main
from atelier_timer.journal import Journal
from atelier_timer.session import Session
from atelier_timer.ui.follow import Follower
from atelier_timer.ui.widgets.bigtime import BigTime

from .conftest import SHORT, alert_shown, shown


def files_under(folder) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: what a viewer must leave untouched."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = handle.read()
    return found


@pytest.fixture
def state(tmp_path):
    return tmp_path / "state"


@pytest.fixture
def writer(state, clock):
    """The facilitator's session, started and one minute into its first step, journaled in ``state``."""
    agenda = parse_agenda(SHORT, "petit.yaml")
    journal = Journal.create(state, SHORT, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    clock.advance(60)
    yield session, journal
    journal.close()


async def test_viewer_shows_the_session_and_follows_its_changes(writer, clock):
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Ouverture" in app.query_one("#big-title").text
        assert app.status_text().startswith("1/3 · reste 04:00")  # the minute since the start counts
        assert app.screen.has_class("-present")
        assert "lecture seule" in shown(app.query_one("#notices"))
        assert follower.poll() is False  # nothing new: the journal is not read again

        session.next()
        assert follower.poll() is True
        await pilot.pause()
        assert "Présentation" in app.query_one("#big-title").text
        assert app.status_text().startswith("2/3 · reste 10:00")

        clock.advance(15)  # between two events the viewer counts down on its own
        app.ticker.tick()
        await pilot.pause()
        assert app.query_one("#countdown", BigTime).text == "09:45"

        session.adjust(+60)
        session.pause()
        follower.poll()
        await pilot.pause()
        assert app.status_text().startswith("2/3 · reste 10:45")
        assert "en pause" in shown(app.query_one("#hint"))


async def test_a_line_still_being_written_is_not_shown_until_it_is_complete(writer, clock):
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        session.next()
        complete = journal.path.read_bytes()
        cut = complete.rstrip(b"\n").rfind(b"\n") + 1 + 25  # the next event, 25 bytes into its line
        journal.path.write_bytes(complete[:cut])
        follower.poll()
        await pilot.pause()
        assert app.status_text().startswith("1/3")
        journal.path.write_bytes(complete)
        assert follower.poll() is True
        await pilot.pause()
        assert app.status_text().startswith("2/3")


async def test_keys_in_the_viewer_change_nothing_and_q_closes_it(writer, clock, state):
    session, journal = writer
    before = files_under(state)
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("n", "right", "p", "space", "plus", "minus", "b", "e", "i", "enter"):
            await pilot.press(key)
        await pilot.pause()
        assert app.status_text().startswith("1/3 · reste 04:00")
        assert "en pause" not in shown(app.query_one("#hint"))
        assert not follower.poll()
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
    assert files_under(state) == before  # same files, same bytes: nothing journaled, nothing created
    assert session.index == 0 and session.running


def test_follow_refuses_an_unknown_session_in_one_line(state, capsys):
    state.mkdir()
    assert main(["follow", "nosuchsession", "--state-dir", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nosuchsession" in err
    assert os.listdir(state) == []


async def test_the_viewer_stops_counting_when_the_writer_dies_and_says_so(writer, clock):
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not alert_shown(app)
        journal.close()  # the program was killed: its lock is gone, and no quit was written
        clock.advance(30)
        assert follower.poll() is True
        await pilot.pause()
        assert "Le minuteur ne tourne plus" in alert_shown(app)
        clock.advance(30)
        app.ticker.tick()
        await pilot.pause()
        assert app.query_one("#countdown", BigTime).text == "05:00"  # frozen on the last event (the start)


async def test_the_viewer_says_when_the_journal_is_deleted(writer, clock):
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        journal.path.unlink()
        assert follower.poll() is True
        await pilot.pause()
        assert "Le journal de la session a été supprimé" in alert_shown(app)
        clock.advance(30)
        app.ticker.tick()
        await pilot.pause()
        assert app.query_one("#countdown", BigTime).text == "05:00"


async def test_the_viewer_shows_the_vote_and_its_tally_once_revealed_and_its_keys_change_nothing(writer, clock, state):
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        board = app.query_one("#vote-board")
        assert not board.display  # no vote yet: the stage is as it was
        session.change_board("vote_open")
        session.change_board("vote", browser="a" * 16, measure=2, criterion="useful", points=3)
        follower.poll()
        await pilot.pause()
        assert board.display and "Vote ouvert · 1 navigateur(s) ont voté" in shown(board)
        assert "Délai moyen" not in shown(board)  # the tally waits for the facilitator
        session.change_board("vote_reveal", shown=True)
        follower.poll()
        await pilot.pause()
        text = shown(board)
        assert text.index("#2 Délai moyen de traitement") < text.index("#1 Part des usagers")
        before = files_under(state)
        for key in ("v", "V", "h"):
            await pilot.press(key)
        await pilot.pause()
        assert files_under(state) == before and app.session.board.open  # a viewer never writes
