"""journal.Tail: how follow and serve read a journal another program writes (a stat per look)."""

from __future__ import annotations

import os

import pytest

from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.journal import Journal, JournalError, Tail
from tests.helpers import T0, new_session


@pytest.fixture
def recorded(tmp_path):
    session, clock, _ = new_session(load_agenda("codev"), wall=T0)
    journal = Journal.create(tmp_path, *read_agenda_source("codev"), "codev", T0)
    session.record = journal.append
    session.toggle()  # started: one event
    yield session, journal
    journal.close()


@pytest.fixture
def journal(recorded):
    return recorded[1]


@pytest.mark.parametrize("hold_open", [False, True])
def test_a_change_is_read_once_and_a_quiet_journal_not_at_all(recorded, hold_open):
    session, journal = recorded
    tail = Tail(journal.path, hold_open=hold_open)
    stamp = tail.look()
    assert tail.changed(stamp)  # nothing read yet
    assert [event["type"] for event in tail.read(stamp).events] == ["start"]
    assert not tail.changed(tail.look())  # the same file, untouched: nothing to read
    session.toggle()  # paused: a second event
    stamp = tail.look()
    assert tail.changed(stamp)
    assert [event["type"] for event in tail.read(stamp).events] == ["start", "pause"]
    assert tail.record.events[-1]["type"] == "pause" and tail.seen == stamp
    tail.close()


def test_a_deleted_journal_is_no_change_and_one_written_again_is_read_through_a_new_descriptor(journal):
    tail = Tail(journal.path, hold_open=True)
    tail.read(tail.look())
    data = journal.path.read_bytes()
    os.unlink(journal.path)
    assert tail.look() is None and not tail.changed(None)
    journal.path.write_bytes(data + data.splitlines(keepends=True)[-1])  # another file at the path, one more line
    stamp = tail.look()
    assert tail.changed(stamp)
    assert len(tail.read(stamp).events) == 2  # read from the new file, not the deleted one held open
    tail.close()


def test_an_unreadable_header_keeps_the_last_record(journal):
    tail = Tail(journal.path)
    first = tail.read(tail.look())
    journal.path.write_bytes(b"\xff not a journal\n")
    stamp = tail.look()
    with pytest.raises(JournalError):
        tail.read(stamp)
    assert tail.record is first and tail.changed(stamp)  # tried again at the next look
