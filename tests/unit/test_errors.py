"""Every command's bad input is said in one place (cli.main): one message on stderr, its exit code, no traceback.

The messages are the ones the commands said before they shared that place, to the letter.
"""

from __future__ import annotations

import pytest

from atelier_timer import cli
from atelier_timer.agenda import AgendaError
from atelier_timer.errors import AtelierError
from atelier_timer.journal import JournalError
from atelier_timer.report import ExportError, RecordKept
from atelier_timer.session import SlotError
from atelier_timer.stats import StatsError

NO_SESSION = "no session 'nosuch' (see 'atelier-timer sessions')"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", ["follow", "resume", "export", "serve"])
def test_an_unknown_session_is_said_after_the_command(capsys, tmp_path, command):
    code, err = run(capsys, command, "nosuch", "--state-dir", str(tmp_path))
    assert (code, err) == (2, f"atelier-timer {command}: error: {NO_SESSION}\n")


def test_serve_says_a_port_out_of_range(capsys, tmp_path):
    code, err = run(capsys, "serve", "--port", "0", "--state-dir", str(tmp_path))
    assert (code, err) == (2, "atelier-timer serve: error: --port must be between 1 and 65535, not 0\n")


def test_serve_without_a_session_says_how_to_start_one(capsys, tmp_path):
    code, err = run(capsys, "serve", "--state-dir", str(tmp_path))
    assert code == 2
    assert err.startswith("atelier-timer serve: error: ") and err.endswith("; start one with 'atelier-timer run', or name one\n")


def test_a_new_file_is_never_written_over(capsys, tmp_path):
    taken = tmp_path / "mine.yaml"
    taken.write_text("keep me\n")
    code, err = run(capsys, "new", str(taken))
    assert (code, err) == (2, f"{taken} : existe déjà ; pas écrasé (choisissez un autre nom)\n")
    assert taken.read_text() == "keep me\n"
    code, err = run(capsys, "new", str(tmp_path / "no" / "such.yaml"))
    assert (code, err) == (2, f"{tmp_path / 'no' / 'such.yaml'} : le dossier {tmp_path / 'no'} n'existe pas\n")


def test_a_state_dir_that_is_a_file_is_said_with_its_path(capsys, tmp_path):
    folder = tmp_path / "a-file"
    folder.write_text("")
    code, err = run(capsys, "run", "codev", "--state-dir", str(folder))
    assert code == 2
    assert err.startswith(f"{folder}: error: cannot keep the session journal here: ") and err.count("\n") == 1


def test_a_bad_agenda_is_said_at_its_place_and_a_bad_slot_after_the_command(capsys, tmp_path):
    agenda = tmp_path / "bad.yaml"
    agenda.write_text("title: x\nsteps: 3\n")
    code, err = run(capsys, "plan", str(agenda))
    assert (code, err) == (2, f"{agenda}:2:8: error: steps must be a list (lines starting with '- '), not '3'\n")
    code, err = run(capsys, "plan", "codev", "--start", "25:00")
    assert code == 2 and err.startswith("atelier-timer plan: error: --start must be a time of day")


def test_every_error_of_the_core_is_an_atelier_error_with_its_exit_code():
    assert [issubclass(kind, AtelierError) for kind in (AgendaError, JournalError, SlotError, ExportError, StatsError)] == [True] * 5
    assert (JournalError("x").exit_code, SlotError("x").exit_code, StatsError("x").exit_code, ExportError("x").exit_code) == (2, 2, 2, 1)
    assert issubclass(SlotError, ValueError) and issubclass(RecordKept, ExportError)
    assert AtelierError("x", exit_code=1).exit_code == 1 and AtelierError("x").exit_code == 2
    assert JournalError("gone").said_by("atelier-timer resume") == "atelier-timer resume: error: gone"
    assert ExportError("/n.md: error: full").said_by("atelier-timer export") == "/n.md: error: full"


def test_a_port_lost_between_the_check_and_the_bind_is_a_runtime_error_said_by_the_cli(tmp_path):
    import socket

    from atelier_timer.agenda import read_agenda_source
    from atelier_timer.journal import Journal, read_journal
    from atelier_timer.web.server import serve_room

    journal = Journal.create(tmp_path, *read_agenda_source("codev"), "codev", 1_700_000_000.0)
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            base = f"http://127.0.0.1:{port}"
            with pytest.raises(AtelierError) as refused:
                serve_room(read_journal(journal.path), tmp_path, "127.0.0.1", port, base, None)
    finally:
        journal.close()
    assert refused.value.exit_code == 1
    said = refused.value.said_by("atelier-timer serve")
    assert said.startswith(f"atelier-timer serve: error: cannot listen on {base}: ") and said.endswith("address already in use")
