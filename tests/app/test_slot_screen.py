"""The booked slot on screen: the wait before the start, the late start, the time of day, the time keys."""

from __future__ import annotations

from atelier_timer.journal import read_journal, sessions_dir
from atelier_timer.session import Slot
from atelier_timer.ui.dialogs.question import QuestionScreen
from atelier_timer.ui.follow import Follower
from atelier_timer.ui.widgets.bigtime import BigTime

from .conftest import notices, settle, shown
from .test_finish_on_time import dialog_text


# The fake clock reads 2026-11-18 12:06:40 in Paris.
def time_shown(app) -> str:
    """The time of day on screen: at the end of the status line's first row."""
    return shown(app.query_one("#status")).splitlines()[0].split()[-1]


AT_12_11 = 1_795_000_000.0 + 4 * 60 + 20  # 12:11:00


async def test_before_the_slot_the_room_sees_the_title_a_countdown_to_the_start_the_time_and_the_agenda(make, clock, tmp_path):
    app = make(slot=Slot(start=AT_12_11))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert shown(app.query_one("#title")).strip() == "Petit atelier", "the workshop's title, not the first step's"
        assert shown(app.query_one("#hint")).strip() == "Début à 12:11 — dans 04:20"
        assert app.query_one("#countdown", BigTime).text == "04:20"
        assert time_shown(app) == "12:06"
        agenda = shown(app.query_one("#agenda"))
        assert "12:11" in agenda and "12:16" in agenda, "the agenda planned from the slot's start"
        assert app.query_one("#reminders").region.height == 0

        await settle(app, pilot, clock, 4 * 60 + 8)
        assert shown(app.query_one("#hint")).strip() == "Début à 12:11 — dans 00:12"
        assert time_shown(app) == "12:10"

        await pilot.press("space")  # the room is ready early: space starts at once
        assert app.session.running and app.session.late_start() == -12
        assert not isinstance(app.screen, QuestionScreen)
        assert shown(app.query_one("#title")).strip().startswith("Ouverture")
        assert app.query_one("#countdown", BigTime).text == "05:00"
    events = read_journal(next(sessions_dir(tmp_path / "state").glob("*.jsonl"))).events
    assert [event["type"] for event in events] == ["waiting", "start"], "the journal exists during the wait, for follow"


async def test_quitting_during_the_wait_leaves_no_session_behind(make, clock, tmp_path):
    app = make(slot=Slot(start=AT_12_11))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert list(sessions_dir(tmp_path / "state").glob("*.jsonl")), "follow can see the wait"
        await pilot.press("q")
    assert not list(sessions_dir(tmp_path / "state").glob("*.jsonl"))


async def test_follow_shows_the_same_wait(make, clock, tmp_path):
    app = make(slot=Slot(start=AT_12_11))
    async with app.run_test(size=(100, 30)):
        pass  # opened and left waiting: the journal holds the slot
    journal = next(sessions_dir(tmp_path / "state").glob("*.jsonl"))
    follower = Follower(journal, clock=clock)
    async with follower.app.run_test(size=(80, 24)) as pilot:
        await settle(follower.app, pilot, clock, 20)
        assert shown(follower.app.query_one("#hint")).strip() == "Début à 12:11 — dans 04:00"
        assert follower.app.query_one("#big-title").text == "Petit atelier"


async def test_a_late_start_says_how_late_and_offers_the_rebalance(make_bundled, clock):
    start = clock.wall() - 6 * 60  # the slot began at 12:00:40; space at 12:06:40
    app = make_bundled("codev", slot=Slot(start, start + 3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "(+6 min)" in app.status_text(), "behind before anything happens"
        await pilot.press("space")
        assert isinstance(app.screen, QuestionScreen)
        text = " ".join(dialog_text(app).split())
        assert "Démarrée 6 min après le début du créneau (12:00) : fin projetée 13:06, prévue 13:00 (+6 min)." in text
        assert "Nouvelle fin projetée : 13:00" in text
        await pilot.press("y")
        assert not isinstance(app.screen, QuestionScreen)
        assert "projetée 13:00 (0 min)" in app.status_text()
        assert app.session.running


async def test_a_start_within_half_a_minute_of_the_slot_asks_nothing(make, clock):
    app = make(slot=Slot(clock.wall() - 20, clock.wall() + 18 * 60))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        assert not isinstance(app.screen, QuestionScreen)


async def test_each_time_key_says_what_it_left(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 60)
        await pilot.press("plus")
        assert notices(app)[-1] == "+1 min → 05:00"
        await pilot.press("minus", "minus", "minus", "minus")
        assert notices(app)[-1] == "−1 min → 01:00"
        await pilot.press("minus")
        assert notices(app)[-1] == "−1 min → 00:00 : l'étape est en dépassement"
        assert app.query_one("#countdown").has_class("-overtime")


async def test_plus_in_overtime_gives_a_minute_from_now_out_of_the_overtime_colour(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 5 * 60 + 30)
        assert app.query_one("#countdown", BigTime).text == "+00:30"
        await pilot.press("plus")
        assert app.query_one("#countdown", BigTime).text == "01:00"
        assert not app.query_one("#countdown").has_class("-overtime")
        assert notices(app)[-1] == "+1 min → 01:00"


async def test_the_time_of_day_stays_in_presentation_mode(make, clock):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await settle(app, pilot, clock, 60)
        assert app.query_one("#status").display and time_shown(app) == "12:07"
        assert app.ticker.tick() > 0, "the clock wakes the screen while paused, for the time of day"


async def test_a_step_s_own_auto_advance_overrides_the_agenda_s(make, clock):
    chained = """\
title: Témoignages
auto_advance: false
steps:
  - {title: Un, duration: 1m, auto_advance: true}
  - {title: Deux, duration: 1m}
  - {title: Trois, duration: 1m}
"""
    app = make(chained)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 60.01)
        assert app.status_text().startswith("2/3"), "the testimony chains into the next"
        await settle(app, pilot, clock, 60.01)
        assert app.status_text().startswith("2/3 · dépassé +00:00"), "this one waits for the facilitator"
