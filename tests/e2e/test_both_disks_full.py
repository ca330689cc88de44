"""Both disks full (the journal's and the notes'): the notes typed meanwhile are kept elsewhere, and taken back."""

from __future__ import annotations

import signal
import subprocess

import pexpect
import pytest

from .test_record_survives import agenda, cli, fill, leave_the_note_line


@pytest.fixture
def full_disks(small_disk, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(notes)], capture_output=True).returncode:
        pytest.skip("this machine refuses to mount a tmpfs")
    yield small_disk, notes
    subprocess.run(["umount", "-l", str(notes)], capture_output=True)


@pytest.mark.parametrize("way_out", ["TERM", "quit-and-lose", "save-elsewhere"])
def test_notes_typed_while_both_disks_are_full_are_kept_elsewhere_and_taken_back(terminal, tmp_path, full_disks, user_cache, way_out):
    state, notes = full_disks
    term = terminal("run", agenda(tmp_path), "--state-dir", str(state), "--notes-dir", str(notes), "--no-bell")
    term.wait_for("espace pour démarrer")
    term.send(" ")
    term.wait_for("reste 09:5")
    fill(state, "filler")
    fill(notes, "filler")
    typed = [f"sans place {n} " + "-" * 60 for n in range(40)]
    term.send("i" + "".join(note + "\r" for note in typed) + "\x1b")
    term.wait_for("Enregistrement impossible")
    leave_the_note_line(term, "sans place 39")
    if way_out == "TERM":
        term.send("?")  # keys are taken in order: once the help shows, every note was typed
        term.wait_for("pour fermer")
        term.child.kill(signal.SIGTERM)
    else:
        term.send("q")
        asked = term.wait_for("réessayer").replace("\n", " ")
        (journal,) = (state / "sessions").glob("*.jsonl")
        on_disk = sum(note in journal.read_text() for note in typed)
        assert f"{len(typed) - on_disk} note(s)" in asked and on_disk < len(typed)
        if way_out == "quit-and-lose":
            term.send("l")
        else:
            term.send("s")
            term.wait_for("atelier-timer-unwritten")
            term.send(str(tmp_path / "clef") + "\r")
    term.child.expect(pexpect.EOF, timeout=10)
    said = (term.child.before or b"").decode(errors="replace")
    term.child.close()
    (copy,) = (user_cache / "atelier-timer" / "unwritten").glob("*.unwritten.jsonl")
    assert str(copy.name) in said.replace("\r\n", "")  # the path is said on stderr (the terminal here)
    env = term.child.env
    if way_out == "save-elsewhere":
        assert "clef" in said, said
        assert list((tmp_path / "clef").glob("*.unwritten.jsonl"))
        (saved,) = (tmp_path / "clef").glob("*.md")
        assert all(note in saved.read_text() for note in typed)
    out = tmp_path / "after.md"
    first = cli(env, tmp_path, "export", "--state-dir", str(state), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert all(note in out.read_text() for note in typed)
    subprocess.run(["rm", str(state / "filler")], check=True)  # room again: resume takes the copy back
    resumed = terminal("resume", "--state-dir", str(state), "--notes-dir", str(tmp_path / "notes2"), "--no-bell")
    resumed.wait_for("Quitter")  # the key bar: the resumed screen is up
    resumed.send("q")
    resumed.wait_for("Quitter la session")
    resumed.send("y")
    resumed.child.expect(pexpect.EOF, timeout=10)
    assert not copy.exists()  # in the journal now, so never taken twice
    (journal,) = (state / "sessions").glob("*.jsonl")
    text = journal.read_text()
    assert all(text.count(note) == 1 for note in typed)
    again = cli(env, tmp_path, "export", "--state-dir", str(state), "-o", str(tmp_path / "again.md"))
    assert again.returncode == 0 and all((tmp_path / "again.md").read_text().count(note) == 1 for note in typed)
