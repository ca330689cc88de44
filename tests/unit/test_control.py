"""The control channel between serve and run: commands validated, private files, one owner per command."""

from __future__ import annotations

import json
import os
import stat

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


def test_a_file_that_is_not_a_command_is_dropped(tmp_path) -> None:
    folder = control.inbox_dir(tmp_path, "s1")
    folder.mkdir(parents=True)
    (folder / "1-a.json").write_text('{"command": "format_disk"}')
    (folder / "2-b.json").write_text("garbage")
    assert control.take(tmp_path, "s1") == []
    assert os.listdir(folder) == []


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
