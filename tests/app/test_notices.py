"""Notices take one row, the newest replacing the older: a burst of them never shrinks the countdown."""

from __future__ import annotations

from .conftest import SHORT, digit_rows, notices, settle, shown
from .test_turns_screen import ROUND


async def test_a_burst_of_notices_keeps_one_row_and_the_digits_their_size_at_80x24(make, clock):
    app = make(SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 4 * 60 + 55)  # 5 s left
        rows = digit_rows(app)
        assert rows >= 3
        await pilot.press("plus", "minus", "minus")
        app.notify(app.t("no_audio_device"), severity="warning")
        await settle(app, pilot)
        assert notices(app) == [app.t("no_audio_device")]  # the newest only
        line = app.query_one("#notices")
        assert line.size.height == 1 and shown(line).startswith("●")
        assert digit_rows(app) == rows  # the digits kept every row they had
        await pilot.press("minus")  # over time now: the newest says so, in the same row
        await settle(app, pilot)
        assert notices(app) == ["−1 min → +01:55 : l'étape est en dépassement"]
        assert digit_rows(app) == rows and line.size.height == 1


async def test_a_notice_longer_than_the_row_is_cut_not_wrapped(make, clock):
    app = make(SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        rows = digit_rows(app)
        app.notify("Notes exportées : " + "/très/long/chemin" * 12 + "/atelier.md")
        await settle(app, pilot)
        line = app.query_one("#notices")
        assert line.size.height == 1 and shown(line).rstrip().endswith("…")
        assert digit_rows(app) == rows


async def test_minus_on_a_turn_over_its_time_says_the_turn_is_over_not_the_step(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 90)  # Ana's 2 minutes, 30 s left
        await pilot.press("minus")
        assert notices(app) == ["−1 min → +00:30 : le tour est en dépassement"]
        assert "dépassé" not in shown(app.query_one("#turn"))  # the step itself has time left
