"""The platform's differences, in one place: the live-session lock, the quit signals, the console's close."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from atelier_timer import portable
from tests import posix_hidden

HOLD = """
import sys, time
from atelier_timer.portable import Lock
lock = Lock(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_a_lock_held_by_another_process_is_seen_and_goes_with_it_even_after_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert portable.is_locked(path)
        with pytest.raises(portable.Locked):
            portable.Lock(path)
    finally:
        os.kill(holder.pid, 9)  # SIGKILL here, TerminateProcess on Windows: no clean-up of its own
        holder.wait()
    assert not portable.is_locked(path)
    portable.Lock(path).release()


def test_two_locks_in_one_process_exclude_each_other_and_a_released_one_is_free(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    assert not portable.is_locked(path) and not path.exists()  # probing never creates the file
    first = portable.Lock(path)
    assert portable.is_locked(path)
    with pytest.raises(portable.Locked):
        portable.Lock(path)
    first.release()
    assert not portable.is_locked(path)


def test_the_quit_signals_are_those_of_the_platform() -> None:
    names = {signum.name for signum in portable.quit_signals()}
    assert {"SIGTERM", "SIGINT"} <= names
    assert ("SIGHUP" in names) is (not posix_hidden.hidden() and os.name == "posix")


class _NoSignalHandlers(asyncio.SelectorEventLoop):
    """A real loop that refuses ``add_signal_handler``, as Windows' proactor loop does."""

    def add_signal_handler(self, sig, callback, *args):
        raise NotImplementedError


def test_a_real_signal_quits_through_the_plain_handler_where_the_loop_has_none() -> None:
    loop = _NoSignalHandlers()
    before = {signum: signal.getsignal(signum) for signum in portable.quit_signals()}
    quitted = []
    try:
        portable.on_quit_signals(loop, lambda: (quitted.append(True), loop.stop()))
        loop.call_soon(os.kill, os.getpid(), signal.SIGTERM)
        loop.call_later(5, loop.stop)  # bounded: fails rather than hangs
        loop.run_forever()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        loop.close()
    assert quitted == [True]


def test_the_console_close_event_quits_and_waits_for_the_way_out_then_lets_windows_end_it() -> None:
    loop = asyncio.new_event_loop()
    done = threading.Event()
    quitted = []
    handle = portable.console_close_handler(loop, lambda: (quitted.append(True), done.set()), done)
    assert handle(0) is False  # Ctrl+C: left to SIGINT
    answers = []
    system = threading.Thread(target=lambda: answers.append(handle(2)))  # Windows calls it on its own thread
    system.start()
    loop.call_later(5, loop.stop)  # bounded: fails rather than hangs

    def stop_when_answered() -> None:
        if answers:
            loop.stop()
        else:
            loop.call_later(0.01, stop_when_answered)

    loop.call_soon(stop_when_answered)
    loop.run_forever()
    system.join(1)
    loop.close()
    assert quitted == [True] and answers == [True]


def test_a_folder_is_synced_without_opening_it_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    portable.fsync_dir(tmp_path)  # here: opened and synced
    monkeypatch.setattr(portable, "WINDOWS", True)
    monkeypatch.setattr(portable.os, "open", lambda *a: pytest.fail("Windows cannot open a folder"))
    portable.fsync_dir(tmp_path)


def test_every_file_the_journal_and_the_inbox_open_is_binary_as_windows_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atelier_timer import control
    from atelier_timer import journal as journal_module
    from atelier_timer.agenda import read_agenda_source
    from atelier_timer.journal import Journal, Recorder

    windows_binary = 0x8000  # Windows' O_BINARY (O_LARGEFILE here, which changes nothing)
    monkeypatch.setattr(journal_module, "O_BINARY", windows_binary)
    monkeypatch.setattr(control, "O_BINARY", windows_binary)
    opened: list[tuple[str, int]] = []
    real_open = os.open

    def recording_open(path, flags, *args, **kwargs):
        if not os.path.isdir(path):
            opened.append((os.fspath(path), flags))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    text, source = read_agenda_source("codev")
    recorder = Recorder(Journal.create(tmp_path, text, source, "codev", 1_795_000_000.0))
    recorder({"type": "start", "wall": 1_795_000_001.0})
    recorder.journal.path.unlink()  # written again whole (POSIX: Windows refuses to delete an open file)
    recorder({"type": "pause", "wall": 1_795_000_002.0})
    recorder.close()
    with open(recorder.journal.path, "ab") as end:
        end.write(b'{"type": "no')  # a cut line, set aside by reopen
    Journal.reopen(recorder.journal.path).close()
    control.send(tmp_path, "s1", {"command": "next"})
    control.write_links(tmp_path, "s2", {"viewer": "v", "controller": "c"})
    assert len(opened) >= 5  # the journal, its copy, the damaged end, a command, the links
    assert all(flags & windows_binary for _, flags in opened), [p for p, f in opened if not f & windows_binary]
