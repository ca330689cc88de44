"""The journal: durable appends, replay after a crash, session states and ids."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from atelier_timer import journal as journal_module
from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.journal import (
    Journal,
    JournalError,
    find_session,
    is_live,
    list_sessions,
    read_journal,
    scan_sessions,
    session_state,
    sessions_dir,
)
from atelier_timer.session import Session
from tests.helpers import T0, new_session

YAML, SOURCE = read_agenda_source("codev")


def create(state_dir: Path, wall: float = T0, slug: str = "atelier-impact-co-developpement") -> Journal:
    return Journal.create(state_dir, YAML, SOURCE, slug, wall)


def recorded_session(state_dir: Path, wall: float = T0) -> tuple[Session, Journal]:
    session, clock, _ = new_session(load_agenda("codev"), wall=wall)
    journal = create(state_dir, wall)
    session.record = journal.append
    session.toggle()
    clock.advance(65)
    session.add_note("! une action #1")
    session.next()
    clock.advance(5)
    return session, journal


def test_create_append_read_round_trip(paris, tmp_path: Path) -> None:
    session, journal = recorded_session(tmp_path)
    journal.close()
    assert journal.path.parent == sessions_dir(tmp_path)
    assert journal.session_id == "20260312-140000-atelier-impact-co-developpement"
    record = read_journal(journal.path)
    assert record.session_id == journal.session_id
    assert record.header["type"] == "header" and record.header["agenda_yaml"] == YAML
    assert record.header["agenda_source"] == "codev" and record.header["wall"] == T0
    assert [e["type"] for e in record.events] == ["start", "note", "step"]
    assert record.events[1]["note"]["text"] == "une action #1"
    assert record.last_state() == record.events[-1]["state"] and record.last_wall == T0 + 65
    assert not record.truncated
    lines = journal.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line) for line in lines)
    assert "é" in lines[0]  # the agenda stays readable UTF-8 in the file


def test_every_event_is_fsynced_before_append_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(journal_module.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    journal = create(tmp_path)
    after_create = len(synced)
    assert after_create == 2  # the header, then the folder entry of the new file
    for n in range(3):
        journal.append({"type": "note", "wall": T0 + n})
        assert len(synced) == after_create + n + 1
        assert journal.path.read_text(encoding="utf-8").count("\n") == n + 2  # flushed, not buffered
    journal.close()


def test_two_sessions_in_the_same_second_get_two_journals(tmp_path: Path) -> None:
    first, second = create(tmp_path), create(tmp_path)
    assert first.path != second.path and second.session_id.endswith("-2")
    first.close()
    second.close()


def test_a_cut_last_line_replays_everything_before_it(tmp_path: Path) -> None:
    _, journal = recorded_session(tmp_path)
    journal.close()
    whole = journal.path.read_bytes()
    journal.path.write_bytes(whole + b'{"type":"note","wall":17')  # kill -9 in the middle of a write
    record = read_journal(journal.path)
    assert record.truncated
    assert [e["type"] for e in record.events] == ["start", "note", "step"]
    journal.path.write_bytes(whole[:-1])  # the last event complete but for its newline
    record = read_journal(journal.path)
    assert not record.truncated and len(record.events) == 3


def test_a_cut_multibyte_character_on_the_last_line_is_a_cut_line(tmp_path: Path) -> None:
    journal = create(tmp_path)
    journal.close()
    journal.path.write_bytes(journal.path.read_bytes() + '{"type":"note","text":"é'.encode()[:-1])
    assert read_journal(journal.path).truncated


DAMAGED_LINES = [
    b"{not json}\n",
    b"[1, 2]\n",
    b'{"no":"type"}\n',
    b"\xff\xfe\n",
    b"\n",
    b"\x00\x00\x00\x00\n",
    b'{"type":"note","wall":1,"state":{"step":99}}\n',  # well-formed JSON of the wrong shape
    b'{"type":"note","wall":1,"note":{"text":"x","kind":"note","hypotheses":[],"step":0,"wall":1}}\n',  # no elapsed
    b'{"type":"note","wall":1,"note":{"text":"x","kind":"note","step":0,"wall":1,"elapsed":1}}\n',  # no hypotheses
    b'{"type":"note","wall":1}\n',  # no note
    b'{"type":"pause","wall":"noon"}\n',
    b'{"type":"header","wall":1,"agenda_yaml":"title: x"}\n',  # a second header
]


@pytest.mark.parametrize("damage", DAMAGED_LINES)
def test_a_damaged_line_elsewhere_is_skipped_and_named_by_its_number(tmp_path: Path, damage: bytes) -> None:
    _, journal = recorded_session(tmp_path)
    journal.close()
    lines = journal.path.read_bytes().splitlines(keepends=True)
    journal.path.write_bytes(b"".join(lines[:2] + [damage] + lines[2:]))
    record = read_journal(journal.path)
    assert [e["type"] for e in record.events] == ["start", "note", "step"]
    assert record.lines == [2, 4, 5] and record.damaged == [3] and not record.truncated
    assert record.damage_report() == f"{journal.path}: warning: damaged line 3 skipped"
    assert [i.state for i in list_sessions(tmp_path)] == ["interrupted"]


@pytest.mark.parametrize(
    "tail",
    [b'{"type":"note","wall":17', b"\x00" * 300, b'{"type":"pause"}\n{"type":"no', b"\n\x00\x00"],
    ids=["cut-line", "nul-bytes", "damaged-lines", "blank-then-nuls"],
)
def test_reopen_sets_a_damaged_end_aside_before_appending(tmp_path: Path, tail: bytes) -> None:
    _, journal = recorded_session(tmp_path)
    journal.close()
    whole = journal.path.read_bytes()
    journal.path.write_bytes(whole + tail)
    assert read_journal(journal.path).truncated
    reopened = Journal.reopen(journal.path)
    assert reopened.set_aside == journal.path.with_name(journal.path.name + ".damaged-1")
    assert reopened.set_aside.read_bytes() == tail  # kept, never silently deleted
    assert journal.path.read_bytes() == whole
    reopened.append({"type": "reopen", "wall": T0 + 100})
    reopened.close()
    record = read_journal(journal.path)
    assert [e["type"] for e in record.events] == ["start", "note", "step", "reopen"]
    assert not record.truncated and not record.damaged
    assert [i.session_id for i in list_sessions(tmp_path)] == [journal.session_id]  # the side file is no session


def test_reopen_completes_a_whole_last_event_that_lacks_its_newline(tmp_path: Path) -> None:
    _, journal = recorded_session(tmp_path)
    journal.close()
    journal.path.write_bytes(journal.path.read_bytes()[:-1])
    record = read_journal(journal.path)
    assert not record.truncated and len(record.events) == 3
    reopened = Journal.reopen(journal.path)
    assert reopened.set_aside is None
    reopened.append({"type": "reopen", "wall": T0 + 100})
    reopened.close()
    assert [e["type"] for e in read_journal(journal.path).events] == ["start", "note", "step", "reopen"]


def test_sessions_lists_every_readable_session_and_names_each_unreadable_one(tmp_path: Path) -> None:
    _, good = recorded_session(tmp_path)
    good.close()
    folder = sessions_dir(tmp_path)
    (folder / "garbage.jsonl").write_text("garbage\nmore\n")
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "cut-header.jsonl").write_bytes(good.path.read_bytes()[:50])
    infos, unreadable = scan_sessions(tmp_path)
    assert [i.session_id for i in infos] == [good.session_id]
    assert unreadable == [
        f"{folder / name}:1: error: not an atelier-timer journal ({why})"
        for name, why in (("cut-header.jsonl", "no readable header"), ("empty.jsonl", "empty"), ("garbage.jsonl", "no readable header"))
    ]


def test_a_journal_that_cannot_take_its_header_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", full)
    with pytest.raises(JournalError, match="No space left on device"):
        create(tmp_path)
    assert list(sessions_dir(tmp_path).iterdir()) == []  # no empty journal that nobody could list


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"type":"start","wall":1}\n')
    with pytest.raises(JournalError, match=r"x\.jsonl:1: error: not an atelier-timer journal"):
        read_journal(path)
    with pytest.raises(JournalError, match="cannot read"):
        read_journal(tmp_path / "missing.jsonl")


def test_an_open_session_is_locked_against_a_second_program(tmp_path: Path) -> None:
    journal = create(tmp_path)
    assert is_live(journal.path)
    with pytest.raises(JournalError, match="open in another atelier-timer"):
        Journal.reopen(journal.path)
    journal.close()
    assert not is_live(journal.path)
    reopened = Journal.reopen(journal.path)
    reopened.append({"type": "resume", "wall": T0 + 1})
    reopened.close()
    assert read_journal(journal.path).events[-1]["type"] == "resume"


def states(state_dir: Path) -> dict[str, str]:
    return {info.session_id: info.state for info in list_sessions(state_dir)}


def test_sessions_are_listed_with_their_state(tmp_path: Path) -> None:
    running, live_running = recorded_session(tmp_path, T0)
    paused, live_paused = recorded_session(tmp_path, T0 + 3600)
    paused.toggle()
    finished, done = recorded_session(tmp_path, T0 + 7200)
    finished.finish()
    done.close()
    crashed, dead = recorded_session(tmp_path, T0 + 10800)
    dead.close()  # as if the program had been killed: no lock, no quit
    quitted, quit_journal = recorded_session(tmp_path, T0 + 14400)
    quitted.mark("quit")
    quit_journal.close()
    assert list(states(tmp_path).values()) == ["running", "paused", "finished", "interrupted", "paused"]
    live_running.close()
    live_paused.close()
    assert list(states(tmp_path).values()) == ["interrupted", "interrupted", "finished", "interrupted", "paused"]
    info = list_sessions(tmp_path)[2]
    assert (info.title, info.started, info.last_event) == ("Atelier impact — co-développement", T0 + 7200, T0 + 7270)


def test_session_state_of_a_journal_without_events(tmp_path: Path) -> None:
    journal = create(tmp_path)
    record = read_journal(journal.path)
    assert session_state(record, live=True) == "paused"
    assert session_state(record, live=False) == "interrupted"
    journal.close()


def test_find_session_by_id_prefix_or_latest(paris, tmp_path: Path) -> None:
    ids = []
    for n, wall in enumerate((T0, T0 + 60, T0 + 86400)):
        session, journal = recorded_session(tmp_path, wall)
        if n == 1:
            session.mark("quit")
        journal.close()
        ids.append(journal.session_id)
    assert find_session(tmp_path, ids[0]).name == ids[0] + ".jsonl"
    assert find_session(tmp_path, ids[2][:9]).name == ids[2] + ".jsonl"  # "20260313-" is unique
    with pytest.raises(JournalError, match="names 2 sessions"):
        find_session(tmp_path, ids[0][:9])
    with pytest.raises(JournalError, match="no session 'zzz'"):
        find_session(tmp_path, "zzz")
    assert find_session(tmp_path, None).name == ids[2] + ".jsonl"
    assert find_session(tmp_path, None, states=("paused",)).name == ids[1] + ".jsonl"
    with pytest.raises(JournalError, match="no finished session"):
        find_session(tmp_path, None, states=("finished",))
    with pytest.raises(JournalError, match="no recorded session"):
        find_session(tmp_path / "nothing-here", None)


@pytest.mark.parametrize("ref", ["../x", "/etc/passwd", "a/b", ".hidden", "~", "x y", ""])
def test_find_session_refuses_anything_but_an_id(tmp_path: Path, ref: str) -> None:
    journal = create(tmp_path)
    journal.close()
    with pytest.raises(JournalError, match="is not a session id") as caught:
        find_session(tmp_path, ref)
    assert "\n" not in str(caught.value)


def test_the_state_dir_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(journal_module.STATE_DIR_ENV, str(tmp_path))
    assert journal_module.default_state_dir() == tmp_path
    monkeypatch.delenv(journal_module.STATE_DIR_ENV)
    assert journal_module.default_state_dir().name == "atelier-timer"


def test_a_journal_that_cannot_be_created_says_so_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(JournalError) as caught:
        create(blocker)
    assert str(caught.value).startswith(f"{blocker / 'sessions'}: cannot create the session journal")
