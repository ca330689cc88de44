"""Quitting while no disk takes the events: the question, and each answer."""

from __future__ import annotations

import errno
import os

import pytest

from atelier_timer import journal as journal_module
from atelier_timer.journal import read_journal
from atelier_timer.rescue import copies_of


@pytest.fixture
def disks(monkeypatch):
    """Every write refused while ``disks["full"]`` (the journal, the export and the copies alike)."""
    state = {"full": False}
    real_write = os.write

    def write(fd, data):
        if state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(journal_module.os, "write", write)
    return state


async def type_notes_while_full(app, pilot, disks, *notes):
    blocker = app.notes_dir.parent / "a-file"
    blocker.write_text("")
    app.notes_dir = blocker / "notes"  # the notes' disk refuses too: the export cannot hold them
    await pilot.press("space")
    await pilot.pause()
    disks["full"] = True
    for note in notes:
        await pilot.press("i", *note, "enter", "escape")
    await pilot.pause()


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quitting_while_nothing_takes_the_notes_says_how_many_and_retry_writes_them(make, clock, tmp_path, disks, key):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_notes_while_full(app, pilot, disks, "une", "deux")
        await pilot.press(key)
        await pilot.pause()
        assert "2 note(s)" in str(app.screen.query_one("#dialog-body").render())
        await pilot.press("r")  # still full: asked again
        await pilot.pause()
        assert app.screen.has_class("-quit") and app.is_running
        disks["full"] = False
        await pilot.press("r")  # room again: written, then the usual question
        await pilot.pause()
        assert "Quitter la session" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("y")
        await pilot.pause()
    assert not app.recorder.pending  # every note in the journal (the export alone failed: exit 1)
    texts = [e["note"]["text"] for e in read_journal(app.journal.path).events if e["type"] == "note"]
    assert texts == ["une", "deux"] and app.return_code == 1


async def test_quit_and_lose_first_keeps_an_emergency_copy(make, clock, tmp_path, disks):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_notes_while_full(app, pilot, disks, "une")
        await pilot.press("q")
        await pilot.pause()
        disks["full"] = False  # the fallback place takes it; the journal's disk is taken as still full
        app.recorder.journal._write = lambda data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))
        await pilot.press("l")
        await pilot.pause()
    assert not app.is_running
    (copy,) = copies_of(app.journal.session_id)
    assert "une" in copy.read_text() and "kept in" in app.farewell[-1]
