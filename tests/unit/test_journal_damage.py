"""Any damage to a real journal (a truncation, a flipped byte) keeps everything before it: listed, exported, resumed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier_timer.agenda import AgendaError, load_agenda, read_agenda_source
from atelier_timer.journal import Journal, JournalError, list_sessions, read_journal, sessions_dir
from atelier_timer.report import session_from_journal, write_export
from tests.helpers import T0, new_session

YAML, SOURCE = read_agenda_source("codev")


def real_journal() -> tuple[bytes, list[tuple[int, str]]]:
    """A session's journal as bytes, and (end of its line, text) for each note."""
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        session, clock, _ = new_session(load_agenda("codev"), wall=T0)
        journal = Journal.create(Path(folder), YAML, SOURCE, "atelier", T0)
        session.record = journal.append
        session.toggle()
        for n in range(12):
            clock.advance(37)
            session.add_note(f"{'!*? '[n % 4]} idee{n} #1")
            if n % 3 == 2:
                session.next()
            if n == 7:
                session.toggle()
                clock.advance(20)
                session.toggle()
                session.adjust(60)
        journal.close()
        raw = journal.path.read_bytes()
    notes, offset = [], 0
    for line in raw.split(b"\n")[:-1]:
        offset += len(line) + 1
        if b'"type":"note"' in line:
            notes.append((offset - 1, f"idee{len(notes)}"))
    return raw, notes


RAW, NOTES = real_journal()
HEADER_END = RAW.index(b"\n")


def notes_before(position: int) -> list[str]:
    """The notes whose whole line (newline included) lies before ``position``."""
    return [text for end, text in NOTES if end < position]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(RAW) - 1),
    flip=st.one_of(st.none(), st.integers(min_value=1, max_value=255)),
)
def test_damage_keeps_everything_before_it(position: int, flip: int | None) -> None:
    damaged = RAW[:position] if flip is None else RAW[:position] + bytes([RAW[position] ^ flip]) + RAW[position + 1 :]
    kept = notes_before(position)
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        state = Path(folder)
        sessions_dir(state).mkdir(parents=True)
        path = sessions_dir(state) / "20260312-140000-atelier.jsonl"
        path.write_bytes(damaged)
        try:
            session = session_from_journal(read_journal(path))
        except (JournalError, AgendaError):
            assert position <= HEADER_END  # only a damaged header makes a journal unreadable
            return
        assert [note.text.split()[0] for note in session.notes][: len(kept)] == kept
        assert [info.path for info in list_sessions(state)] == [path]
        markdown = write_export(session, state / "notes").read_text(encoding="utf-8")
        assert all(text in markdown for text in kept)
        journal = Journal.reopen(path)  # resume: the damaged end is set aside, the new events follow
        journal.append({"type": "reopen", "wall": T0 + 9999})
        journal.close()
        record = read_journal(path)
        assert not record.truncated and record.events[-1]["type"] == "reopen"
        resumed = session_from_journal(record)
        assert [note.text.split()[0] for note in resumed.notes][: len(kept)] == kept


LINES = RAW.split(b"\n")[:-1]
STARTS = [sum(len(line) + 1 for line in LINES[:n]) for n in range(len(LINES))]
ALL_NOTES = [text for _, text in NOTES]


def write_journal(folder: str, raw: bytes) -> Path:
    path = Path(folder) / "20260312-140000-atelier.jsonl"
    path.write_bytes(raw)
    return path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.integers(min_value=2, max_value=len(LINES)), data=st.data())
def test_a_flipped_byte_anywhere_in_a_line_is_named_as_damage_never_trusted(line: int, data) -> None:
    start, length = STARTS[line - 1], len(LINES[line - 1])
    position = start + data.draw(st.integers(min_value=0, max_value=length - 1), label="byte of the line")
    flip = data.draw(st.integers(min_value=1, max_value=255), label="flip")
    damaged = RAW[:position] + bytes([RAW[position] ^ flip]) + RAW[position + 1 :]
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        record = read_journal(write_journal(folder, damaged))
        assert line not in record.lines  # the changed line is never read as an event
        assert line in record.damaged or (line == len(LINES) and record.truncated)
        assert record.damage_report() is not None
        original = read_journal(write_journal(folder, RAW))
        assert record.events == [e for n, e in zip(original.lines, original.events) if n != line]
        texts = [note.text.split()[0] for note in session_from_journal(record).notes]
        assert texts == [t for t in ALL_NOTES if t in texts] and len(texts) >= len(ALL_NOTES) - 1


def test_a_journal_written_before_checksums_still_reads_and_resumes() -> None:
    """Format 1: no checksum on any line (the lines as they were, from the header's format on)."""
    import json

    lines = []
    for line in LINES:
        value = json.loads(line)
        value.pop("crc")
        if value["type"] == "header":
            value["format"] = 1
        lines.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        path = write_journal(folder, b"\n".join(lines) + b"\n")
        record = read_journal(path)
        assert not record.damaged and not record.truncated and len(record.events) == len(LINES) - 1
        assert [note.text.split()[0] for note in session_from_journal(record).notes] == ALL_NOTES
        journal = Journal.reopen(path)
        journal.append({"type": "reopen", "wall": T0 + 9999})
        journal.close()
        again = read_journal(path)
        assert again.events[-1]["type"] == "reopen" and len(again.events) == len(LINES)


def test_every_line_of_a_new_journal_carries_the_checksum_of_its_content() -> None:
    import json
    import zlib

    for line in LINES:
        value = json.loads(line)  # still one JSON object per line
        crc = value.pop("crc")
        assert crc == format(zlib.crc32(line[: line.rindex(b',"crc":')] + b"}"), "08x")


def test_resume_sets_a_damaged_line_aside_once_before_appending() -> None:
    line = 3
    position = STARTS[line - 1] + LINES[line - 1].index(b'"wall":') + 8  # a digit of a time
    damaged = RAW[:position] + bytes([RAW[position] ^ 0x01]) + RAW[position + 1 :]
    with tempfile.TemporaryDirectory(prefix="record-") as folder:
        path = write_journal(folder, damaged)
        for _ in range(2):  # resumed twice: one copy
            journal = Journal.reopen(path)
            journal.append({"type": "reopen", "wall": T0 + 9999})
            journal.close()
        (side,) = Path(folder).glob("*.damaged-*")
        assert side.read_bytes() == b"3:" + damaged.split(b"\n")[2] + b"\n"
        record = read_journal(path)
        assert record.damaged == [line] and [e["type"] for e in record.events[-2:]] == ["reopen", "reopen"]
