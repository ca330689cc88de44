"""Events the journal could not take, kept elsewhere at the end, and taken back into their session.

When both the state dir and the notes dir refuse to write (full disks), quitting or a signal would
lose the events that exist only in memory. They are first written, as journal lines with their
checksums, to a fallback folder (the user's cache dir, else the temporary dir) in a file named for
the session; ``resume`` and ``export`` find such copies and merge their events after the journal's,
each once (an event already in the journal, or in an earlier copy, is not taken again).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from atelier_timer.journal import SUFFIX, JournalRecord, Recorder, _event, journal_line
from atelier_timer.texts import reason

COPY_SUFFIX = ".unwritten" + SUFFIX


def fallback_dirs() -> list[Path]:
    """Where unwritten events go, in order: the user's cache dir, then the temporary dir."""
    folders = []
    try:
        from platformdirs import user_cache_dir

        folders.append(Path(user_cache_dir("atelier-timer", appauthor=False)) / "unwritten")
    except Exception:  # platformdirs cannot name one on this system: the temporary dir still can
        pass
    folders.append(Path(tempfile.gettempdir()) / "atelier-timer-unwritten")
    return folders


def save_unwritten(session_id: str, events: list[dict], folder: Path | None = None) -> Path:
    """Write the events, durably and whole, to ``folder`` (else the first fallback that takes them).

    Raises OSError (the last refusal) when no folder takes them.
    """
    data = b"".join(journal_line(event) for event in events)
    refusal: OSError | None = None
    for place in [Path(folder)] if folder is not None else fallback_dirs():
        path = place / f"{session_id}.{time.time_ns()}{COPY_SUFFIX}"
        temporary = place / f".{path.name}.tmp"
        try:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, path)
            return path
        except OSError as error:
            refusal = error
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
    assert refusal is not None
    raise refusal


def keep_unwritten(recorder: Recorder, record_path: Path | None, folder: Path | None = None) -> str:
    """Write the events the journal could not take to ``folder`` (else a fallback place); the line saying where."""
    journal = recorder.journal.path if recorder.journal else "the session journal"
    said = f"{journal}: warning: {len(recorder.pending)} events could not be written ({recorder.problem})"
    if recorder.journal is not None:
        try:
            copy = save_unwritten(recorder.journal.session_id, recorder.pending, folder)
        except OSError as error:
            said += f"; nor kept elsewhere ({reason(error)})"
        else:
            recorder.pending.clear()
            said += f"; kept in {copy}, which 'resume' and 'export' take back"
    return said + (f"; the notes are in {record_path}" if record_path else "")


def copies_of(session_id: str) -> list[Path]:
    """The fallback copies of a session's unwritten events, oldest first."""
    found: list[Path] = []
    for place in fallback_dirs():
        found.extend(place.glob(f"{session_id}.*{COPY_SUFFIX}"))
    return sorted(found, key=lambda path: int(path.name.split(".")[-3]) if path.name.split(".")[-3].isdigit() else 0)


def _key(event: dict) -> str:
    return json.dumps(event, sort_keys=True, ensure_ascii=False)


def take_back(record: JournalRecord) -> tuple[list[dict], list[Path]]:
    """Merge the session's fallback copies into ``record`` (in order, each event once).

    Returns the events added (for ``resume`` to write to the journal) and the copies they came from.
    Damaged lines of a copy are skipped, as a journal's are.
    """
    seen = {_key(event) for event in record.events}
    added: list[dict] = []
    copies = copies_of(record.session_id)
    for path in copies:
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        for line in raw.split(b"\n"):
            event = _event(line) if line else None
            if event is None or _key(event) in seen:
                continue
            seen.add(_key(event))
            added.append(event)
    record.events.extend(added)
    record.lines.extend([0] * len(added))  # not lines of the journal
    return added, copies
