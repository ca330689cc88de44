"""Every way out goes through one path (pause, export, quit event); recording problems stay on screen."""

from __future__ import annotations

import errno
import os

import pytest
from textual import events
from textual.widgets import Input

from atelier_timer import journal as journal_module
from atelier_timer.journal import read_journal, sessions_dir

from .conftest import alert_shown, on_screen, settle, shown


def journal_events(tmp_path) -> list[str]:
    (path,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
    return [event["type"] for event in read_journal(path).events]


async def quit_through(app, pilot, way: str) -> None:
    if way == "palette":
        await app.run_action("quit")  # what the palette's "Quit" runs
    else:
        await pilot.press(way)
    await pilot.pause()


@pytest.mark.parametrize("way", ["q", "ctrl+q", "ctrl+c", "palette"])
async def test_every_key_way_out_asks_then_pauses_exports_and_records_the_quit(make, clock, tmp_path, way):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 30)
        await quit_through(app, pilot, way)
        assert app.screen.has_class("-quit") and app.is_running  # asked, not gone
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.session.running
        await quit_through(app, pilot, way)
        await pilot.press("y")
        await pilot.pause()
    assert journal_events(tmp_path) == ["start", "pause", "export", "quit"]
    (record,) = (tmp_path / "notes").glob("*.md")
    assert app.return_code == 0 and app.farewell == [f"Compte rendu de la session : {record}"]  # where the notes went
    assert "Petit atelier" in record.read_text()


async def test_ctrl_c_in_the_note_line_copies_and_does_not_quit(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "i", *"à copier")
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+c")  # nothing selected: nothing to copy, and still no quitting
        await pilot.press("shift+home", "ctrl+c")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.is_running
        assert app.clipboard == "à copier"


async def test_a_signal_quits_without_asking_and_keeps_the_record(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "i", *"dite avant le signal", "enter")
        await pilot.pause()
        app.quit_now()  # what SIGTERM, SIGHUP and SIGINT run (the e2e tests send the real signals)
        await pilot.pause()
    assert app.return_code == 0
    assert journal_events(tmp_path) == ["start", "note", "pause", "export", "quit"]
    assert "dite avant le signal" in next((tmp_path / "notes").glob("*.md")).read_text()


async def test_a_failed_export_on_quit_is_said_and_exits_1(make, clock, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    app = make(notes_dir=blocker / "notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "q", "y")
        await pilot.pause()
    assert app.return_code == 1
    (line,) = app.farewell
    assert line.startswith(f"{blocker / 'notes'}: error: cannot create the notes folder")
    assert journal_events(tmp_path) == ["start", "pause", "quit"]


async def test_a_full_disk_shows_until_solved_keeps_the_notes_and_quitting_still_exports(make, clock, tmp_path, monkeypatch):
    full = False
    real_write = os.write

    def write(fd, data):
        if full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(journal_module.os, "write", write)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        full = True
        await pilot.press("i", *"pendant que c'est plein", "enter", "escape")
        await pilot.pause()
        alert = alert_shown(app)
        assert "Enregistrement impossible (No space left on device)" in alert and "1 événement" in alert
        assert "pendant que c'est plein" in shown(app.query_one("#notes"))  # kept, and said to be waiting
        await settle(app, pilot, clock, 60)
        assert "Enregistrement impossible" in alert_shown(app)  # not a passing notice
        full = False
        app.sync_journal()  # what the retry timer runs every second
        await pilot.pause()
        assert not alert_shown(app)
        assert journal_events(tmp_path) == ["start", "note"]
        full = True
        await pilot.press("q", "y")  # nothing waits when asked: only the quit's own events are refused
        await pilot.pause()
    assert app.return_code == 0  # the export has everything
    (line,) = app.farewell
    assert "3 events could not be written (No space left on device)" in line and "; the notes are in" in line
    assert "pendant que c'est plein" in next((tmp_path / "notes").glob("*.md")).read_text()


async def test_notes_typed_in_a_burst_are_all_on_disk_when_shown(make, clock, tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(journal_module.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("i")
        before = len(synced)
        for character in "".join(f"note {n}\r" for n in range(10)):  # a pasted burst: every key queued at once
            app.post_message(events.Key("enter" if character == "\r" else character, character))
        await pilot.pause()
        assert [line for line in journal_events(tmp_path) if line == "note"] == ["note"] * 10
        assert "note 9" in shown(app.query_one("#notes"))
        assert len(synced) - before < 10  # the burst's fsyncs were grouped


async def test_pasted_lines_are_each_a_note_and_none_is_lost(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "i", *"début ")
        app.query_one("#note-input").post_message(events.Paste("de la une\n! la deux\r\n\n? la trois\nà fin"))
        await pilot.pause()
        (path,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
        texts = [event["note"]["text"] for event in read_journal(path).events if event["type"] == "note"]
        assert texts == ["début de la une", "la deux", "la trois"]
        assert app.query_one("#note-input").value == "à fin"  # the last line waits for its Enter


async def test_a_note_longer_than_its_line_is_read_whole_above_it_while_typed(make, clock):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "i", *"court")
        draft = app.query_one("#note-draft")
        assert not draft.display  # a short note shows in its line: nothing repeats it
        sentence = " assez long pour ne plus tenir dans les 28 colonnes de la ligne"
        await pilot.press(*sentence)
        assert draft.display
        assert " ".join(on_screen(draft).split()) == "✎ court" + sentence  # the whole of it, wrapped, in view
        await pilot.press("enter")
        assert not draft.display and "28 colonnes" in shown(app.query_one("#notes"))
        assert app.query_one("#agenda").styles.max_height.value > 4  # the agenda has its rows back
