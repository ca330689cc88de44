"""The control channel between serve and run: commands validated, private files, one owner per command."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from atelier_timer import control


@pytest.mark.parametrize(
    "data,expected",
    [
        ({"command": "next"}, {"command": "next"}),
        ({"command": "toggle", "extra": "dropped"}, {"command": "toggle"}),
        ({"command": "note", "text": "  ! call the venue "}, {"command": "note", "text": "! call the venue", "author": None}),
        ({"command": "note", "text": "* ok", "author": " Lou "}, {"command": "note", "text": "* ok", "author": "Lou"}),
    ],
)
def test_valid_commands_keep_only_their_known_fields(data, expected) -> None:
    assert control.validate(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        "next",
        {"command": "shell"},
        {"command": "note"},
        {"command": "note", "text": "   "},
        {"command": "note", "text": "x" * 501},
        {"command": "note", "text": "two\nlines"},
        {"command": "note", "text": "ok", "author": 3},
    ],
)
def test_bad_commands_are_refused(data) -> None:
    with pytest.raises(control.CommandError):
        control.validate(data)


def test_commands_are_taken_in_order_from_a_private_inbox(tmp_path) -> None:
    first = control.send(tmp_path, "s1", {"command": "next"})
    control.send(tmp_path, "s1", {"command": "note", "text": "? why", "author": "Lou"})
    folder = control.inbox_dir(tmp_path, "s1")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    assert control.take(tmp_path, "s1") == [{"command": "next"}, {"command": "note", "text": "? why", "author": "Lou"}]
    assert os.listdir(folder) == [] and control.take(tmp_path, "s1") == []
    assert control.withdraw(first) is False  # taken: it was applied


def test_a_withdrawn_command_is_never_taken(tmp_path) -> None:
    sent = control.send(tmp_path, "s1", {"command": "next"})
    assert control.withdraw(sent) is True
    assert control.take(tmp_path, "s1") == []


def test_a_file_that_is_not_a_command_is_set_aside_and_named(tmp_path) -> None:
    folder = control.inbox_dir(tmp_path, "s1")
    folder.mkdir(parents=True)
    (folder / "1-a.json").write_text('{"command": "format_disk"}')
    (folder / "2-b.json").write_text("garbage")
    (folder / "3-c.json").write_bytes(b'{"command": "note", "text": "caf\xe9"}')  # Latin-1, not UTF-8
    taken = control.take(tmp_path, "s1")
    assert taken == []
    assert sorted(path.name for path in taken.set_aside) == ["1-a.json", "2-b.json", "3-c.json"]
    assert os.listdir(folder) == [control.SET_ASIDE]  # nothing left to trip over at the next wake-up
    assert (folder / control.SET_ASIDE / "3-c.json").read_bytes().endswith(b'caf\xe9"}')  # kept as it was


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_planted_fifo_is_set_aside_without_waiting_for_a_writer(tmp_path) -> None:
    folder = control.inbox_dir(tmp_path, "s1")
    folder.mkdir(parents=True)
    os.mkfifo(folder / "1-fifo.json")
    sent = control.send(tmp_path, "s1", {"command": "next"})
    taken = control.take(tmp_path, "s1")  # a blocking open would hang here forever
    assert taken == [{"command": "next"}] and not sent.exists()
    assert [path.name for path in taken.set_aside] == ["1-fifo.json"]
    assert stat.S_ISFIFO(os.lstat(folder / control.SET_ASIDE / "1-fifo.json").st_mode)


def test_a_planted_symlink_is_never_followed(tmp_path) -> None:
    target = tmp_path / "secret.json"
    target.write_text('{"command": "next"}')
    folder = control.inbox_dir(tmp_path, "s1")
    folder.mkdir(parents=True)
    (folder / "1-link.json").symlink_to(target)
    taken = control.take(tmp_path, "s1")
    assert taken == [] and [path.name for path in taken.set_aside] == ["1-link.json"]  # a command, but not one serve wrote
    assert target.read_text() == '{"command": "next"}' and os.path.islink(folder / control.SET_ASIDE / "1-link.json")


def test_a_command_past_its_time_is_never_applied(tmp_path, monkeypatch) -> None:
    sent = control.send(tmp_path, "s1", {"command": "next"}, within=1.0)
    later = time.time() + 2
    monkeypatch.setattr(control.time, "time", lambda: later)
    assert control.take(tmp_path, "s1") == []  # serve answered it as failed: it must not happen now
    assert control.withdraw(sent) is True  # still serve's to withdraw, so its answer stays true
    orphan = control.send(tmp_path, "s1", {"command": "next"}, within=1.0)
    monkeypatch.setattr(control.time, "time", lambda: later + control.ORPHANED + 5)
    assert control.take(tmp_path, "s1") == [] and not orphan.exists()  # no serve withdrew it: removed, unapplied


def test_controller_text_reaches_no_terminal_raw() -> None:
    command = control.validate({"command": "note", "text": "\x1b]2;pwned\x07 hi \x1b[2J\u202e\ud800", "author": "\x1b]52;c;eA==\x07Lou"})
    assert "\x1b" not in command["text"] + command["author"] and "\u202e" not in command["text"]
    assert command["text"] == "\\x1b]2;pwned\\x07 hi \\x1b[2J\\u202e\\ud800"  # shown as text, not obeyed
    assert command["author"] == "\\x1b]52;c;eA==\\x07Lou"


def test_a_lone_surrogate_leaves_no_temporary_file(tmp_path) -> None:
    control.send(tmp_path, "s1", {"command": "note", "text": "\ud800"})  # unvalidated: the writer copes all the same
    folder = control.inbox_dir(tmp_path, "s1")
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_the_links_of_a_running_server_are_read_back_privately(tmp_path) -> None:
    path = control.write_links(tmp_path, "s1", {"viewer": "http://127.0.0.1:8000/", "controller": "http://127.0.0.1:8000/control#t"})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert control.read_links(tmp_path, "s1")["controller"].endswith("#t")
    assert control.read_links(tmp_path, "other") is None


def test_messages_and_hiding_are_refused_as_unsupported_until_the_session_has_them(monkeypatch) -> None:
    from atelier_timer.session import Session

    for data in ({"command": "message", "text": "Pause"}, {"command": "hide"}):
        if control.supported(data["command"]):
            assert control.validate(data)["command"] == data["command"]
        else:
            with pytest.raises(control.CommandError, match="unsupported"):
                control.validate(data)
    monkeypatch.setattr(Session, "show_message", lambda self, text: None, raising=False)
    assert control.validate({"command": "message", "text": None}) == {"command": "message", "text": None}


def test_journals_records_and_the_state_dir_are_private(tmp_path) -> None:
    from atelier_timer.journal import Journal

    state = tmp_path / "state"
    journal = Journal.create(state, "title: x\n", "x.yaml", "x", time.time())
    journal.close()
    assert stat.S_IMODE(os.stat(journal.path).st_mode) == 0o600  # another account cannot read its notes
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(journal.path.parent).st_mode) == 0o700
    from atelier_timer.files import write_atomic

    write_atomic(tmp_path / "record.md", "notes", private=True)
    assert stat.S_IMODE(os.stat(tmp_path / "record.md").st_mode) == 0o600


async def test_send_wakes_the_listening_run_through_loopback_and_a_stranger_cannot(tmp_path) -> None:
    import asyncio
    import socket

    woken = asyncio.Event()
    waker = control.Waker(tmp_path, "s1", woken.set)
    wake = control.wake_file(tmp_path, "s1")
    assert stat.S_IMODE(os.stat(wake).st_mode) == 0o600 and wake.name.startswith(".")
    await asyncio.sleep(0)  # the endpoint joins the loop
    port = json.loads(wake.read_text())["port"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
        stranger.sendto(b"wake up", ("127.0.0.1", port))  # without the secret of the private file
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(woken.wait(), 0.2)
    control.send(tmp_path, "s1", {"command": "next"})
    await asyncio.wait_for(woken.wait(), 5)
    assert control.take(tmp_path, "s1") == [{"command": "next"}]
    waker.close()
    assert not wake.exists()
    control.send(tmp_path, "s1", {"command": "next"})  # nobody listens: sending still works, and wakes no one


def test_a_participants_vote_is_checked_and_only_the_participants_commands_pass_their_door() -> None:
    vote = {"command": "vote", "browser": "a" * 32, "measure": 2, "criterion": "usable", "points": 3, "extra": "x"}
    assert control.validate(vote, control.PARTICIPANT_COMMANDS) == {
        "command": "vote", "browser": "a" * 32, "measure": 2, "criterion": "usable", "points": 3,
    }
    assert control.validate(vote)["measure"] == 2  # run takes it from the inbox
    for wrong in ({"browser": "a b"}, {"measure": True}, {"criterion": "pretty"}, {"points": -1}, {"points": 99}):
        with pytest.raises(control.CommandError):
            control.validate({**vote, **wrong}, control.PARTICIPANT_COMMANDS)
    with pytest.raises(control.CommandError, match="unknown command"):
        control.validate({"command": "next"}, control.PARTICIPANT_COMMANDS)  # the controller's, not theirs
    with pytest.raises(control.CommandError, match="unknown command"):
        control.validate(vote, control.COMMANDS)  # the controller's page does not vote for the room
