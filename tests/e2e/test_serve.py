"""``atelier-timer serve`` as a user meets it: a real server process, HTTP, and a real browser.

The session is written by a real ``Session`` and ``Journal`` in this process (so it is live: this
process holds its lock). The browser tests drive headless Chromium over the DevTools protocol with
aiohttp's websocket client. For ``serve --terminal``, xterm.js draws the terminal on a canvas, so the
test turns on xterm's screen-reader mode in the page's script as it loads: xterm then mirrors every
row of the terminal in the DOM, which is where the test reads it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from atelier_timer import control
from atelier_timer.agenda import parse_agenda, slugify
from atelier_timer.clock import SystemClock
from atelier_timer.hosts import is_loopback
from atelier_timer.i18n import UI_STRINGS
from atelier_timer.journal import Journal
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


class LiveSession:
    """A running session written by this process: its state dir, id, session and journal."""

    def __init__(self, state: Path) -> None:
        self.state = state
        agenda = parse_agenda(AGENDA, "servi.yaml")
        clock = SystemClock()
        self.journal = Journal.create(state, AGENDA, agenda.source, slugify(agenda.title), clock.wall())
        self.session = Session(agenda, clock, self.journal.append)
        self.session.start()
        self.session_id = self.journal.session_id


@pytest.fixture
def live(tmp_path):
    live = LiveSession(tmp_path / "state")
    yield live
    live.journal.close()


@pytest.fixture
def live_session(live):
    """A running session in a fresh state dir: (state dir, session id)."""
    return live.state, live.session_id


def start_serve(state: Path, session_id: str, output: Path, *options: str) -> tuple[subprocess.Popen, int]:
    """``atelier-timer serve SESSION`` on a free port, once it listens: (process, port)."""
    port = free_port()
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "atelier_timer", "serve", session_id, "--port", str(port), "--state-dir", str(state), *options],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process)
        deadline = time.monotonic() + 10
        while "Ctrl+C" not in output.read_text() and time.monotonic() < deadline:  # its links are printed
            time.sleep(0.05)
    except AssertionError:
        stop(process)
        raise
    return process, port


@pytest.fixture(params=[[]], ids=["web"])
def server(request, live_session, tmp_path):
    """``atelier-timer serve SESSION`` (options from the test's parameter): (url, port, output file)."""
    state, session_id = live_session
    output = tmp_path / "serve.out"
    process, port = start_serve(state, session_id, output, *request.param)
    try:
        yield f"http://127.0.0.1:{port}", port, output
    finally:
        stop(process)


terminal_server = pytest.mark.parametrize("server", [["--terminal"]], ids=["terminal"], indirect=True)


def test_serve_answers_with_the_viewer_page_on_loopback_only(server):
    url, port, output = server
    with urllib.request.urlopen(url + "/", timeout=5) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        page = response.read().decode("utf-8")
    assert 'id="countdown"' in page and "://" not in page  # nothing from elsewhere: it works offline
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    printed = output.read_text()
    assert f"on http://127.0.0.1:{port}" in printed
    assert f"http://127.0.0.1:{port}/" in printed and f"http://127.0.0.1:{port}/control#" in printed


def test_the_pages_get_the_terminals_own_chimes(server):
    from atelier_timer.sound import chime_wav

    url, _, _ = server
    for name in ("warning", "danger", "zero", "turn"):
        with urllib.request.urlopen(f"{url}/chime/{name}.wav", timeout=5) as response:
            assert response.headers.get_content_type() == "audio/wav"
            assert response.read() == chime_wav(name)  # the same sound as the terminal's, not a stand-in
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{url}/chime/..%2fserver.py.wav", timeout=5)
    assert missing.value.code == 404
    with urllib.request.urlopen(url + "/", timeout=5) as response:
        assert "media-src 'self'" in response.headers["Content-Security-Policy"]
        assert 'id="sound"' in response.read().decode("utf-8")  # the button that lets the browser play them


@terminal_server
def test_serve_terminal_answers_with_the_terminal_page(server):
    url, port, output = server
    with urllib.request.urlopen(url + "/", timeout=5) as response:
        page = response.read().decode("utf-8")
    assert "textual-terminal" in page and "Atelier servi" in page
    assert listening_addresses(port) == {"0100007F"}
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


needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason="chromium is not installed (.ci/run installs Debian's chromium)"
)


@needs_chromium
@terminal_server
async def test_the_step_title_reaches_the_terminal_page_in_a_real_browser(server, tmp_path):
    url, _, _ = server
    async with browser_page(tmp_path / "chromium") as devtools:
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
            shown = await evaluate(devtools, "document.querySelector('.xterm-accessibility-tree')?.textContent ?? ''")
            text = (shown or "").replace("\xa0", " ")
    assert STEP_TITLE in text, f"the page shows: {text[:500]!r}"
    assert "1/2" in text  # the status line came through too


async def _next_event(devtools: DevTools, method: str) -> dict:
    while True:
        event = await devtools.events.get()
        if event["method"] == method:
            return event["params"]


@contextlib.asynccontextmanager
async def browser_page(profile: Path):
    """A headless Chromium's one page, through its DevTools protocol."""
    import aiohttp

    chromium, devtools_port = start_chromium(profile)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as websocket:
                devtools = DevTools(websocket)
                try:
                    yield devtools
                finally:
                    devtools.reader.cancel()
    finally:
        stop(chromium)


async def evaluate(devtools: DevTools, expression: str):
    result = await devtools.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
    return result["result"].get("value")


async def wait_for_text(devtools: DevTools, selector: str, needle: str, seconds: float = 15.0) -> str:
    """The text of ``selector`` in the page once it holds ``needle`` (bounded)."""
    text = ""
    deadline = time.monotonic() + seconds
    while needle not in text and time.monotonic() < deadline:
        text = await evaluate(devtools, f"document.querySelector({selector!r})?.textContent ?? ''") or ""
        if needle not in text:
            await asyncio.sleep(0.05)
    assert needle in text, f"{selector} shows {text!r}, never {needle!r}"
    return text


# the page notes when the step's title changes, on this machine's clock: the test compares it with the journal's write
WATCH_STEP = """
window.stepSeen = null;
new MutationObserver(() => { if (window.stepSeen === null) window.stepSeen = Date.now() / 1000; })
  .observe(document.getElementById("step"), {childList: true, characterData: true, subtree: true});
"""


@needs_chromium
async def test_the_viewer_page_counts_down_and_follows_a_step_change_within_a_second(live, server, tmp_path):
    url, _, _ = server
    async with browser_page(tmp_path / "chromium") as page:
        await page.send("Page.navigate", url=url + "/")
        await wait_for_text(page, "#step", STEP_TITLE)
        assert await evaluate(page, "document.getElementById('speaker').textContent") == "Camille"
        assert "Questions" in await evaluate(page, "document.getElementById('next').textContent")
        shown = await wait_for_text(page, "#countdown", ":")
        minutes, seconds = shown.split(":")
        true_remaining = live.session.remaining()
        assert abs(int(minutes) * 60 + int(seconds) - true_remaining) <= 1.5, (shown, true_remaining)  # counted on the page
        await evaluate(page, WATCH_STEP)
        written = time.time()
        live.session.next()  # the journal has it on disk when this returns
        await wait_for_text(page, "#step", "Questions")
        assert await evaluate(page, "window.stepSeen") - written < 1.0
        assert await evaluate(page, "document.getElementById('position').textContent") == "Step 2/2"
        assert await evaluate(page, "document.getElementById('next').textContent") == "Last step"


# each time the big digits change, how long after the session's second turned (on the server's clock)
WATCH_DIGITS = """
window.digitLags = [];
new MutationObserver(() => {
  const remaining = remainingNow(room.state, room.state.remaining);
  window.digitLags.push(Math.ceil(remaining) - remaining);
}).observe(document.getElementById("countdown"), {childList: true, characterData: true, subtree: true});
"""


@needs_chromium
async def test_the_pages_digits_turn_when_the_sessions_seconds_do_not_when_the_clocks_do(live, server, tmp_path):
    url, _, _ = server
    async with browser_page(tmp_path / "chromium") as page:
        await page.send("Page.navigate", url=url + "/")
        await wait_for_text(page, "#countdown", ":")
        # resume so that the session's seconds turn half-way through the clock's: the worst case for a
        # page that would wake on the clock's seconds (it would show each second half a second late)
        live.session.pause()
        target = (0.5 - live.session.remaining() % 1) % 1
        while abs((time.time() % 1) - target) > 0.02:
            time.sleep(0.005)
        live.session.start()
        await asyncio.sleep(0.5)
        await evaluate(page, WATCH_DIGITS)
        await asyncio.sleep(3.6)
        lags = await evaluate(page, "window.digitLags")
    assert len(lags) >= 3, lags
    assert max(lags) < 0.3, lags  # each second shows when it comes, as on the terminal


@needs_chromium
async def test_the_pages_close_when_the_session_ends(live, server, tmp_path):
    url, _, output = server
    async with browser_page(tmp_path / "chromium") as page:
        await page.send("Page.navigate", url=url + "/")
        await wait_for_text(page, "#step", STEP_TITLE)
        live.session.mark("quit")
        live.journal.close()  # the program lets go of its session
        await wait_for_text(page, "#status", "closed")
        assert await evaluate(page, "room.source.readyState") == 2  # EventSource.CLOSED: it does not reconnect
    deadline = time.monotonic() + 10
    ended = UI_STRINGS["serve.ended"]["en"]  # the test's agenda is in English, and so is serve's banner
    while ended not in output.read_text() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert ended in output.read_text()


def controller_link(output: Path) -> str:
    return re.search(r"(http://\S+/control#\S+)", output.read_text()).group(1)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url + "/command", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_command_without_the_right_token_is_refused_and_changes_nothing(live, server):
    url, _, output = server
    token = controller_link(output).split("#", 1)[1]
    assert len(token) >= 22  # 128 bits in URL-safe base64
    journal = live.journal.path.read_bytes()
    next_step = json.dumps({"command": "next"}).encode()
    json_type = {"Content-Type": "application/json"}
    assert post(url, next_step, json_type) == 403  # no token
    assert post(url, next_step, {**json_type, "Authorization": "Bearer " + token[:-1] + "x"}) == 403
    assert post(url, next_step, {**json_type, "Authorization": token}) == 403  # not a Bearer header
    with_token = {**json_type, "Authorization": "Bearer " + token}
    assert post(url, next_step, {**with_token, "Origin": "http://evil.example"}) == 403
    assert post(url, next_step, {**with_token, "Content-Type": "text/plain"}) == 415
    assert post(url, b'{"command":"note","text":"' + b"x" * 5000 + b'"}', with_token) == 413
    assert post(url, b'{"command":"rm -rf"}', with_token) == 400
    assert post(url, b"not json", with_token) == 400
    time.sleep(0.5)  # two polls of the journal by anyone who would have written it
    assert live.journal.path.read_bytes() == journal
    with urllib.request.urlopen(url + "/", timeout=5) as response:
        assert token not in response.read().decode()


def test_on_loopback_only_loopback_host_names_are_answered(server):
    url, port, _ = server
    request = urllib.request.Request(url + "/", headers={"Host": f"rebound.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 421


CLICK_NEXT = "document.getElementById('next-step').click()"
WRITE_NOTE = """
document.getElementById('author').value = 'Lou';
document.getElementById('note-text').value = '! réserver la salle #1';
document.getElementById('note-form').requestSubmit();
"""
POST_WITHOUT_TOKEN = """
fetch('/command', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{"command":"next"}'})
  .then(response => response.status)
"""


@needs_chromium
async def test_the_controller_page_drives_the_running_timer_and_takes_notes(terminal, tmp_path):
    agenda = tmp_path / "servi.yaml"
    agenda.write_text(AGENDA)
    notes = tmp_path / "notes"
    timer = terminal("run", str(agenda), "--notes-dir", str(notes), "--no-bell")
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("left 09:")
    state = tmp_path / "state"  # the terminal fixture's ATELIER_TIMER_STATE_DIR
    (journal,) = (state / "sessions").glob("*.jsonl")
    output = tmp_path / "serve.out"
    server, _ = start_serve(state, journal.stem, output)
    try:
        async with browser_page(tmp_path / "chromium") as page:
            await page.send("Page.navigate", url=controller_link(output).split("#")[0].replace("/control", "/"))
            await wait_for_text(page, "#step", STEP_TITLE)
            before = journal.read_bytes()
            assert await evaluate(page, POST_WITHOUT_TOKEN) == 403
            await asyncio.sleep(0.5)
            assert journal.read_bytes() == before  # refused, and nothing changed

            await page.send("Page.navigate", url=controller_link(output))
            await wait_for_text(page, "#step", STEP_TITLE)
            for needs, selector in (("hide", "#hide"), ("message", "#message-form")):  # offered only when run can do it
                assert await evaluate(page, f"document.querySelector({selector!r}).hidden") is not control.supported(needs)
            await evaluate(page, CLICK_NEXT)
            await wait_for_text(page, "#result", "Done")  # run took it: the answer waits for that
            timer.wait_for("2/2", timeout=5)  # the terminal's session moved
            await wait_for_text(page, "#step", "Questions")  # and the page followed

            await evaluate(page, WRITE_NOTE)
            await wait_for_text(page, "#result", "Done")
            timer.wait_for("Lou", timeout=5)  # on the facilitator's screen
    finally:
        stop(server)
    timer.send("q")
    timer.wait_for("Quit the session?")
    timer.send("y")
    timer.child.expect(__import__("pexpect").EOF, timeout=15)
    (record,) = notes.glob("*.md")
    assert "- [ ] réserver la salle \\#1 (by Lou)" in record.read_text().replace("\u2068", "").replace("\u2069", "")


@needs_chromium
@pytest.mark.skipif(not hasattr(Session, "show_message"), reason="the session has no messages to the room yet")
async def test_the_viewer_page_shows_the_message_of_the_moment(live, server, tmp_path):
    url, _, _ = server
    async with browser_page(tmp_path / "chromium") as page:
        await page.send("Page.navigate", url=url + "/")
        await wait_for_text(page, "#step", STEP_TITLE)
        assert await evaluate(page, "document.getElementById('message').hidden") is True
        live.session.show_message("Pause café : retour à 15 h")
        await wait_for_text(page, "#message", "Pause café : retour à 15 h")
        assert await evaluate(page, "document.getElementById('message').hidden") is False
        live.session.clear_message()
        deadline = time.monotonic() + 5
        while not await evaluate(page, "document.getElementById('message').hidden") and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert await evaluate(page, "document.getElementById('message').hidden") is True
