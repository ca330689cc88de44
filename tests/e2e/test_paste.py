"""A real bracketed paste (what a terminal sends on Ctrl+Shift+V) into the installed command's note and message lines."""

from __future__ import annotations

import time

import pytest

from atelier_timer.journal import read_journal, sessions_dir

from .test_record_survives import agenda, cli

START, END = "\x1b[200~", "\x1b[201~"


def recorded(tmp_path, kind: str) -> list[str]:
    (path,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
    events = [event for event in read_journal(path).events if event["type"] == kind]
    return [event["note"]["text"] if kind == "note" else event["text"] for event in events]


def quit_and_export(term, tmp_path) -> str:
    time.sleep(0.3)  # an Escape just before would make this "q" an Alt+Q
    term.quit()
    out = tmp_path / "export.md"
    done = cli(term.child.env, tmp_path, "export", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out.read_text()


@pytest.mark.parametrize(
    ("pasted", "notes"),
    [
        ("Coller une note simple", ["Coller une note simple"]),
        ("\u202eRLO abc", ["\u202eRLO abc"]),
        ("la une\r\nla deux\nla trois\n", ["la une", "la deux", "la trois"]),
    ],
    ids=["one-line", "bidi", "three-lines"],
)
def test_a_bracketed_paste_is_each_line_one_note_once(terminal, tmp_path, pasted, notes):
    term = terminal("run", agenda(tmp_path), "--notes-dir", str(tmp_path / "notes"), "--no-bell")
    term.wait_for("espace pour démarrer")
    term.send(" ")
    term.wait_for("reste 09:5")
    term.send("i")
    term.send(START + pasted + END)
    term.send("\r\x1b")  # the last line waits for Enter; an empty line is no note
    deadline = time.monotonic() + 15  # a real program, read through its journal: bounded wait
    while len(recorded(tmp_path, "note")) < len(notes) and time.monotonic() < deadline:
        term.read()
    markdown = quit_and_export(term, tmp_path)
    assert recorded(tmp_path, "note") == notes
    for note in notes:
        assert markdown.count(note.lstrip("\u202e")) == 1


def test_a_bracketed_paste_in_the_message_line_shows_it_once(terminal, tmp_path):
    term = terminal("run", agenda(tmp_path), "--notes-dir", str(tmp_path / "notes"), "--no-bell")
    term.wait_for("espace pour démarrer")
    term.send(" ")
    term.wait_for("reste 09:5")
    term.send("m")
    term.send(START + "Pause café" + END + "\r")
    deadline = time.monotonic() + 15  # the stage draws it in block letters: read it through the journal
    while not recorded(tmp_path, "message") and time.monotonic() < deadline:
        term.read()
    quit_and_export(term, tmp_path)
    assert recorded(tmp_path, "message") == ["Pause café"]
