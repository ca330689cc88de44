"""The session journal: one append-only JSON Lines file per session, fsynced per event.

The first line is a header (program version, start time, the agenda's YAML as it was); each later
line is one event from :class:`atelier_timer.session.Session`. A session that is open holds an
exclusive lock on its journal's side file ``<journal>.lock`` (:mod:`atelier_timer.portable`), so other
processes can tell a live session from one whose program died (the system drops the lock with the
process, even after ``kill -9``), on every platform.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from atelier_timer import __version__
from atelier_timer.errors import AtelierError
from atelier_timer.portable import O_BINARY, Lock, Locked, fsync_dir, is_locked
from atelier_timer.session import well_formed
from atelier_timer.texts import reason

if TYPE_CHECKING:
    import sqlite3

FORMAT = 2  # 2: every line ends with its checksum; 1 (before): no checksum, still read
CHECKED_FORMAT = 2
SUFFIX = ".jsonl"
STATE_DIR_ENV = "ATELIER_TIMER_STATE_DIR"
LIVE_STATES = ("running", "paused")  # sessions a program has open: what the viewers follow
LOCK_TRIES, LOCK_PAUSE = 20, 0.05  # a second for a viewer's passing probe to let go of the lock
MAX_LINES_SHOWN = 10  # damaged line numbers named in one warning
PRIVATE = 0o600  # journals hold confidential notes: only their user reads them


def private_dir(folder: Path) -> Path:
    """``folder`` made if needed, and it and the state dir above it readable by their user only (0700)."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for each in (folder, folder.parent):
        try:
            if os.stat(each).st_mode & 0o077:
                os.chmod(each, 0o700)  # mkdir's mode is masked, and the folder may be older
        except OSError:
            pass  # not ours to change: the files inside are 0600 all the same
    return folder


class JournalError(AtelierError):
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
    """An open journal that events are appended to, one whole line at a time.

    Writes go straight to the file descriptor (no buffer that could hold half a line after a failed
    write): a line the disk refuses is cut off again, so the file always ends on a whole event.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd
        self._size = os.fstat(fd).st_size  # bytes of whole lines on disk
        self._held: Lock | None = None  # the lock that says the session is live
        self.set_aside: Path | None = None  # where reopen put a damaged end of the file
        self.set_aside_lines: Path | None = None  # where reopen copied damaged lines before the end

    @property
    def session_id(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @classmethod
    def create(
        cls, state_dir: Path, agenda_yaml: str, agenda_source: str, slug: str, wall: float, slot: dict[str, Any] | None = None
    ) -> Journal:
        """Start a new session's journal, its header on disk before this returns; ``slot``: the booked slot's wall times."""
        folder = sessions_dir(state_dir)
        try:
            private_dir(folder)
            stem = datetime.fromtimestamp(wall).strftime("%Y%m%d-%H%M%S") + "-" + (slug[:40].strip("-") or "session")
            path, n = folder / (stem + SUFFIX), 1
            while True:
                try:
                    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | O_BINARY, PRIVATE)
                    break
                except FileExistsError:
                    n += 1
                    path = folder / f"{stem}-{n}{SUFFIX}"
        except OSError as error:
            raise JournalError(f"{folder}: cannot create the session journal: {reason(error)}") from None
        journal = cls(path, fd)
        header = {
            "type": "header",
            "format": FORMAT,
            "version": __version__,
            "wall": round(wall, 3),
            "agenda_source": agenda_source,
            "agenda_yaml": agenda_yaml,
            "slot": slot,
        }
        try:
            journal._lock()
            journal.append(header)
            fsync_dir(folder)
        except (OSError, JournalError) as error:
            journal.discard()  # an empty journal would be a session nobody can list or resume
            if isinstance(error, JournalError):
                raise
            raise JournalError(f"{path}: cannot write the session journal: {reason(error)}") from None
        return journal

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """Append to an existing journal (``resume``); refuse one that another program holds open.

        A damaged end (a line cut by a crash, NUL bytes left by a power loss) is first copied to a
        side file kept next to the journal (``set_aside``), then cut off, so that the new events
        follow the last good one.
        """
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | O_BINARY)
        except OSError as error:
            raise JournalError(f"{path}: cannot open the session journal: {reason(error)}") from None
        journal = cls(Path(path), fd)
        try:
            journal._lock()
            journal._repair()
        except OSError as error:
            journal.close()
            raise JournalError(f"{path}: cannot repair the session journal: {reason(error)}") from None
        except JournalError:
            journal.close()
            raise
        return journal

    def _lock(self) -> None:
        # A few tries: a viewer probing whether the session is live holds a shared lock for an instant.
        for _ in range(LOCK_TRIES):
            try:
                self._held = Lock(lock_path(self.path))
                return
            except Locked:
                time.sleep(LOCK_PAUSE)
        raise JournalError(f"{self.path}: this session is open in another atelier-timer")

    def _repair(self) -> None:
        """Set a damaged end aside and cut the file back to its last good line, durably."""
        raw = _read_all(self._fd)
        record = _parse(self.path, raw)
        good = record.good_size
        if record.damaged:  # lines whose checksum failed stay skipped in place; a copy is kept aside, once
            lines = raw.split(b"\n")
            damaged = b"".join(b"%d:" % n + lines[n - 1] + b"\n" for n in record.damaged)
            kept = [side.read_bytes() for side in self.path.parent.glob(f"{self.path.name}.damaged-*")]
            if damaged not in kept:
                self.set_aside_lines = _keep_aside(self.path, damaged)
        if good < len(raw):
            self.set_aside = _keep_aside(self.path, raw[good:])
            os.ftruncate(self._fd, good)
            raw = raw[:good]
        self._size = len(raw)
        if raw and not raw.endswith(b"\n"):  # a whole last event that only lacks its newline
            self._write(b"\n")
        os.fsync(self._fd)
        fsync_dir(self.path.parent)

    @property
    def deleted(self) -> bool:
        """Whether the journal's file was removed from its folder while open."""
        return os.fstat(self._fd).st_nlink == 0

    def recreate(self) -> None:
        """Put the journal back at its path, whole, after it was deleted (the open file still holds it)."""
        raw = _read_all(self._fd)[: self._size]
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        fd = os.open(temporary, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC | O_BINARY, PRIVATE)
        try:
            _write_all(fd, raw)
            os.fsync(fd)
            os.replace(temporary, self.path)
            fsync_dir(self.path.parent)
        except OSError:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise
        os.close(self._fd)
        self._fd = fd

    def write(self, event: dict[str, Any]) -> None:
        """Write one event as one line (not yet fsynced); on failure nothing of it stays in the file."""
        self._write(journal_line(event))

    def _write(self, data: bytes) -> None:
        try:
            _write_all(self._fd, data)
        except OSError:
            try:
                os.ftruncate(self._fd, self._size)  # no half line for the next event to follow
            except OSError:
                pass  # the reader drops a cut last line, and reopen sets it aside
            raise
        self._size += len(data)

    def sync(self) -> None:
        """Make what was written durable."""
        os.fsync(self._fd)

    def append(self, event: dict[str, Any]) -> None:
        """Write one event and make it durable before returning."""
        self.write(event)
        self.sync()

    def close(self) -> None:
        """Close the file (and drop the lock); never raises."""
        if self._fd >= 0:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = -1
        if self._held is not None:
            self._held.release()
            self._held = None

    def discard(self) -> None:
        """Close the journal and remove it, with its lock: a session that leaves no trace."""
        self.close()
        self.path.unlink(missing_ok=True)
        try:
            lock_path(self.path).unlink(missing_ok=True)
        except OSError:  # a viewer probing it at this instant (Windows keeps an open file): left, empty
            pass


class Recorder:
    """Takes a session's events to its journal, and keeps in memory, in order, those the disk refused.

    The journal is created at the first event (``open_journal``), so opening the timer and quitting
    leaves no trace. When a write fails (a full disk, a folder made read-only, a deleted journal),
    ``problem`` says why in one line and the event waits in ``pending``; every later call tries
    again, so the events reach the file, in order, as soon as it can take them.
    """

    def __init__(self, journal: Journal | None = None, open_journal: Callable[[], Journal] | None = None) -> None:
        self.journal = journal
        self._open_journal = open_journal
        self.pending: list[dict[str, Any]] = []
        self.problem: str | None = None
        self.recreated = False  # the journal was deleted while open, and written again whole
        self._unsynced = False

    def write(self, event: dict[str, Any]) -> None:
        """Queue an event and write what the file can take now (durable only after :meth:`sync`)."""
        if self.journal is None and self._open_journal is None:
            return  # a session without a journal (tests, viewers)
        self.pending.append(event)
        self._write_pending()

    def __call__(self, event: dict[str, Any]) -> None:
        """Record one event durably (write and sync): a session's ``record``."""
        self.write(event)
        self.sync()

    def _write_pending(self) -> bool:
        try:
            if self.journal is None and self._open_journal is not None:
                if not self.pending:
                    return True
                self.journal = self._open_journal()
            if self.journal is None:
                return True
            if self.journal.deleted:
                self.journal.recreate()
                self.recreated = True
            while self.pending:
                self.journal.write(self.pending[0])
                self.pending.pop(0)
                self._unsynced = True
        except (OSError, JournalError) as error:
            self.problem = reason(error) if isinstance(error, OSError) else str(error)
            return False
        return True

    def sync(self) -> bool:
        """Write what waits and make it durable; whether everything recorded is now on disk."""
        if not self._write_pending():
            return False
        if self._unsynced and self.journal is not None:
            try:
                self.journal.sync()
            except OSError as error:
                self.problem = reason(error)
                return False
            self._unsynced = False
        self.problem = None
        return True

    def close(self) -> None:
        """Last try to write what waits, then close; never raises (``pending`` says what stayed in memory)."""
        self.sync()
        if self.journal is not None:
            self.journal.close()


@dataclass
class JournalRecord:
    """A journal as read back: its header, its good events, and what was skipped.

    ``damaged`` holds the numbers of the lines that were skipped before the last good one; bytes
    after the last good line (a line cut by a crash, NUL bytes) make ``truncated``.
    """

    path: Path
    header: dict[str, Any]
    events: list[dict[str, Any]]
    lines: list[int] = field(default_factory=list)  # the line number of each event
    damaged: list[int] = field(default_factory=list)
    good_size: int = 0  # bytes up to the end of the last good line
    size: int = 0

    @property
    def truncated(self) -> bool:
        return self.good_size < self.size

    @property
    def session_id(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @property
    def last_wall(self) -> float:
        return cast(float, self.events[-1]["wall"] if self.events else self.header["wall"])

    def last_state(self) -> dict[str, Any] | None:
        for event in reversed(self.events):
            if "state" in event:
                return cast("dict[str, Any]", event["state"])
        return None

    def damage_report(self) -> str | None:
        """One line saying what was skipped, or None when the journal is whole."""
        parts = []
        if self.damaged:
            shown = ", ".join(map(str, self.damaged[:MAX_LINES_SHOWN])) + (", …" if len(self.damaged) > MAX_LINES_SHOWN else "")
            parts.append(f"damaged line{'s' if len(self.damaged) > 1 else ''} {shown} skipped")
        if self.truncated:
            parts.append(f"a damaged end ({self.size - self.good_size} bytes) skipped")
        return f"{self.path}: warning: {'; '.join(parts)}" if parts else None


def read_journal(path: Path, fd: int | None = None) -> JournalRecord:
    """Read a journal back, keeping every good event; damaged lines are skipped and listed, never an error.

    ``fd``: a descriptor open on it, read instead of opening the file again.

    Only a journal whose header cannot be read is refused (:class:`JournalError`).
    """
    path = Path(path)
    try:
        raw = _read_all(fd) if fd is not None else path.read_bytes()
    except OSError as error:
        raise JournalError(f"{path}: cannot read the session journal: {reason(error)}") from None
    return _parse(path, raw)


def _parse(path: Path, raw: bytes) -> JournalRecord:
    events, lines, bad = [], [], []
    header = None
    good_size = offset = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        end = offset + len(line)
        offset = end + 1
        if not line and end == len(raw):
            break  # after the final newline
        event = _event(line, checked=header is not None and header.get("format", 1) >= CHECKED_FORMAT)
        if number == 1:
            if event is None or event.get("type") != "header" or not isinstance(event.get("agenda_yaml"), str):
                raise JournalError(f"{path}:1: error: not an atelier-timer journal (no readable header)")
            header = event
        elif event is None or event.get("type") == "header":
            bad.append(number)
            continue
        else:
            events.append(event)
            lines.append(number)
        good_size = min(end + 1, len(raw))
    if header is None:
        raise JournalError(f"{path}:1: error: not an atelier-timer journal (empty)")
    last_good = lines[-1] if lines else 1
    damaged = [n for n in bad if n < last_good]
    return JournalRecord(path, header, events, lines, damaged, good_size, len(raw))


CHECKSUM_KEY = b',"crc":"'
CHECKSUM_TAIL = len(CHECKSUM_KEY) + 8 + 2  # ,"crc":"xxxxxxxx"}


def journal_line(event: dict[str, Any]) -> bytes:
    """One event as its journal line: compact JSON whose last member is the CRC-32 of the line without it.

    The line stays one JSON object (JSON Lines); the checksum covers the exact bytes before it, so any
    byte changed on the line (a digit of a time, a letter of a note) is found when it is read back.
    """
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body[:-1] + CHECKSUM_KEY + b"%08x" % zlib.crc32(body) + b'"}\n'


def _checksum_holds(line: bytes) -> bool:
    """Whether the line ends with a checksum, and it is the CRC-32 of the rest of the line."""
    tail = line[-CHECKSUM_TAIL:]
    if len(line) <= CHECKSUM_TAIL or not tail.startswith(CHECKSUM_KEY) or not tail.endswith(b'"}'):
        return False
    return tail[len(CHECKSUM_KEY) : -2] == b"%08x" % zlib.crc32(line[:-CHECKSUM_TAIL] + b"}")


def _event(line: bytes, checked: bool = True) -> dict[str, Any] | None:
    """The event on a journal line, or None when the line is damaged or not of an event's shape.

    A line with a checksum is trusted only when the checksum holds; a line without one only in a
    journal written before checksums (``checked`` False), or as the first line (the header says which).
    """
    has_checksum = line.endswith(b'"}') and CHECKSUM_KEY in line[-CHECKSUM_TAIL:]
    if (has_checksum or checked) and not _checksum_holds(line):
        return None
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON (a cut line, NUL bytes, flipped bits)
        return None
    if isinstance(value, dict):
        value.pop("crc", None)
    if isinstance(value, dict) and value.get("type") == "header" and value.get("format", 1) >= CHECKED_FORMAT and not has_checksum:
        return None  # a header of this format always has its checksum: a flip hid it
    return value if well_formed(value) else None


def lock_path(path: Path) -> Path:
    """The side file whose lock says a journal is open (never listed as a session)."""
    return Path(path).with_name(Path(path).name + ".lock")


class WriterProbe:
    """Whether a running atelier-timer holds a journal open, asked again and again through one
    connection kept open: a server out of file descriptors can still tell (no new one while live)."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self._probe: sqlite3.Connection | None = None

    def holds(self) -> bool:
        import sqlite3

        try:
            if self._probe is None:
                self._probe = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
            self._probe.execute("SELECT count(*) FROM sqlite_master").fetchall()  # a shared lock, for an instant
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return True
        except sqlite3.Error:
            pass
        self.close()  # not held: the next look opens it afresh (the lock file may be a new one)
        return False

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None


def is_live(path: Path) -> bool:
    """Whether a running atelier-timer holds this journal open."""
    return is_locked(lock_path(path))


Stamp = tuple[int, int, int]  # a file's inode, size and modification time (ns): what a tail looks at


class Tail:
    """A journal read by another program as it grows: ``follow``'s screen and ``serve``'s pages.

    Each look is a ``stat`` (nothing read); the journal is read again, whole, only when its stamp
    changed since the last read. ``hold_open``: read through one descriptor kept open (``serve``:
    a server out of file descriptors still reads it), opened again when the path holds another
    file (written again whole after a deletion).
    """

    def __init__(self, path: Path, *, hold_open: bool = False) -> None:
        self.path = Path(path)
        self.seen: Stamp | None = None  # the stamp of the last read
        self.record: JournalRecord | None = None  # what the last read found
        self._fd = os.open(self.path, os.O_RDONLY | O_BINARY) if hold_open else -1

    def look(self) -> Stamp | None:
        """The file's stamp now; None while nothing is at the path (moved, deleted)."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
        if self._fd >= 0 and stamp[0] != os.fstat(self._fd).st_ino:
            try:
                fd = os.open(self.path, os.O_RDONLY | O_BINARY)
            except OSError:
                return stamp  # out of descriptors for now: the next look tries again
            os.close(self._fd)
            self._fd = fd
        return stamp

    def changed(self, stamp: Stamp | None) -> bool:
        """Whether a look's stamp says the journal is not what was last read."""
        return stamp is not None and stamp != self.seen

    def read(self, stamp: Stamp | None) -> JournalRecord:
        """The journal read again, as of the look that gave ``stamp`` (``JournalError`` when its header
        cannot be read: the last record stays, and the next look tries again)."""
        record = read_journal(self.path, self._fd if self._fd >= 0 else None)
        self.seen, self.record = stamp, record
        return record

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class SessionInfo(NamedTuple):
    """A line of ``atelier-timer sessions``."""

    session_id: str
    path: Path
    title: str
    started: float
    last_event: float
    state: str  # running, paused, finished, interrupted
    live: bool = False  # a program has it open now
    warning: str | None = None  # what of its journal was damaged and skipped
    slot: dict[str, Any] | None = None  # the booked slot's wall times {start, end}, when it had one


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


def scan_sessions(state_dir: Path) -> tuple[list[SessionInfo], list[str]]:
    """Every readable session in the state dir, oldest first, and one line naming each unreadable journal."""
    infos, unreadable = [], []
    for path in sorted(sessions_dir(state_dir).glob("*" + SUFFIX)):
        try:
            record = read_journal(path)
        except JournalError as error:
            unreadable.append(str(error))
            continue
        live = is_live(path)
        started = (record.last_state() or {}).get("started") or record.header["wall"]
        slot = (record.last_state() or {}).get("slot") or record.header.get("slot")
        infos.append(
            SessionInfo(
                record.session_id,
                path,
                journal_title(record),
                started,
                record.last_wall,
                session_state(record, live),
                live,
                record.damage_report(),
                slot,
            )
        )
    return infos, unreadable


def list_sessions(state_dir: Path) -> list[SessionInfo]:
    """Every readable session in the state dir, oldest first."""
    return scan_sessions(state_dir)[0]


def find_session(
    state_dir: Path, ref: str | None, states: tuple[str, ...] | None = None, live: bool | None = None
) -> Path:
    """The journal named by an id from ``sessions`` or a unique prefix of one; the latest when ``ref`` is None.

    ``states`` (and ``live``, when given) narrow the latest to such sessions. Anything that is not an
    id is refused.
    """
    infos = list_sessions(state_dir)
    if ref is None:
        candidates = [i for i in infos if (states is None or i.state in states) and (live is None or i.live == live)]
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


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)  # not os.pread, which Windows lacks; appends still go to the end
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _keep_aside(path: Path, damaged: bytes) -> Path:
    """Copy a journal's damaged end to ``<journal>.damaged-N`` (never listed as a session), durably."""
    n = 1
    while True:
        side = path.with_name(f"{path.name}.damaged-{n}")
        try:
            fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY, PRIVATE)
            break
        except FileExistsError:
            n += 1
    try:
        _write_all(fd, damaged)
        os.fsync(fd)
    finally:
        os.close(fd)
    return side
