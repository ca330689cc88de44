"""The facilitation screen, driven key by key with Pilot; time comes from the fake clock."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from atelier_timer.journal import read_journal, sessions_dir
from atelier_timer.sound import DEFAULT_VOLUME, chime_samples, scaled
from atelier_timer.ui.widgets.bigtime import BigTime

from .conftest import SHORT, settle, shown


def countdown(app) -> str:
    return app.query_one("#countdown", BigTime).text


async def test_opens_paused_on_the_first_step_and_waits_for_space(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.status_text().startswith("1/3 · reste 05:00")
        assert "Ouverture" in shown(app.query_one("#title"))
        assert "Camille" in shown(app.query_one("#speaker"))
        assert "espace" in shown(app.query_one("#hint"))
        reminders = shown(app.query_one("#reminders"))
        assert "Animation" in reminders and "Poser le cadre" in reminders
        await settle(app, pilot, clock, 30)
        assert countdown(app) == "05:00"
        await pilot.press("space")
        await settle(app, pilot, clock, 12.4)
        assert countdown(app) == "04:48"
        assert "écoulé 00:12" in app.status_text()


async def test_space_pauses_and_resumes(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 10)
        await pilot.press("space")
        await settle(app, pilot, clock, 100)
        assert countdown(app) == "04:50"
        assert "En pause" in shown(app.query_one("#hint"))
        await pilot.press("space")
        await settle(app, pilot, clock, 5)
        assert countdown(app) == "04:45"


@pytest.mark.parametrize("forward,back", [("n", "p"), ("right", "left")])
async def test_next_and_previous_steps(make, clock, forward, back):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 20)
        await pilot.press(forward)
        assert app.status_text().startswith("2/3 · reste 10:00")
        assert "Présentation" in shown(app.query_one("#title"))
        assert "Présenter le problème" in shown(app.query_one("#reminders"))
        await settle(app, pilot, clock, 60)
        assert countdown(app) == "09:00"
        await pilot.press(back)
        assert app.status_text().startswith("1/3 · reste 04:40")


async def test_plus_and_minus_move_the_step_by_a_minute(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("plus")
        assert countdown(app) == "06:00"
        await pilot.press("equals_sign")
        assert countdown(app) == "07:00"
        assert "(+2 min)" in app.status_text()
        await pilot.press("minus", "minus", "minus")
        assert countdown(app) == "04:00"
        assert "(-1 min)" in app.status_text()


async def test_thresholds_colour_the_countdown_and_ring(make, clock, speakers):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        digits = app.query_one("#countdown")
        await pilot.press("space")
        await settle(app, pilot, clock, 170)
        assert digits.has_class("-normal") and app.ticker.bells == []
        await settle(app, pilot, clock, 10.5)  # 1:59.5 left: warning
        assert digits.has_class("-warning")
        assert app.ticker.bells == [(0, "warning")]
        await settle(app, pilot, clock, 90)  # 29.5 s left: danger
        assert digits.has_class("-danger")
        assert app.ticker.bells == [(0, "warning"), (0, "danger")]
        await settle(app, pilot, clock, 35)  # 5.5 s over
        assert digits.has_class("-overtime")
        assert countdown(app) == "+00:05"
        assert app.ticker.bells == [(0, "warning"), (0, "danger"), (0, "overtime")]
        app.ticker.chimes.wait()
        heard = sorted(samples.tobytes() for samples in speakers)  # each chime plays on its own thread
        assert heard == sorted(scaled(chime_samples(name), DEFAULT_VOLUME).tobytes() for name in ("warning", "danger", "zero"))
        assert "+00:05" in app.status_text()


async def test_overtime_flashes(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        digits = app.query_one("#countdown")
        await pilot.press("space")
        await settle(app, pilot, clock, 300.2)
        first = digits.has_class("-flash")
        await settle(app, pilot, clock, 0.5)
        assert digits.has_class("-flash") != first


async def test_auto_advance_moves_on_at_zero(make, clock):
    app = make(SHORT.replace("version: 1\n", "version: 1\nauto_advance: true\n"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 300.01)
        assert app.status_text().startswith("2/3")
        assert countdown(app) == "10:00"


async def test_presentation_mode_hides_the_agenda_and_brings_it_back(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        side = app.query_one("#side")
        assert side.display and side.region.width > 0
        assert app.query_one("#prompt").region.height > 0
        await pilot.press("f")
        await pilot.pause()
        assert side.region.width == 0
        assert app.query_one("#prompt").region.height == 0
        assert app.query_one("#countdown").region.width > 0
        assert app.query_one("#reminders").region.height > 0
        big_title = app.query_one("#big-title")
        assert big_title.text == "Ouverture" and big_title.region.height >= 3  # in block capitals
        assert "Camille" in shown(app.query_one("#speaker"))
        await pilot.press("f")
        await pilot.pause()
        assert side.region.width > 0


async def test_help_lists_every_key(make):
    app = make(lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(shown(w) for w in app.screen.query("Static"))
        for description in ("Start / pause", "Next step", "Previous step", "Add a minute", "Remove a minute",
                            "Write a note", "Rebalance", "Presentation mode", "Export", "Hypotheses", "Quit"):
            assert description in text
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


@pytest.mark.parametrize("cancel,confirm", [("n", "y"), ("escape", "enter")])
async def test_quit_asks_while_under_way(make, clock, tmp_path, cancel, confirm):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.press("q")
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press(cancel)
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.is_running
        assert not isinstance(app.focused, Input)
        await pilot.press("q")
        await pilot.press(confirm)
        await pilot.pause()
    assert app.return_code == 0
    assert len(list((tmp_path / "notes").glob("*.md"))) == 1  # the record is written on the way out


async def test_quit_before_starting_needs_no_confirmation(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("size,rows", [((80, 24), 3), ((160, 48), 9)])
async def test_digits_grow_with_the_terminal(make, size, rows):
    app = make()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        digits = app.query_one("#countdown", BigTime)
        drawn = [y for y in range(digits.size.height) if digits.render_line(y).text.strip()]
        assert len(drawn) >= rows


async def test_resizing_down_to_20x5_and_up_raises_nothing(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        for size in [(80, 24), (40, 12), (20, 5), (21, 6), (200, 60), (20, 5), (120, 36)]:
            await pilot.resize_terminal(*size)
            await settle(app, pilot, clock, 1)
        assert app.is_running and countdown(app) == "04:53"


async def test_notes_input_takes_keys_for_itself(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        assert isinstance(app.focused, Input)
        await pilot.press(*"! noter n p q", "enter")
        assert app.status_text().startswith("1/3") and app.is_running
        await pilot.press(*"* appris #2", "enter")
        await pilot.press("escape")
        assert app.focused is None
        kinds = [(n.kind, n.text, n.hypotheses) for n in app.session.notes]
        assert kinds == [("action", "noter n p q", ()), ("learning", "appris #2", (2,))]
        notes = shown(app.query_one("#notes"))
        assert "noter n p q" in notes and "appris #2" in notes
        await pilot.press("enter")
        assert isinstance(app.focused, Input)


async def test_keys_pressed_before_the_side_pane_is_there_wait_for_it(make):
    """The side pane (agenda, notes, note line) and the message line come right after the first frame:
    ``i`` or ``m`` pressed before then waits for them, and what follows is the note or the message."""
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.query("#note-input")  # the first frame is the stage alone, beside the pane's place
        assert app.query_one("#side").display and app.query_one("#side").size.width > 0
        await pilot.press("i", *"vite", "enter", "escape", "m", *"Pause", "enter")
        await pilot.pause()
        assert [note.text for note in app.session.notes] == ["vite"]
        assert app.session.message_now()["text"] == "Pause"
        assert app.query_one("#agenda").display


async def test_h_shows_the_hypotheses_with_their_notes(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the side pane comes right after the first frame
        panel = app.query_one("#hypotheses")
        assert not panel.display
        await pilot.press("i", *"? combien de dossiers #1", "enter", "escape")
        await pilot.press("h")
        await pilot.pause()
        text = shown(app.query_one("#hypotheses-list"))
        assert panel.display
        assert "#1 Part des usagers" in text and "combien de" in text
        await pilot.press("h")
        assert not panel.display


async def test_every_change_is_in_the_journal_before_it_shows(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert not sessions_dir(tmp_path / "state").exists()  # opening alone leaves no trace
        await pilot.press("space")
        await settle(app, pilot, clock, 3)
        await pilot.press("n", "plus", "i", *"bonne idée", "enter", "escape", "space")
        (path,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
        record = read_journal(path)
        assert [e["type"] for e in record.events] == ["start", "step", "adjust", "note", "pause"]
        assert record.header["agenda_yaml"] == SHORT
        assert record.events[-1]["state"]["elapsed"][0] == 3.0


async def test_export_key_writes_the_record(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        assert app.last_export is None
        await pilot.press("space", "i", *"! relancer la DGFiP", "enter", "escape")
        await pilot.press("e")
        assert app.last_export is not None and app.last_export.parent == tmp_path / "notes"
        assert "- [ ] \u2068relancer la DGFiP\u2069" in app.last_export.read_text()


async def test_an_export_that_cannot_be_written_keeps_the_session_going(make, clock, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    app = make(notes_dir=blocker / "notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.press("e")
        await pilot.pause()
        assert app.last_export is None and app.is_running
        await settle(app, pilot, clock, 2)
        assert countdown(app) == "04:58"


async def test_english_ui(make):
    app = make(lang="en")
    async with app.run_test(size=(100, 30)):
        assert app.status_text().startswith("1/3 · left 05:00")
        assert "Press space" in shown(app.query_one("#hint"))


async def test_the_command_palette_offers_the_actions(make):
    app = make(lang="en")
    async with app.run_test(size=(100, 30)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Next step", "Presentation mode", "Write a note", "Quit"} <= set(titles)


async def test_a_minute_added_in_overtime_brings_the_colour_back_without_a_bell(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        digits = app.query_one("#countdown")
        await pilot.press("space")
        await settle(app, pilot, clock, 190)
        await settle(app, pilot, clock, 120)
        assert digits.has_class("-overtime") and len(app.ticker.bells) == 2
        await pilot.press("plus")
        assert countdown(app) == "01:00", "one more minute from now, not 00:50"
        assert digits.has_class("-warning") and not digits.has_class("-overtime")
        assert len(app.ticker.bells) == 2
        assert "Temps dépassé" not in shown(app.query_one("#hint"))


async def test_the_end_screen_breaks_the_record_path_between_names_at_80x24(make_bundled, clock):
    """The path a facilitator copies is never cut mid-word (« co-develo » / « ppement.md »)."""
    from atelier_timer.ui.widgets.end import EndSummary

    app = make_bundled("codev")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", *["n"] * 5)
        await pilot.pause()
        end = app.query_one(EndSummary)
        rows = [line.strip() for line in shown(end).splitlines()]
        path = str(end.record_path)
        start = next(i for i, row in enumerate(rows) if row and path.startswith(row) and "/" in row)
        joined, i = "", start
        while joined != path:
            assert rows[i] and (joined == "" or joined[-1] in "/-"), rows  # each row ends between two names
            joined += rows[i]
            i += 1
        assert i - start >= 2  # it did not fit one row: it was broken, not folded
