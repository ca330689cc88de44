"""Recording under faults: a full disk, a journal deleted while open, a viewer's probe during resume."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from atelier_timer import journal as journal_module
from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.journal import Journal, Recorder, find_session, read_journal, sessions_dir
from atelier_timer.report import session_from_journal
from tests.helpers import T0, new_session

YAML, SOURCE = read_agenda_source("codev")


def open_journal(state_dir: Path):
    return lambda: Journal.create(state_dir, YAML, SOURCE, "atelier", T0)


class FlakyDisk:
    """``os.write`` that refuses everything while ``full``, after writing half of what it was given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        real = os.write

        def write(fd, data):
            if self.full:
                real(fd, bytes(data[: len(data) // 2]))  # what a disk filling up mid-line leaves
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(fd, data)

        monkeypatch.setattr(journal_module.os, "write", write)


def test_events_the_disk_refuses_wait_in_order_and_reach_the_journal_when_it_can_take_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = FlakyDisk(monkeypatch)
    session, clock, _ = new_session(load_agenda("codev"), wall=T0)
    recorder = Recorder(open_journal=open_journal(tmp_path))
    session.record = recorder
    session.toggle()
    disk.full = True
    for n in range(5):
        clock.advance(10)
        session.add_note(f"note {n}")
    assert recorder.problem == "No space left on device" and len(recorder.pending) == 5
    assert [e["type"] for e in read_journal(recorder.journal.path).events] == ["start"]  # no half line left
    disk.full = False
    clock.advance(10)
    session.add_note("la place est revenue")
    assert recorder.problem is None and recorder.pending == []
    record = read_journal(recorder.journal.path)
    assert not record.truncated and not record.damaged
    assert [e["note"]["text"] for e in record.events[1:]] == [f"note {n}" for n in range(5)] + ["la place est revenue"]
    recorder.close()


def test_a_recorder_started_on_a_full_disk_creates_its_journal_once_it_can(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = FlakyDisk(monkeypatch)
    disk.full = True
    recorder = Recorder(open_journal=open_journal(tmp_path))
    recorder({"type": "start", "wall": T0})
    assert recorder.problem and recorder.journal is None
    assert list(sessions_dir(tmp_path).iterdir()) == []  # no empty journal left behind
    disk.full = False
    assert recorder.sync()
    assert [e["type"] for e in read_journal(recorder.journal.path).events] == ["start"]
    recorder.close()


def test_closing_while_the_disk_is_full_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = FlakyDisk(monkeypatch)
    recorder = Recorder(open_journal=open_journal(tmp_path))
    recorder({"type": "start", "wall": T0})
    disk.full = True
    recorder({"type": "quit", "wall": T0 + 1})
    recorder.close()
    assert [e["type"] for e in recorder.pending] == ["quit"]
    assert not read_journal(recorder.journal.path).truncated


def test_a_journal_deleted_while_open_is_written_again_whole(tmp_path: Path) -> None:
    recorder = Recorder(open_journal=open_journal(tmp_path))
    recorder({"type": "start", "wall": T0})
    path = recorder.journal.path
    path.unlink()
    recorder({"type": "pause", "wall": T0 + 5})
    assert recorder.recreated and recorder.problem is None
    assert [e["type"] for e in read_journal(path).events] == ["start", "pause"]
    assert journal_module.is_live(path)  # still locked: no second program can take it
    recorder.close()


def test_resume_is_not_refused_because_a_viewer_was_probing_the_lock(tmp_path: Path) -> None:
    recorder = Recorder(open_journal=open_journal(tmp_path))
    recorder({"type": "start", "wall": T0})
    recorder.close()
    path = recorder.journal.path
    probe = sqlite3.connect(journal_module.lock_path(path), isolation_level=None, check_same_thread=False)
    probe.execute("BEGIN")
    probe.execute("SELECT count(*) FROM sqlite_master").fetchall()  # the shared lock is_live holds for an instant
    release = threading.Timer(0.2, probe.close)
    release.start()
    reopened = Journal.reopen(path)
    release.join()
    reopened.close()


def test_resume_without_an_id_takes_the_latest_interrupted_session_not_a_live_one(tmp_path: Path) -> None:
    old = Recorder(journal=Journal.create(tmp_path, YAML, SOURCE, "old", T0))
    old({"type": "start", "wall": T0})
    old.close()  # killed: interrupted
    live = Recorder(journal=Journal.create(tmp_path, YAML, SOURCE, "live", T0 + 60))
    live({"type": "start", "wall": T0 + 60})
    try:
        assert find_session(tmp_path, None, states=("interrupted", "paused"), live=False) == old.journal.path
    finally:
        live.close()


# --------------------------------------------------------------------------------------------------
# A real full disk: a 128 KiB tmpfs, then remounted bigger


def test_a_full_tmpfs_loses_no_note_once_it_is_remounted_bigger(small_disk: Path) -> None:
    session, clock, _ = new_session(load_agenda("codev"), wall=T0)
    recorder = Recorder(open_journal=open_journal(small_disk))
    session.record = recorder
    session.toggle()
    n = 0
    while not recorder.pending:
        n += 1
        clock.advance(1)
        session.add_note(f"note {n} " + "x" * 200)
    for _ in range(20):  # notes typed while the disk is full
        n += 1
        session.add_note(f"note {n} pendant que c'est plein")
    assert recorder.problem and len(recorder.pending) == 21
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    assert recorder.sync() and recorder.pending == []
    recorder.close()
    record = read_journal(recorder.journal.path)
    assert not record.truncated and not record.damaged
    restored = session_from_journal(record)
    assert [note.text.split()[1] for note in restored.notes] == [str(i) for i in range(1, n + 1)]
