"""Stopped and continued (Ctrl+Z then ``fg``, ``kill -STOP`` then ``kill -CONT``): one reader of the
terminal, every key read once and in order, no thread leaked, and ``q``, ``y`` still ends the program."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pexpect
import pytest

from atelier_timer.journal import read_journal

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts threads in /proc")


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def process_state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def wait_state(pid: int, stopped: bool, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while (process_state(pid) == "T") is not stopped:
        assert time.monotonic() < deadline, f"the process never {'stopped' if stopped else 'continued'}"
        time.sleep(0.01)


def stop_and_continue(timer, how: str) -> None:
    pid = timer.child.pid
    if how == "ctrl+z":
        timer.send("\x1a")  # the terminal's Ctrl+Z; the app suspends itself as a shell's job
    else:
        os.kill(pid, signal.SIGSTOP)
    wait_state(pid, stopped=True)
    time.sleep(0.2)  # a shell's while, stopped
    os.kill(pid, signal.SIGCONT)  # what fg sends
    wait_state(pid, stopped=False)


@pytest.mark.parametrize("how", ["kill -STOP", "ctrl+z"])
def test_forty_notes_typed_after_stops_and_continues_are_whole_and_quit_ends_it(terminal, tmp_path, how) -> None:
    notes = tmp_path / "notes"
    timer = terminal("run", "codev", "--notes-dir", str(notes), "--sound", "off", "--lang", "en")
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("1/5 · left 09:")
    pid = timer.child.pid
    before = threads(pid)
    for _ in range(3):
        stop_and_continue(timer, how)
        timer.wait_for("1/5 · left")  # drawn again
    time.sleep(0.3)
    assert threads(pid) == before, "a thread was left behind at a continue"
    typed = [f"soak note {n:03d} whole" for n in range(40)]
    timer.send("i")
    timer.wait_for("Note")
    for text in typed:
        timer.send(text + "\r")
        time.sleep(0.03)  # a fast typist
    timer.wait_for(typed[-1])
    timer.send("\x1b")
    time.sleep(0.3)  # Escape then q at once would read as Alt+q, as from any terminal
    timer.send("q")
    timer.wait_for("Quit the session?")
    timer.send("y")
    quitting = time.monotonic()
    timer.child.expect(pexpect.EOF, timeout=3)
    assert time.monotonic() - quitting < 3
    (journal,) = (tmp_path / "state" / "sessions").glob("*.jsonl")
    events = read_journal(journal).events
    assert [e["note"]["text"] for e in events if e["type"] == "note"] == typed  # each once, whole, in order
    assert events[-1]["type"] == "quit"
    (record,) = notes.glob("*.md")
    assert all(text in record.read_text() for text in typed)


def test_a_key_typed_while_stopped_is_read_once_when_it_continues(terminal) -> None:
    timer = terminal("run", "codev", "--sound", "off", "--lang", "en")
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("1/5 · left")
    os.kill(timer.child.pid, signal.SIGSTOP)
    wait_state(timer.child.pid, stopped=True)
    timer.send("n")  # the next step, typed to a stopped program: it waits in the terminal
    time.sleep(0.2)
    os.kill(timer.child.pid, signal.SIGCONT)
    timer.wait_for("2/5 · left")
    time.sleep(0.5)
    assert "3/5" not in timer.text()  # read once, by the one reader


def test_sigterm_still_ends_it_cleanly_after_stops_and_continues(terminal, tmp_path) -> None:
    timer = terminal("run", "codev", "--sound", "off", "--lang", "en", "--notes-dir", str(tmp_path / "notes"))
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("1/5 · left")
    for _ in range(3):
        stop_and_continue(timer, "kill -STOP")
    timer.wait_for("1/5 · left")
    os.kill(timer.child.pid, signal.SIGTERM)
    timer.child.expect(pexpect.EOF, timeout=3)
    (journal,) = (tmp_path / "state" / "sessions").glob("*.jsonl")
    assert read_journal(journal).events[-1]["type"] == "quit"
    assert b"\x1b[?1049l" in bytes(timer.output) + timer.child.before  # the terminal given back (out of the alternate screen)
