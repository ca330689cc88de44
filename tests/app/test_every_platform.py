"""The commands with the POSIX-only modules and names hidden, as on Windows: ``serve`` and the other
commands in their own processes (hidden there always), the timer under Pilot (hidden too when the
suite runs with ``ATELIER_TIMER_HIDE_POSIX=1``, as ``.ci/run`` does the second time)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from atelier_timer.journal import Journal, is_live, read_journal
from atelier_timer.report import session_from_journal
from atelier_timer.ui.app import make_app

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from tests.posix_hidden import hide; hide(); "
    "import fcntl"  # replaced below: proves the hiding holds in that process
)
LAUNCH = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from tests.posix_hidden import hide; hide(); "
    "from atelier_timer.__main__ import run; sys.argv[0] = 'atelier-timer'; raise SystemExit(run())"
)


def hidden_command(*args: str) -> list[str]:
    """The ``atelier-timer`` command in a process of its own, the POSIX-only names hidden first."""
    return [sys.executable, "-c", LAUNCH, str(ROOT), *args]


def hidden_run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(hidden_command(*args), capture_output=True, text=True, timeout=60, check=False, cwd=cwd)


def post(url: str, body: dict, token: str) -> int:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    fresh = {**body, "nonce": os.urandom(16).hex(), "at": time.time()}  # serve refuses a command without them
    request = urllib.request.Request(url + "/command", data=json.dumps(fresh).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_hiding_holds_in_a_launched_process() -> None:
    result = subprocess.run([sys.executable, "-c", HIDDEN, str(ROOT)], capture_output=True, text=True, timeout=60, check=False)
    assert "ModuleNotFoundError" in result.stderr and "fcntl" in result.stderr


async def test_serve_drives_the_timer_and_the_commands_read_its_journal_without_posix(make, clock, tmp_path) -> None:
    state = tmp_path / "state"
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "i", *"avant le serveur", "enter")
        await pilot.pause()
        session_id = app.journal.session_id
        listed = await asyncio.to_thread(hidden_run, "sessions", "--state-dir", str(state))  # the app runs meanwhile
        assert listed.returncode == 0 and re.search(rf"{session_id}.*running", listed.stdout), listed
        output = tmp_path / "serve.out"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with open(output, "wb") as sink:  # noqa: ASYNC230 - a local file, opened once
            server = subprocess.Popen(  # noqa: ASYNC220 - started, not waited for
                hidden_command("serve", session_id, "--port", str(port), "--state-dir", str(state)), stdout=sink, stderr=subprocess.STDOUT
            )
        try:
            deadline = time.monotonic() + 20
            while "Ctrl+C" not in output.read_text() and time.monotonic() < deadline and server.poll() is None:
                await asyncio.sleep(0.05)  # a real process starting: the app keeps running meanwhile
            link = re.search(r"(http://\S+)/control#(\S+)", output.read_text())
            assert link, output.read_text()
            url, token = link.groups()
            status = await asyncio.to_thread(post, url, {"command": "next"}, token)  # the app answers meanwhile
            assert status == 200
            status = await asyncio.to_thread(post, url, {"command": "note", "text": "depuis le téléphone", "author": "Lou"}, token)
            assert status == 200
            await pilot.pause()
            assert app.session.index == 1
            assert [note.text for note in app.session.notes] == ["avant le serveur", "depuis le téléphone"]
        finally:
            server.terminate()  # TerminateProcess on Windows
            server.wait(10)
        await pilot.press("escape", "q", "y")  # out of the note line, then quit
        await pilot.pause()
    path = app.journal.path
    assert [e["type"] for e in read_journal(path).events][-2:] == ["export", "quit"]
    assert not is_live(path)
    record = tmp_path / "record.md"
    exported = await asyncio.to_thread(hidden_run, "export", session_id, "-o", str(record), "--state-dir", str(state))
    assert exported.returncode == 0, exported.stderr
    assert "depuis le téléphone" in record.read_text()
    listed = await asyncio.to_thread(hidden_run, "sessions", "--state-dir", str(state))
    assert re.search(rf"{session_id}.*paused", listed.stdout), listed.stdout

    journal = Journal.reopen(path)  # what resume does, then its screen under Pilot
    restored = session_from_journal(read_journal(path), clock)
    resumed = make_app(restored.agenda, clock=clock, session=restored, journal=journal, notes_dir=tmp_path / "notes")
    async with resumed.run_test(size=(100, 30)) as pilot:
        assert is_live(path) and resumed.session.index == 1
        await pilot.press("space", "i", *"après la reprise", "enter", "escape", "q", "y")
        await pilot.pause()
    assert [e["note"]["text"] for e in read_journal(path).events if e["type"] == "note"][-1] == "après la reprise"
    assert not is_live(path)


def test_check_and_plan_without_posix(tmp_path: Path) -> None:
    plan = hidden_run("plan", "codev", "--start", "14:00", cwd=tmp_path)
    assert plan.returncode == 0 and "15:00" in plan.stdout, plan.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: A\nsteps:\n  - {title: A, duration: -5}\n")
    check = hidden_run("check", str(bad))
    assert check.returncode == 2 and check.stderr.startswith(f"{bad}:3:") and "Traceback" not in check.stderr


PILOT_WITHOUT_TERMIOS = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from tests.posix_hidden import hide
hide()
sys.modules["termios"] = sys.modules["tty"] = None  # what Textual's Linux driver needs
from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.journal import read_journal
from atelier_timer.ui.app import make_app

async def main():
    text, _ = read_agenda_source("codev")
    app = make_app(load_agenda("codev"), state_dir=sys.argv[2], source_text=text, notes_dir=sys.argv[3])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "i", *"sans termios", "enter", "escape", "q", "y")
        await pilot.pause()
    print([e["type"] for e in read_journal(app.journal.path).events])

asyncio.run(main())
"""


def test_pilot_drives_the_timer_even_without_termios(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PILOT_WITHOUT_TERMIOS, str(ROOT), str(tmp_path / "state"), str(tmp_path / "notes")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("'note', 'pause', 'export', 'quit']"), result.stdout
