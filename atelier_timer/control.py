"""The control channel: commands from ``serve``'s controller page to the running ``run`` (no Textual).

The journal keeps a single writer, the ``run`` that holds it open. ``serve`` never touches it: it
drops each command as a small JSON file into the session's inbox, a folder of the state dir that only
the user can open (mode 0700, files 0600), then wakes ``run`` with a datagram to the loopback port
``run`` names in that folder (``.wake``, :class:`Waker`), on every platform; ``run`` takes each file
(deletes it) and applies the command through the same actions as its keys, so the journal records it
as if typed. Nothing is polled: a timer that no one drives costs nothing more. A command not taken
within a second is withdrawn by ``serve`` (it deletes its file), so a timer that was away never
applies a stale one later: whoever deletes the file owns the command.

``serve`` also writes the links it serves to ``servers/SESSION.json`` (mode 0600), for ``run`` to show.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from atelier_timer.portable import O_BINARY, Lock, is_locked
from atelier_timer.session import Session

COMMANDS = ("toggle", "next", "previous", "add_minute", "remove_minute", "message", "hide", "note")
MAX_TEXT = 500  # characters of a note or a message
AUTHOR_MAX = 40
# commands that need the session's messages and hiding (the room's feature): refused until it is there
_NEEDS = {"message": "show_message", "hide": "set_hidden"}


class CommandError(ValueError):
    """A command that is refused; the message is one line for the page."""


def supported(command: str) -> bool:
    """Whether this program's session knows the command (messages and hiding come with a later feature)."""
    return command in COMMANDS and (command not in _NEEDS or hasattr(Session, _NEEDS[command]))


def validate(data: object) -> dict:
    """The command as it will be applied, with only its known fields, or CommandError."""
    if not isinstance(data, dict) or not isinstance(data.get("command"), str):
        raise CommandError("a command is a JSON object with a 'command' name")
    name = data["command"]
    if name not in COMMANDS:
        raise CommandError(f"unknown command {name[:40]!r}")
    if not supported(name):
        raise CommandError(f"unsupported command {name!r} in this version")
    command: dict = {"command": name}
    if name in ("note", "message"):
        text = data.get("text")
        if name == "message" and text is None:  # clears the message
            command["text"] = None
        elif not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT or "\n" in text.strip():
            raise CommandError(f"'text' must be one line of 1 to {MAX_TEXT} characters")
        else:
            command["text"] = text.strip()
    if name == "note":
        author = data.get("author")
        if author is not None and (not isinstance(author, str) or len(author) > AUTHOR_MAX or "\n" in author):
            raise CommandError(f"'author' must be one line of at most {AUTHOR_MAX} characters")
        command["author"] = (author or "").strip() or None
    return command


def _private_dir(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode is masked, and the folder may already exist
    return folder


def inbox_dir(state_dir: Path, session_id: str) -> Path:
    return Path(state_dir) / "control" / session_id


def servers_file(state_dir: Path, session_id: str) -> Path:
    return Path(state_dir) / "servers" / f"{session_id}.json"


def _write_private(path: Path, data: dict) -> None:
    """Write a 0600 file whole: through a hidden temporary name the reader skips, then renamed."""
    _private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False)
    os.replace(temporary, path)


def send(state_dir: Path, session_id: str, command: dict) -> Path:
    """Drop a validated command into the session's inbox and wake ``run``; the file, to wait on or withdraw."""
    path = inbox_dir(state_dir, session_id) / f"{time.time_ns():020d}-{os.urandom(4).hex()}.json"
    _write_private(path, command)
    _wake(state_dir, session_id)
    return path


def wake_file(state_dir: Path, session_id: str) -> Path:
    """Where ``run`` says which loopback port it listens on (its name starts with a dot: never a command)."""
    return inbox_dir(state_dir, session_id) / ".wake"


class Waker(asyncio.DatagramProtocol):
    """``run``'s end of the wake-up: a loopback UDP socket on the event loop, on every platform.

    Its port and a random secret are in the inbox's private ``.wake`` file; a datagram that does not
    carry the secret wakes nothing. One wake-up may stand for several commands: ``woken`` takes them all.
    """

    def __init__(self, state_dir: Path, session_id: str, woken: Callable[[], None]) -> None:
        self._woken = woken
        self._secret = os.urandom(16).hex().encode()
        self._transport: asyncio.BaseTransport | None = None
        self._closed = False
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind(("127.0.0.1", 0))
            self.path = wake_file(state_dir, session_id)
            _write_private(self.path, {"port": sock.getsockname()[1], "secret": self._secret.decode()})
        except OSError:
            sock.close()
            raise
        loop = asyncio.get_running_loop()
        # kept: a task that nobody holds may be collected before it is done
        self._joining = loop.create_task(loop.create_datagram_endpoint(lambda: self, sock=sock))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        if self._closed:
            transport.close()

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        if data == self._secret:
            self._woken()

    def error_received(self, exc: Exception) -> None:
        pass  # a datagram that could not be taken: the commands wait in the inbox for the next one

    def close(self) -> None:
        """Stop listening and withdraw the ``.wake`` file; never raises."""
        self._closed = True
        if self._transport is not None:
            self._transport.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def _wake(state_dir: Path, session_id: str) -> None:
    """Wake the ``run`` that listens for this session, if one does (else the command is withdrawn in time)."""
    try:
        descriptor = os.open(wake_file(state_dir, session_id), os.O_RDONLY | O_BINARY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as stream:
            data = json.loads(stream.read(4096))
        port, secret = int(data["port"]), str(data["secret"]).encode()
    except (OSError, ValueError, KeyError, TypeError):  # no run listening, or not its file
        return
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(secret, ("127.0.0.1", port))
        except OSError:  # nobody there any more
            pass


def withdraw(path: Path) -> bool:
    """Take a command back; False when ``run`` had already taken it (then it is applied)."""
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


def take(state_dir: Path, session_id: str) -> list[dict]:
    """The commands waiting in the inbox, oldest first, each deleted as it is taken.

    A file that cannot be taken (withdrawn meanwhile) or is not a valid command is dropped.
    """
    folder = inbox_dir(state_dir, session_id)
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".json") and not name.startswith("."))
    except OSError:  # no inbox: no server ever sent anything
        return []
    commands = []
    for name in names:
        path = folder / name
        try:
            text = path.read_text(encoding="utf-8")
            os.unlink(path)  # taken: from here serve knows it is applied
        except OSError:
            continue
        try:
            commands.append(validate(json.loads(text)))
        except (ValueError, CommandError):
            continue
    return commands


def write_links(state_dir: Path, session_id: str, links: dict) -> Path:
    """Record the links a server serves for a session (read by ``run``'s ``w``); the file.

    The server holds a lock on ``<file>.lock`` until it exits, however it ends, which tells that it
    still runs (never a process id, which Windows' ``os.kill`` would end).
    """
    path = servers_file(state_dir, session_id)
    _private_dir(path.parent)
    if path not in _serving:
        _serving[path] = Lock(path.with_name(path.name + ".lock"))
    _write_private(path, links)
    return path


def read_links(state_dir: Path, session_id: str) -> dict | None:
    """The links of a server that runs now for the session, else None (no file, or its server is gone)."""
    path = servers_file(state_dir, session_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and is_locked(path.with_name(path.name + ".lock")) else None


_serving: dict[Path, Lock] = {}  # the locks of the links this process serves, held until it exits


def qr_text(url: str, border: int = 2) -> str:
    """A QR code of ``url`` in half blocks, to scan from a terminal (light modules drawn, so light on dark)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True, border=border)
    return out.getvalue()
