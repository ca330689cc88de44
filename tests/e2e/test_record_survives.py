"""The installed command under the faults a workshop meets: signals, a cut journal, a full disk."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pexpect
import pytest

from .conftest import command

AGENDA = """\
version: 1
title: Atelier de secours
language: fr
steps:
  - {title: Ouverture, duration: 10m}
  - {title: Clôture, duration: 5m}
"""
MODES_LEFT_ON = [b"?1049", b"?1000", b"?1003", b"?1006", b"?2004"]  # alternate screen, mouse reporting, paste


def cli(terminal_env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command() + list(args), capture_output=True, text=True, cwd=cwd, env=terminal_env, timeout=60)


def events_of(state: Path) -> list[list[str]]:
    import json

    return [
        [json.loads(line)["type"] for line in path.read_text().splitlines()]
        for path in sorted((state / "sessions").glob("*.jsonl"))
    ]


def agenda(folder: Path) -> str:
    """An agenda of this test's own, so that no change to the bundled ones moves what the screen shows."""
    path = folder / "secours.yaml"
    path.write_text(AGENDA, encoding="utf-8")
    return str(path)


def start_with_notes(terminal, notes_dir: Path, *notes: str):
    term = terminal("run", agenda(notes_dir.parent), "--notes-dir", str(notes_dir), "--no-bell")
    term.wait_for("espace pour démarrer")
    term.send(" ")
    term.wait_for("reste 09:5")
    term.send("i")
    for note in notes:
        term.send(note + "\r")
    term.send("\x1b")
    term.wait_for(notes[-1].lstrip("!*? "))
    return term


def assert_terminal_restored(output: bytes) -> None:
    for mode in MODES_LEFT_ON:
        assert output.rfind(b"\x1b[" + mode + b"l") > output.rfind(b"\x1b[" + mode + b"h"), mode


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_pauses_records_the_quit_exports_and_restores_the_terminal(terminal, tmp_path, signum):
    notes = tmp_path / "notes"
    term = start_with_notes(terminal, notes, "! dite avant le signal")
    term.send("\x11")  # Ctrl+Q asks first
    term.wait_for("Quitter la session")
    term.send("n")
    term.wait_for("reste 09:")
    term.child.kill(signum)  # a signal does not ask
    term.child.expect(pexpect.EOF, timeout=15)
    term.output += term.child.before or b""
    term.child.close()
    assert term.child.exitstatus == 0
    assert events_of(tmp_path / "state") == [["header", "start", "note", "pause", "export", "quit"]]
    (record,) = notes.glob("*.md")
    assert "dite avant le signal" in record.read_text()
    assert_terminal_restored(bytes(term.output))


def test_resume_after_a_cut_journal_keeps_every_note_before_the_cut(terminal, tmp_path):
    notes = tmp_path / "notes"
    first = start_with_notes(terminal, notes, "première", "deuxième", "troisième")
    first.child.kill(signal.SIGKILL)
    first.child.wait()
    (journal,) = (tmp_path / "state" / "sessions").glob("*.jsonl")
    os.truncate(journal, journal.stat().st_size - 100)  # what a crash in the middle of a write leaves
    second = terminal("resume", "--notes-dir", str(notes), "--no-bell")
    second.wait_for("Session reprise")
    second.quit()
    env = first.child.env
    listing = cli(env, tmp_path, "sessions")
    assert "paused" in listing.stdout and listing.returncode == 0
    export = cli(env, tmp_path, "export", "-o", str(tmp_path / "again.md"))
    assert export.returncode == 0, export.stderr
    for text in ("première", "deuxième"):  # the third note's line was the one cut
        assert text in (tmp_path / "again.md").read_text()
    assert list(journal.parent.glob("*.damaged-1"))  # the cut line, kept aside


def leave_the_note_line(term, last_note: str) -> None:
    """Leave the note line after a burst of typed notes ending in Escape, once the burst is taken.

    On a loaded machine the program may still be reading the burst when the test goes on; its last
    Escape can then reach the program glued to the next key (read as Alt+key, or lost). So wait until
    the notes pane shows the burst's last note (every key before it was taken), then send an Escape on
    its own, apart from any other key: it leaves the line for sure and does nothing on the main screen.
    """
    term.wait_for(last_note, timeout=60)
    time.sleep(0.5)
    term.send("\x1b")
    time.sleep(0.5)


def fill(folder: Path, name: str) -> None:
    """Take every byte left on the file system that holds ``folder``."""
    with open(folder / name, "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"x" * 1024)
        except OSError:
            pass


def test_a_full_disk_keeps_the_app_running_loses_no_note_and_still_exports_on_quit(terminal, tmp_path, small_disk):
    notes = tmp_path / "notes"
    term = terminal("run", agenda(tmp_path), "--state-dir", str(small_disk), "--notes-dir", str(notes), "--no-bell")
    term.wait_for("espace pour démarrer")
    term.send(" ")
    term.wait_for("reste 09:5")
    fill(small_disk, "filler")
    typed = [f"pleine {n} " + "-" * 60 for n in range(30)]  # more than the journal's last page can take
    term.send("i" + "".join(note + "\r" for note in typed) + "\x1b")
    term.wait_for("Enregistrement impossible")
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    deadline = time.monotonic() + 10
    while "Enregistrement impossible" in term.text():  # written within the second, without a key
        assert time.monotonic() < deadline, term.text()
    fill(small_disk, "filler-2")
    last = [f"dernière {n}, disque plein " + "-" * 60 for n in range(30)]
    term.send("i" + "".join(note + "\r" for note in last) + "\x1b")
    term.wait_for("Enregistrement impossible")
    leave_the_note_line(term, "dernière 29,")
    term.quit()
    (record,) = notes.glob("*.md")
    markdown = record.read_text()
    assert all(note in markdown for note in typed + last)
    (journal,) = (small_disk / "sessions").glob("*.jsonl")
    assert all(note in journal.read_text() for note in typed)
    later = cli(term.child.env, tmp_path, "export", "--state-dir", str(small_disk), "--notes-dir", str(notes))
    assert later.returncode == 0 and "taken back" in later.stderr  # the journal lacks the last notes: the copy has them
    assert all(note in record.read_text() for note in typed + last)
