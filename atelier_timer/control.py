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
import stat
import time
from collections.abc import Callable
from pathlib import Path

from atelier_timer.audience import (
    STATUSES,
    AudienceError,
    clean_browser,
    clean_question,
    clean_score,
)
from atelier_timer.journal import private_dir
from atelier_timer.keys import REMOTE_KEYS
from atelier_timer.measures import BROWSER, CRITERIA, MAX_POINTS
from atelier_timer.portable import O_BINARY, Lock, Locked, is_locked
from atelier_timer.safetext import printable
from atelier_timer.session import Session

COMMANDS = (*REMOTE_KEYS, "message", "note", "question", "roti")  # the keys the page may press (keys.py), and what it sends with a text
# what the participants' page may send (with its own token): a vote on the measures, a question, a ROTI vote
PARTICIPANT_COMMANDS = ("vote", "ask", "roti_vote")
ROTI_ACTIONS = ("open", "close", "reveal", "hide")
MAX_TEXT = 500  # characters of a note or a message
AUTHOR_MAX = 40
MAX_FILE = 16384  # bytes of a command file: anything larger is not one serve wrote
ORPHANED = 10.0  # seconds past its time after which a command no serve withdrew is removed unapplied
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has neither: no symlinks nor FIFOs to plant there by default
NO_WAIT = getattr(os, "O_NONBLOCK", 0)
SET_ASIDE = "set-aside"  # the inbox's subfolder for files that are not commands, kept for a look
# commands that need the session's messages and hiding (the room's feature): refused until it is there
_NEEDS = {"message": "show_message", "hide": "set_hidden"}


class CommandError(ValueError):
    """A command that is refused; the message is one line for the page."""


def clean(text: str) -> str:
    """Text from the network made safe for a terminal, a journal and a page: its control and bidi
    characters (an ``ESC ] 2 ;`` that retitles a terminal, a lone surrogate) shown as escapes."""
    return printable(text)


def supported(command: str) -> bool:
    """Whether this program's session knows the command (messages and hiding come with a later feature)."""
    return command in COMMANDS + PARTICIPANT_COMMANDS and (command not in _NEEDS or hasattr(Session, _NEEDS[command]))


def validate(data: object, allowed: tuple[str, ...] = COMMANDS + PARTICIPANT_COMMANDS) -> dict:
    """The command as it will be applied, with only its known fields, or CommandError.

    ``allowed``: the commands the sender may give (the controller's, the participants'); ``run``
    takes any of them from the inbox, which only ``serve`` writes.
    """
    if not isinstance(data, dict) or not isinstance(data.get("command"), str):
        raise CommandError("a command is a JSON object with a 'command' name")
    name = data["command"]
    if name not in allowed:
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
            command["text"] = clean(text.strip())
    if name in ("question", "roti", "ask", "roti_vote"):
        command.update(_audience_fields(name, data))
    if name == "note":
        author = data.get("author")
        if author is not None and (not isinstance(author, str) or len(author) > AUTHOR_MAX or "\n" in author):
            raise CommandError(f"'author' must be one line of at most {AUTHOR_MAX} characters")
        command["author"] = clean((author or "").strip()) or None
    if name == "vote":
        command.update(_vote(data))
    return command


def _audience_fields(name: str, data: dict) -> dict:
    """The fields of a moderation, ROTI, question or vote command, cleaned by the audience's own rules."""
    try:
        if name == "question":
            question, status = data.get("id"), data.get("status")
            if not isinstance(question, int) or isinstance(question, bool) or question < 1 or status not in STATUSES[1:]:
                raise CommandError("'id' must be a question's number and 'status' shown, answered or dropped")
            return {"id": question, "status": status}
        if name == "roti":
            if data.get("do") not in ROTI_ACTIONS:
                raise CommandError(f"'do' must be one of {', '.join(ROTI_ACTIONS)}")
            return {"do": data["do"]}
        if name == "ask":
            text, asker = clean_question(data.get("text"), data.get("name"))
            return {"browser": clean_browser(data.get("browser")), "text": text, "name": asker}
        return {"browser": clean_browser(data.get("browser")), "score": clean_score(data.get("score"))}
    except AudienceError as error:
        raise CommandError(str(error)) from None
def _vote(data: dict) -> dict:
    """A participant's points on one measure and criterion, from one browser (the rules are the session's)."""
    browser, measure, criterion, points = (data.get(k) for k in ("browser", "measure", "criterion", "points"))
    if not isinstance(browser, str) or not BROWSER.fullmatch(browser):
        raise CommandError("'browser' must be the page's id (16 to 64 letters, digits, - or _)")
    if not isinstance(measure, int) or isinstance(measure, bool) or not 1 <= measure <= 1000:
        raise CommandError("'measure' must be a measure's number")
    if criterion not in CRITERIA:
        raise CommandError(f"'criterion' must be one of {', '.join(CRITERIA)}")
    if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= MAX_POINTS:
        raise CommandError(f"'points' must be a whole number from 0 to {MAX_POINTS}")
    return {"browser": browser, "measure": measure, "criterion": criterion, "points": points}


def inbox_dir(state_dir: Path, session_id: str) -> Path:
    return Path(state_dir) / "control" / session_id


def servers_file(state_dir: Path, session_id: str, pid: int | None = None) -> Path:
    """The links file of one server (``pid``, this process by default): each serve has its own."""
    return Path(state_dir) / "servers" / f"{session_id}@{pid or os.getpid()}.json"


def _write_private(path: Path, data: dict) -> None:
    """Write a 0600 file whole: through a hidden temporary name the reader skips, then renamed.

    Whatever fails (a full disk, text JSON cannot encode), no temporary file is left behind.
    """
    private_dir(path.parent)
    body = json.dumps(data, ensure_ascii=True).encode("ascii")  # ASCII: a lone surrogate cannot stop it
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW | O_BINARY, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(body)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def send(state_dir: Path, session_id: str, command: dict, within: float = 1.0) -> Path:
    """Drop a validated command into the session's inbox and wake ``run``; the file, to wait on or withdraw.

    The file says until when it may be applied: a ``run`` that wakes later (or a ``serve`` killed
    while it waited) never applies a command its sender was told had failed.
    """
    path = inbox_dir(state_dir, session_id) / f"{time.time_ns():020d}-{os.urandom(4).hex()}.json"
    _write_private(path, {**command, "expires": round(time.time() + within, 3)})
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


class Taken(list):
    """The commands taken from an inbox, in order; ``set_aside``: the files that were not commands."""

    def __init__(self) -> None:
        super().__init__()
        self.set_aside: list[Path] = []


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a small regular file: never follows a symlink, never waits on a FIFO."""
    if not NO_FOLLOW and stat.S_ISLNK(os.lstat(path).st_mode):  # no O_NOFOLLOW (Windows): look before opening
        raise CommandError("not a command file")
    descriptor = os.open(path, os.O_RDONLY | NO_FOLLOW | NO_WAIT | O_BINARY)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE:
            raise CommandError("not a command file")
        return os.read(descriptor, MAX_FILE + 1)
    finally:
        os.close(descriptor)


def _set_aside(path: Path) -> Path | None:
    """Move a file that is not a command out of the way, kept for a look; where it went (None: gone)."""
    folder = path.parent / SET_ASIDE
    try:
        private_dir(folder)
        kept = folder / path.name
        os.replace(path, kept)  # renames the entry itself: a symlink's target is never touched
        return kept
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None


def take(state_dir: Path, session_id: str) -> Taken:
    """The commands waiting in the inbox, oldest first, each deleted as it is taken.

    A file withdrawn meanwhile is skipped; one past its time is never applied (left for serve to
    withdraw, removed once no serve did); one that is not a
    command serve wrote (not a regular file, a symlink, a FIFO, not UTF-8 JSON, not a valid command)
    is moved to the inbox's ``set-aside`` folder and named in ``set_aside``. Never raises.
    """
    taken = Taken()
    folder = inbox_dir(state_dir, session_id)
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".json") and not name.startswith("."))
    except OSError:  # no inbox: no server ever sent anything
        return taken
    for name in names:
        path = folder / name
        try:
            raw = _read_regular(path)
            data = json.loads(raw.decode("utf-8"))
            expires = data.get("expires") if isinstance(data, dict) else None
            command = validate(data)
        except FileNotFoundError:
            continue  # withdrawn by serve meanwhile
        except (OSError, ValueError, RecursionError, CommandError):  # UnicodeDecodeError is a ValueError
            kept = _set_aside(path)
            if kept is not None:
                taken.set_aside.append(kept)
            continue
        late = isinstance(expires, (int, float)) and time.time() > expires
        if late and time.time() < expires + ORPHANED:
            continue  # past its time: serve withdraws it and answers that it failed
        try:
            os.unlink(path)  # taken: from here serve knows it is applied
        except OSError:
            continue
        if not late:  # a late one left behind by a serve that died is only removed
            taken.append(command)
    return taken


def write_links(state_dir: Path, session_id: str, links: dict) -> Path:
    """Record the links a server serves for a session (read by ``run``'s ``w``); the file.

    The server holds a lock on ``<file>.lock`` until it exits, however it ends, which tells that it
    still runs (never a process id, which Windows' ``os.kill`` would end).
    """
    path = servers_file(state_dir, session_id)
    private_dir(path.parent)
    if path not in _serving:
        _serving[path] = Lock(path.with_name(path.name + ".lock"))
    _write_private(path, links)
    return path


def read_links(state_dir: Path, session_id: str) -> dict | None:
    """The links of a server that runs now for the session, else None (no file, or its server is gone)."""
    folder = Path(state_dir) / "servers"
    try:
        names = sorted(name for name in os.listdir(folder) if name.startswith(session_id + "@") and name.endswith(".json"))
    except OSError:
        return None
    for name in names:
        path = folder / name
        try:
            data = json.loads(_read_regular(path).decode("utf-8"))
        except (OSError, ValueError, CommandError):
            continue
        if isinstance(data, dict) and is_locked(path.with_name(path.name + ".lock")):
            return data
    return None


_serving: dict[Path, Lock] = {}  # the locks of the links this process serves, held until it exits


def qr_text(url: str, border: int = 2) -> str:
    """A QR code of ``url`` in half blocks, to scan from a terminal (light modules drawn, so light on dark)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True, border=border)
    return out.getvalue()


class Presence:
    """The small private file (``open/PID.json``, 0600) that says a ``run`` is open in this state dir,
    with its agenda, even before its journal exists (no space pressed yet, or a disk that refuses it),
    so that ``serve`` started while people arrive serves that session and no older one."""

    def __init__(self, state_dir: Path, agenda_yaml: str, agenda_source: str, slot: dict | None) -> None:
        self.path = Path(state_dir) / "open" / f"{os.getpid()}.json"
        self.data = {"pid": os.getpid(), "agenda_yaml": agenda_yaml, "agenda_source": agenda_source, "slot": slot, "session": None}

    def announce(self, session_id: str | None = None) -> None:
        """Write (or rewrite, once the journal exists) the file; a disk that refuses it only costs serve's early view.

        A lock on ``<file>.lock``, held until the run exits however it ends, tells that it still runs.
        """
        if session_id is not None and self.data["session"] == session_id:
            return
        self.data["session"] = session_id
        try:
            _write_private(self.path, self.data)
            if self.path not in _serving:
                _serving[self.path] = Lock(self.path.with_name(self.path.name + ".lock"))
        except (OSError, Locked):
            pass

    def retract(self) -> None:
        withdraw(self.path)
        held = _serving.pop(self.path, None)
        if held is not None:
            held.release()
        withdraw(self.path.with_name(self.path.name + ".lock"))


def read_presence(path: Path) -> dict | None:
    """What a run's presence file says (None once its run quit or died)."""
    try:
        data = json.loads(_read_regular(path).decode("utf-8"))
    except (OSError, ValueError, CommandError):
        return None
    return data if isinstance(data, dict) and is_locked(path.with_name(path.name + ".lock")) else None


def open_runs(state_dir: Path) -> list[dict]:
    """What the ``run`` programs open now in the state dir announce (with ``path``), the latest started first."""
    folder = Path(state_dir) / "open"
    try:
        paths = [folder / name for name in os.listdir(folder) if name.endswith(".json") and not name.startswith(".")]
    except OSError:
        return []
    runs = []
    for path in paths:
        data = read_presence(path)
        try:
            if data is not None:
                runs.append((os.stat(path).st_mtime_ns, {**data, "path": path}))
        except OSError:
            continue
    return [data for _, data in sorted(runs, key=lambda pair: pair[0], reverse=True)]
