"""Every number the room reads agrees: the late start and the drift in one dialog, the end screen with
the status line under it and with the record's header, to the second and to the minute."""

from __future__ import annotations

from atelier_timer.report import render_markdown
from atelier_timer.session import Slot
from atelier_timer.ui.widgets.end import EndSummary

from .conftest import settle, shown
from .test_finish_on_time import dialog_text


async def test_a_late_start_says_the_same_minutes_for_the_lateness_and_the_drift(make_bundled, clock):
    start = clock.wall() - (13 * 60 + 51)  # space 13 min 51 s after the slot's start
    app = make_bundled("codev", slot=Slot(start, start + 3600))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        text = " ".join(dialog_text(app).split())
        assert "Démarrée 14 min après le début du créneau" in text and "(+14 min)" in text
        assert "La session a 14 min de retard" in text, text
        assert "13 min 51 s" not in text
        assert "(+14 min)" in app.status_text()


async def test_the_end_screen_agrees_with_the_status_line_and_the_record(make, clock):
    start = clock.wall() - 16 * 60  # a slot of 18 min, begun 16 min ago: started late, ended early
    app = make(slot=Slot(start, start + 18 * 60))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        await pilot.press("n")  # no rebalance
        await settle(app, pilot, clock, 60.6)
        await pilot.press("n", "n", "n")  # past the last step: finished after 1:00.6
        await settle(app, pilot)
        end = shown(app.query_one(EndSummary))
        status = app.status_text()
        drift = status.rsplit("(", 1)[1].split(")")[0]
        assert "Durée réelle 01:00 · prévue 18:00" in end
        assert f"({drift})" in end, f"the end screen's drift is the status line's: {end!r} / {status!r}"
        assert drift == "-1 min", "begun 16 min late, over after 1 min: one minute before the slot's end"
        record = render_markdown(app.session)
        assert "**Durée** : 1:00," in record, "the record's length counts seconds as the end screen does"
        assert "16 min après le début du créneau" in record and "-1 min" in record


async def test_the_agenda_pane_gives_the_actual_start_of_the_steps_run_and_the_current_one(make, clock):
    from atelier_timer.ui.widgets.agenda import AgendaView

    app = make()  # Ouverture 5 min, Présentation 10 min, Clôture 3 min; the clock reads 12:06:40
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot, clock, 80)  # space pressed at 12:08, not at 12:06
        await pilot.press("space")
        await settle(app, pilot, clock, 7 * 60)  # the opening takes 7 minutes
        await pilot.press("n")
        await settle(app, pilot)
        rows = [line for line in shown(app.query_one(AgendaView)).splitlines() if line.strip()]
        opening, talk, closing = (next(row for row in rows if title in row) for title in ("Ouverture", "Présentation", "Clôture"))
        assert "12:08" in opening, "the opening began when space was pressed"
        assert "12:15" in talk, "the current step began when n was pressed, not at its planned 12:13"
        assert "12:25" in closing, "the coming step's start is projected from now"
