"""The installed command, end to end: start, notes of every kind, ``kill -9``, ``resume``, export."""

from __future__ import annotations

import re
import signal
import subprocess

from .conftest import command


def test_start_notes_kill_resume_export(terminal, tmp_path):
    notes_dir = tmp_path / "notes"
    first = terminal("run", "codev", "--notes-dir", str(notes_dir), "--no-bell")
    first.wait_for("espace pour démarrer")
    first.send(" ")
    first.wait_for("reste 09:5")
    first.send("i")
    for line in ("! relancer DGFiP", "* mesurer tôt", "? indicateur #1", "note simple"):
        first.send(line + "\r")
    first.send("\x1b")
    first.wait_for("note simple")
    screen = first.wait_for("reste 09:5")
    shown_before = int(re.search(r"écoulé 00:(\d\d)", screen).group(1))
    first.child.kill(signal.SIGKILL)
    first.child.wait()

    listing = subprocess.run(command() + ["sessions"], capture_output=True, text=True, cwd=tmp_path,
                             env=first.child.env, timeout=30)
    assert "interrupted" in listing.stdout and "Atelier impact" in listing.stdout

    second = terminal("resume", "--notes-dir", str(notes_dir), "--no-bell")
    second.wait_for("Session reprise")
    screen = second.wait_for("note simple")  # the notes pane comes right after the first frame
    for text in ("relancer DGFiP", "mesurer tôt", "indicateur #1", "note simple"):
        assert text in screen
    elapsed = int(re.search(r"écoulé 00:(\d\d)", screen).group(1))
    assert elapsed >= shown_before  # the time before the crash and while away counted
    assert "1/5" in screen
    second.send("e")
    second.wait_for("Notes exportées")
    second.quit()

    (record,) = notes_dir.glob("*-atelier-impact-co-developpement.md")
    markdown = record.read_text()
    assert "- [ ] \u2068relancer DGFiP\u2069" in markdown
    assert "mesurer tôt" in markdown
    assert "indicateur \\#1" in markdown
    assert "note simple" in markdown
    assert "| 1 | \u2068Intro et tour de table\u2069" in markdown
