"""Finishing on time: the drift, the rebalance preview, and the question after a sleep."""

from __future__ import annotations

from atelier_timer.journal import read_journal, sessions_dir
from atelier_timer.ui.dialogs.question import QuestionScreen
from atelier_timer.ui.dialogs.sleep import SleepScreen
from atelier_timer.ui.widgets.bigtime import BigTime

from .conftest import settle

TIGHT = """\
title: Atelier serré
steps:
  - {title: Un, duration: 10m}
  - {title: Deux, duration: 10m}
  - {title: Trois, duration: 5m, protected: true}
  - {title: Quatre, duration: 10m}
"""


def dialog_text(app) -> str:
    body = app.screen.query_one("#dialog-body")
    return "\n".join(body.render_line(y).text for y in range(body.size.height))


async def test_rebalance_brings_the_session_back_on_time(make, clock, tmp_path):
    app = make(TIGHT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 30)
        await pilot.press("plus", "plus")
        assert "(+2 min)" in app.status_text()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        preview = dialog_text(app)
        assert "Deux" in preview and "10:00" in preview and "09:00" in preview
        assert "Trois (protégée)" in preview and "05:00 → 05:00" in " ".join(preview.split())
        await pilot.press("y")
        await pilot.pause()
        assert "(0 min)" in app.status_text()
        assert app.session.durations == [720, 540, 300, 540]
        await pilot.press("n")
        assert app.query_one("#countdown", BigTime).text == "09:00"
        await pilot.press("n")
        assert app.query_one("#countdown", BigTime).text == "05:00"
    (journal,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
    rebalance = [e for e in read_journal(journal).events if e["type"] == "rebalance"]
    assert rebalance[0]["old"] == [720, 600, 300, 600] and rebalance[0]["new"] == [720, 540, 300, 540]


async def test_rebalance_can_be_cancelled(make, clock):
    app = make(TIGHT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "plus", "plus", "plus", "b")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.durations == [780, 600, 300, 600]
        assert "(+3 min)" in app.status_text()


async def test_rebalance_says_when_the_gap_cannot_be_absorbed(make, clock):
    app = make(TIGHT)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("space")
        for _ in range(20):
            await pilot.press("plus")
        await pilot.press("b")
        await pilot.pause()
        preview = " ".join(dialog_text(app).split())
        assert "01:00" in preview  # steps two and four at their one-minute floor
        assert "dépassera de 2 min" in preview


async def test_ahead_of_time_grows_the_coming_steps(make, clock):
    app = make(TIGHT, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "minus", "minus", "minus", "minus")
        assert "(-4 min)" in app.status_text()
        await pilot.press("b", "enter")
        await pilot.pause()
        assert app.session.durations == [360, 720, 300, 720]
        assert "(0 min)" in app.status_text()


async def test_a_sleep_counted_as_elapsed(make, clock):
    app = make(TIGHT, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 60)
        clock.sleep(300)
        await settle(app, pilot)
        assert isinstance(app.screen, SleepScreen)
        assert "Asleep for 5 min" in dialog_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one("#countdown", BigTime).text == "04:00"


async def test_a_sleep_counted_as_a_pause(make, clock, tmp_path):
    app = make(TIGHT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 60)
        clock.sleep(300)
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert app.query_one("#countdown", BigTime).text == "09:00"
        assert not isinstance(app.screen, SleepScreen)
    (journal,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
    sleeps = [e for e in read_journal(journal).events if e["type"] == "sleep"]
    assert sleeps == [{**sleeps[0], "seconds": 300, "counted": False}]


async def test_no_question_when_the_machine_did_not_sleep(make, clock):
    app = make(TIGHT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        for _ in range(5):
            await settle(app, pilot, clock, 60)
        assert len(app.screen_stack) == 1
