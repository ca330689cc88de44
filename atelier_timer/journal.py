"""The session journal: one append-only JSON Lines file per session, fsynced per event.

The first line is a header (program version, start time, the agenda's YAML as it was); each later
line is one event from :class:`atelier_timer.session.Session`. A session that is open holds an
exclusive ``flock`` on its journal, so other processes can tell a live session from one whose
program died (the kernel drops the lock with the process, even after ``kill -9``).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from atelier_timer import __version__

FORMAT = 1
SUFFIX = ".jsonl"
STATE_DIR_ENV = "ATELIER_TIMER_STATE_DIR"
LIVE_STATES = ("running", "paused")  # sessions a program has open: what the viewers follow


class JournalError(Exception):
    """A journal that cannot be found, read or written; the message is one line for the user."""


def default_state_dir() -> Path:
    """``$ATELIER_TIMER_STATE_DIR``, else the user state dir of the platform."""
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_state_dir

    return Path(user_state_dir("atelier-timer", appauthor=False))


def sessions_dir(state_dir: Path) -> Path:
    return Path(state_dir) / "sessions"


class Journal:
    """An open journal that events are appended to."""

    def __init__(self, path: Path, handle) -> None:
        self.path = path
        self._handle = handle

    @property
    def session_id(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @classmethod
    def create(
        cls, state_dir: Path, agenda_yaml: str, agenda_source: str, slug: str, wall: float, slot: dict | None = None
    ) -> Journal:
        """Start a new session's journal, its header on disk before this returns; ``slot``: the booked slot's wall times."""
        folder = sessions_dir(state_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stem = datetime.fromtimestamp(wall).strftime("%Y%m%d-%H%M%S") + "-" + (slug[:40].strip("-") or "session")
            path, n = folder / (stem + SUFFIX), 1
            while True:
                try:
                    handle = open(path, "x", encoding="utf-8")
                    break
                except FileExistsError:
                    n += 1
                    path = folder / f"{stem}-{n}{SUFFIX}"
        except OSError as error:
            raise JournalError(f"{folder}: cannot create the session journal: {error.strerror or error}") from None
        journal = cls(path, handle)
        journal._lock()
        journal.append(
            {
                "type": "header",
                "format": FORMAT,
                "version": __version__,
                "wall": round(wall, 3),
                "agenda_source": agenda_source,
                "agenda_yaml": agenda_yaml,
                "slot": slot,
            }
        )
        _fsync_dir(folder)
        return journal

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """Append to an existing journal (``resume``); refuse one that another program holds open."""
        try:
            handle = open(path, "a", encoding="utf-8")
        except OSError as error:
            raise JournalError(f"{path}: cannot open the session journal: {error.strerror or error}") from None
        journal = cls(path, handle)
        journal._lock()
        return journal

    def _lock(self) -> None:
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.close()
            raise JournalError(f"{self.path}: this session is open in another atelier-timer") from None

    def append(self, event: dict) -> None:
        """Write one event and make it durable (flush + fsync) before returning."""
        self._handle.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()


@dataclass
class JournalRecord:
    """A journal as read back: its header, its events, and whether its last line was cut off."""

    path: Path
    header: dict
    events: list[dict]
    truncated: bool = False

    @property
    def session_id(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @property
    def last_wall(self) -> float:
        return self.events[-1]["wall"] if self.events else self.header["wall"]

    def last_state(self) -> dict | None:
        for event in reversed(self.events):
            if "state" in event:
                return event["state"]
        return None


def read_journal(path: Path) -> JournalRecord:
    """Read a journal back. A last line cut by a crash is dropped (``truncated``); any other bad line is an error."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise JournalError(f"{path}: cannot read the session journal: {error.strerror or error}") from None
    lines = raw.split(b"\n")
    complete = raw.endswith(b"\n")
    if complete:
        lines.pop()
    records, truncated = [], False
    for number, line in enumerate(lines, start=1):
        try:
            value = json.loads(line.decode("utf-8"))
            if not isinstance(value, dict) or "type" not in value:
                raise ValueError
        except ValueError:
            if number == len(lines) and not complete:
                truncated = True
                break
            raise JournalError(f"{path}:{number}: error: this journal line is damaged") from None
        records.append(value)
    if not records or records[0].get("type") != "header":
        raise JournalError(f"{path}:1: error: not an atelier-timer journal (no header)")
    return JournalRecord(path, records[0], records[1:], truncated)


def is_live(path: Path) -> bool:
    """Whether a running atelier-timer holds this journal open."""
    try:
        with open(path, "rb") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False
    except OSError:
        return False


@dataclass(frozen=True)
class SessionInfo:
    """A line of ``atelier-timer sessions``."""

    session_id: str
    path: Path
    title: str
    started: float
    last_event: float
    state: str  # running, paused, finished, interrupted
    slot: dict | None = None  # the booked slot's wall times {start, end}, when it had one


def session_state(record: JournalRecord, live: bool) -> str:
    state = record.last_state()
    if state and state["finished"]:
        return "finished"
    if live:
        return "running" if state and state["running"] else "paused"
    if record.events and record.events[-1]["type"] == "quit":
        return "paused"
    return "interrupted"


def journal_title(record: JournalRecord) -> str:
    """The agenda title from the header's YAML, without parsing the whole agenda."""
    match = re.search(r"^title:\s*(.+?)\s*$", record.header.get("agenda_yaml", ""), re.M)
    return match.group(1).strip("'\"") if match else record.header.get("agenda_source", "?")


def list_sessions(state_dir: Path) -> list[SessionInfo]:
    """Every readable session in the state dir, oldest first (damaged journals are skipped)."""
    infos = []
    for path in sorted(sessions_dir(state_dir).glob("*" + SUFFIX)):
        try:
            record = read_journal(path)
        except JournalError:
            continue
        state = session_state(record, is_live(path))
        started = (record.last_state() or {}).get("started") or record.header["wall"]
        slot = (record.last_state() or {}).get("slot") or record.header.get("slot")
        infos.append(SessionInfo(record.session_id, path, journal_title(record), started, record.last_wall, state, slot))
    return infos


def find_session(state_dir: Path, ref: str | None, states: tuple[str, ...] | None = None) -> Path:
    """The journal named by an id from ``sessions`` or a unique prefix of one; the latest when ``ref`` is None.

    ``states`` narrows the latest to sessions in those states. Anything that is not an id is refused.
    """
    infos = list_sessions(state_dir)
    if ref is None:
        candidates = [i for i in infos if states is None or i.state in states]
        if not candidates:
            wanted = " or ".join(states) if states else "recorded"
            raise JournalError(f"no {wanted} session in {sessions_dir(state_dir)}")
        return max(candidates, key=lambda i: (i.last_event, i.session_id)).path
    if not re.fullmatch(r"[\w.-]+", ref) or ref.startswith("."):
        raise JournalError(f"{ref!r} is not a session id (see 'atelier-timer sessions')")
    matches = [i for i in infos if i.session_id.startswith(ref)]
    exact = [i for i in matches if i.session_id == ref]
    if exact:
        return exact[0].path
    if not matches:
        raise JournalError(f"no session {ref!r} (see 'atelier-timer sessions')")
    if len(matches) > 1:
        raise JournalError(f"{ref!r} names {len(matches)} sessions; give more of the id")
    return matches[0].path


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
