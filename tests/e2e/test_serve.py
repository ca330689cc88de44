"""``atelier-timer serve`` as a user meets it: a real server process, HTTP, and a real browser.

The session is written by a real ``Session`` and ``Journal`` in this process (so it is live: this
process holds its lock). The browser test drives headless Chromium over the DevTools protocol with
aiohttp's websocket client (already installed: textual-serve runs on aiohttp). xterm.js draws the
terminal on a canvas, so the test turns on xterm's screen-reader mode in the page's script as it
loads: xterm then mirrors every row of the terminal in the DOM, which is where the test reads it.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from atelier_timer.agenda import parse_agenda, slugify
from atelier_timer.clock import SystemClock
from atelier_timer.journal import Journal
from atelier_timer.serve import is_loopback
from atelier_timer.session import Session

STEP_TITLE = "Tour de table des girafes bleues"
AGENDA = f"""\
version: 1
title: Atelier servi
language: en
steps:
  - title: {STEP_TITLE}
    duration: 10m
    speaker: Camille
  - title: Questions
    duration: 5m
"""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    """End a process started in its own session, then anything of its group still there (the viewers).

    SIGTERM to the leader first, so that it shuts down its own children and reaps them.
    """
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(5)


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel writes them) of the sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.fixture
def live_session(tmp_path):
    """A running session in a fresh state dir: (state dir, session id)."""
    state = tmp_path / "state"
    agenda = parse_agenda(AGENDA, "servi.yaml")
    clock = SystemClock()
    journal = Journal.create(state, AGENDA, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    yield state, journal.session_id
    journal.close()


@pytest.fixture
def server(live_session, tmp_path):
    """``atelier-timer serve SESSION`` on a free port: (url, port, output file)."""
    state, session_id = live_session
    port = free_port()
    output = tmp_path / "serve.out"
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "atelier_timer", "serve", session_id, "--port", str(port), "--state-dir", str(state)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}", port, output
    finally:
        stop(process)


def test_serve_answers_with_a_web_page_on_loopback_only(server):
    url, port, output = server
    with urllib.request.urlopen(url + "/", timeout=5) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode("utf-8")
    assert "textual-terminal" in page and "Atelier servi" in page
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    assert f"on http://127.0.0.1:{port}" in output.read_text()


def test_serve_refuses_a_port_in_use_in_one_line(live_session):
    state, session_id = live_session
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "atelier_timer", "serve", session_id, "--port", str(port), "--state-dir", str(state)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "in use" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_an_unknown_session_before_serving(live_session):
    state, _ = live_session
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "atelier_timer", "serve", "nosuchsession", "--port", str(port), "--state-dir", str(state)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nosuchsession" in result.stderr
    assert not listening_addresses(port)


@pytest.mark.parametrize(
    "host,loopback",
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.168.1.20", False), ("::", False)],
)
def test_only_loopback_addresses_count_as_private(host, loopback):
    assert is_loopback(host) is loopback


# ----- the browser -----


class DevTools:
    """A minimal Chrome DevTools Protocol client: numbered commands, and the events in between."""

    def __init__(self, websocket) -> None:
        self.websocket = websocket
        self.next_id = 0
        self.events: asyncio.Queue = asyncio.Queue()
        self.replies: dict[int, asyncio.Future] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.websocket:
            data = message.json()
            if "id" in data:
                self.replies.pop(data["id"]).set_result(data)
            else:
                await self.events.put(data)

    async def send(self, method: str, **params) -> dict:
        self.next_id += 1
        reply = self.replies[self.next_id] = asyncio.get_running_loop().create_future()
        await self.websocket.send_json({"id": self.next_id, "method": method, "params": params})
        data = await asyncio.wait_for(reply, 10)
        if "error" in data:
            raise AssertionError(f"{method}: {data['error']}")
        return data["result"]


def start_chromium(profile: Path) -> tuple[subprocess.Popen, int]:
    """Headless Chromium with its DevTools port on loopback; no request leaves this machine."""
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # the page's web font: fail fast
            f"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if active.exists() and active.read_text().count("\n") >= 1:
            return process, int(active.read_text().split()[0])
        if process.poll() is not None:
            break
        time.sleep(0.1)
    stop(process)
    raise AssertionError("Chromium did not open its DevTools port")


@pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="chromium is not installed (.ci/run installs Debian's chromium)")
async def test_the_step_title_reaches_the_page_in_a_real_browser(server, tmp_path):
    import aiohttp

    url, _, _ = server
    chromium, devtools_port = start_chromium(tmp_path / "chromium")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as websocket:
                devtools = DevTools(websocket)
                await devtools.send("Fetch.enable", patterns=[{"urlPattern": "*/static/js/textual.js", "requestStage": "Response"}])
                await devtools.send("Page.navigate", url=url + "/")
                paused = await asyncio.wait_for(_next_event(devtools, "Fetch.requestPaused"), 20)
                body = await devtools.send("Fetch.getResponseBody", requestId=paused["requestId"])
                script = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
                assert b"scrollback:0," in script, "textual-serve's terminal options changed: update this test"
                script = script.replace(b"scrollback:0,", b"scrollback:0,screenReaderMode:!0,", 1)
                await devtools.send(
                    "Fetch.fulfillRequest",
                    requestId=paused["requestId"],
                    responseCode=200,
                    responseHeaders=[{"name": "Content-Type", "value": "application/javascript"}],
                    body=base64.b64encode(script).decode(),
                )
                text = ""
                deadline = time.monotonic() + 30
                while STEP_TITLE not in text and time.monotonic() < deadline:
                    await asyncio.sleep(0.2)
                    result = await devtools.send(
                        "Runtime.evaluate",
                        expression="document.querySelector('.xterm-accessibility-tree')?.textContent ?? ''",
                        returnByValue=True,
                    )
                    text = result["result"].get("value", "").replace("\xa0", " ")
                devtools.reader.cancel()
        assert STEP_TITLE in text, f"the page shows: {text[:500]!r}"
        assert "1/2" in text  # the status line came through too
    finally:
        stop(chromium)


async def _next_event(devtools: DevTools, method: str) -> dict:
    while True:
        event = await devtools.events.get()
        if event["method"] == method:
            return event["params"]
