"""The audience on the terminal: questions arrive from serve's inbox and wait, unseen by the room, in the
queue ``a`` opens; the one shown becomes the message of the moment; ``r`` opens the ROTI, ``R`` shows
its distribution on the stage."""

from __future__ import annotations

from atelier_timer import control
from atelier_timer.journal import read_journal
from atelier_timer.report import render_markdown

from .conftest import notices, shown

LOU, MAX = "browser-lou-0001", "browser-max-0002"


async def deliver(app, pilot, *commands: dict) -> None:
    state, session_id = app.journal.path.parent.parent, app.journal.session_id
    for command in commands:
        control.send(state, session_id, command)
    for _ in range(6):
        await pilot.pause()


def screen_text(app) -> str:
    return "\n".join(shown(widget) for widget in app.screen.query("*") if widget.display and widget.size.height)


async def test_a_question_waits_unseen_until_the_facilitator_shows_it_large(make) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await deliver(app, pilot, {"command": "ask", "browser": LOU, "text": "Quel budget pour 2027 ?", "name": "Lou"})
        assert len(app.session.audience.waiting()) == 1
        assert "budget" not in screen_text(app)  # neither on the stage nor in the notice
        assert any("1 en attente" in notice for notice in notices(app))
        await pilot.press("a")
        dialog = screen_text(app)
        assert "Quel budget pour 2027 ? — Lou" in dialog and "en attente" in dialog
        await pilot.press("enter", "escape")
        await pilot.pause()
        banner = app.query_one("#room-message")
        assert banner.display and app.session.message_now()["text"] == "Quel budget pour 2027 ? — Lou"
        await pilot.press("a", "a", "escape")  # answered: off the stage
        await pilot.pause()
        assert app.session.message_now() is None and app.session.audience.questions[0].status == "answered"
        types = [e["type"] for e in read_journal(app.journal.path).events]
        assert types.count("question") == 1 and types.count("question_status") == 2
    record = render_markdown(app.session).replace("\u2068", "").replace("\u2069", "")
    assert "Quel budget pour 2027 ? — Lou · répondue" in record


async def test_the_controller_moderates_the_queue_as_the_dialog_does(make) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await deliver(
            app, pilot, {"command": "ask", "browser": LOU, "text": "Première ?"}, {"command": "ask", "browser": MAX, "text": "Seconde ?"}
        )
        await deliver(app, pilot, {"command": "question", "id": 2, "status": "shown"})
        assert app.session.message_now()["text"] == "Seconde ?"
        await deliver(app, pilot, {"command": "question", "id": 1, "status": "dropped"})
        assert [q.status for q in app.session.audience.questions] == ["dropped", "shown"]


async def test_r_opens_the_roti_votes_come_in_and_capital_r_shows_the_distribution(make) -> None:
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "r")
        votes = [5, 4, 4, 3, 5, 5, 2, 4, 4, 1]
        await deliver(app, pilot, *({"command": "roti_vote", "browser": f"browser-{n:08d}", "score": s} for n, s in enumerate(votes)))
        await deliver(app, pilot, {"command": "roti_vote", "browser": "browser-00000000", "score": 1})  # a second vote: not counted
        roti = app.query_one("#roti")
        assert roti.display and "10 vote" in shown(roti) and "█" not in shown(roti)  # how many, not how
        await pilot.press("R")
        await pilot.pause()
        chart = shown(roti)
        assert "moyenne 3,7 / 5" in chart and "█" in chart
        rows = {line.split()[0]: line.split()[-1] for line in chart.splitlines()[1:] if line.strip()}
        assert rows == {"5": "3", "4": "4", "3": "1", "2": "1", "1": "1"}
        await pilot.press("R")
        await pilot.pause()
        assert "█" not in shown(roti)


async def test_a_step_with_roti_opens_the_vote_when_it_begins(make_bundled) -> None:
    app = make_bundled("temoignages")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        while app.session.index < len(app.session.agenda.steps) - 1:
            await pilot.press("n")
        await pilot.pause()
        assert app.session.audience.roti_open and "ROTI ouvert" in shown(app.query_one("#roti"))


async def test_a_long_queue_scrolls_and_its_keys_stay_in_sight_at_80x24(make) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        asked = ({"command": "ask", "browser": f"browser-{n:08d}", "text": f"Question {n} ?"} for n in range(25))
        await deliver(app, pilot, *asked)
        await pilot.press("a")
        await pilot.pause()
        keys, title = app.screen.query_one(".dialog-keys"), app.screen.query_one("#questions-title")
        assert "Échap fermer" in shown(keys) and "25 en attente" in shown(title)
        for part in (keys, title):  # on screen, whole
            assert part.region.y >= 0 and part.region.bottom <= 24 and part.region.height >= 1
        await pilot.press(*["down"] * 24, "enter")  # the last one, reached by scrolling
        await pilot.pause()
        assert app.session.message_now()["text"] == "Question 24 ?"


async def test_a_question_shown_in_presentation_mode_is_in_block_capitals_and_the_digits_keep_their_size(make_bundled) -> None:
    app = make_bundled("temoignages")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("space", "n", "n", "f", "r")
        await deliver(app, pilot, *({"command": "roti_vote", "browser": f"browser-{n:08d}", "score": 1 + n % 5} for n in range(9)))
        await pilot.press("R")  # the ROTI's chart on the stage too
        await pilot.pause()
        digits = [line.strip() for line in shown(app.query_one("#countdown")).splitlines() if line.strip()]
        question = "Quel indicateur avez-vous abandonné, et pourquoi ?"
        await deliver(app, pilot, {"command": "ask", "browser": LOU, "text": question, "name": "Lou"})
        await pilot.press("a", "enter", "escape")
        await pilot.pause()
        banner, title = app.query_one("#room-message"), app.query_one("#big-title")
        assert "█" in shown(banner) and "abandonné" not in shown(banner)  # capitals, not the plain line
        assert banner.region.height >= 8  # two lines of capitals: the room reads it from the back
        assert title.scale_at(title.size.width) <= banner.scale_at(banner.size.width)  # the step's title no larger
        assert [line.strip() for line in shown(app.query_one("#countdown")).splitlines() if line.strip()] == digits  # same glyphs
