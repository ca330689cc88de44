"""``serve`` attacked as someone on the same machine would: faults made for real against the installed command.

Half-open connections under a lowered ``ulimit -n``, a ``kill -9`` of ``run`` and its ``resume``, a
wrong Host beyond loopback, a replayed command, bytes no decoder expects.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_serve import (  # noqa: F401 (fixtures)
    AGENDA,
    STEP_TITLE,
    browser_page,
    controller_link,
    evaluate,
    free_port,
    live,
    live_session,
    needs_chromium,
    post,
    server,
    start_serve,
    stop,
    wait_for_port,
    wait_for_text,
)


def command(nonce: str | None = None, **fields) -> bytes:
    return json.dumps({**fields, "nonce": nonce or secrets.token_hex(16), "at": time.time()}).encode()


def bearer(output: Path) -> dict[str, str]:
    return {"Content-Type": "application/json", "Authorization": "Bearer " + controller_link(output).split("#", 1)[1]}


class Stream:
    """A raw ``/events`` stream, read without blocking: what the pages are sent."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.sock.setblocking(False)
        self.seen = b""

    def read(self) -> bytes:
        try:
            while chunk := self.sock.recv(65536):
                self.seen += chunk
        except BlockingIOError:
            pass
        return self.seen

    def wait_for(self, needle: bytes, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while needle not in self.read() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert needle in self.seen, f"never {needle!r}; the stream sent {self.seen[-300:]!r}"


def test_half_open_connections_beyond_the_file_limit_neither_end_the_pages_nor_stop_serve(live_session, tmp_path):
    if not shutil.which("prlimit"):
        pytest.skip("prlimit is not installed")
    state, session_id = live_session
    port = free_port()
    output = tmp_path / "serve.out"
    with open(output, "wb") as sink:  # the usual limit of 1024 open files, soft and hard: it cannot be raised
        process = subprocess.Popen(
            ["prlimit", "--nofile=1024:1024", sys.executable, "-m", "atelier_timer", "serve", session_id,
             "--port", str(port), "--state-dir", str(state)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    held: list[socket.socket] = []
    try:
        wait_for_port(port, process)
        stream = Stream(port)
        stream.wait_for(b"event: state")
        flood_ends = time.monotonic() + 30  # bounded on a loaded machine
        for _ in range(1100):  # each sends half a header and waits
            if time.monotonic() > flood_ends:
                break
            try:
                half = socket.create_connection(("127.0.0.1", port), timeout=1)
                half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                held.append(half)
            except OSError:
                break
        time.sleep(1.5)  # six looks at the journal by serve, all while it is flooded
        assert process.poll() is None, output.read_text()[-500:]
        assert b"event: end" not in stream.read()
        assert b"interrupted" not in stream.read()
        for half in held:
            half.close()
        held.clear()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # room again for a new viewer once they are gone
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as viewer:
                    viewer.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
                    if viewer.recv(64).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("no viewer is served after the flood")
        assert "Traceback" not in output.read_text()
    finally:
        for half in held:
            half.close()
        stop(process)


def test_a_connection_that_never_finishes_its_headers_is_closed(server):
    url, port, _ = server
    half = socket.create_connection(("127.0.0.1", port), timeout=20)
    half.sendall(b"GET / HTTP/1.1\r\n")
    started = time.monotonic()
    assert half.recv(1024) == b""  # closed by the server (a timeout here would raise)
    assert time.monotonic() - started < 15
    half.close()


def test_a_replayed_or_stale_command_is_refused(live, server):
    url, _, output = server
    headers = bearer(output)
    nonce = secrets.token_hex(16)
    first = post(url, command(nonce, command="note", text="once"), headers)
    assert first == 503  # no run takes it here: withdrawn and answered as failed
    assert post(url, command(nonce, command="note", text="once"), headers) == 409  # the same request again
    stale = json.dumps({"command": "next", "nonce": secrets.token_hex(16), "at": time.time() - 3600}).encode()
    assert post(url, stale, headers) == 409
    assert post(url, json.dumps({"command": "next"}).encode(), headers) == 409  # no nonce at all
    assert not [p for p in (live.state / "control").rglob("*") if p.is_file()]  # nothing waits to be applied later


def test_bytes_no_decoder_expects_are_400s_without_a_traceback(live, server):
    url, port, output = server
    headers = bearer(output)
    assert post(url, b"[" * 4000, headers) == 400
    surrogate = b'{"command":"note","text":"\\ud800","nonce":"' + b"a" * 32 + b'","at":' + str(time.time()).encode() + b"}"
    assert post(url, surrogate, headers) in (400, 503)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(f"POST /command HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer \xff\r\n"
                    "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".encode("latin-1"))
        assert raw.recv(64).startswith(b"HTTP/1.1 403")
    time.sleep(0.3)
    printed = output.read_text()
    assert "Traceback" not in printed and " 500" not in printed
    assert not [p for p in (live.state / "control").rglob("*.tmp")]


def test_beyond_loopback_a_foreign_host_and_origin_are_refused(live_session, tmp_path):
    state, session_id = live_session
    output = tmp_path / "serve.out"
    process, port = start_serve(state, session_id, output, "--host", "0.0.0.0", "--name", "atelier.example")
    try:
        def status(headers: dict[str, str], path: str = "/") -> int:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                raw.sendall(f"GET {path} HTTP/1.1\r\n{lines}Connection: close\r\n\r\n".encode())
                return int(raw.recv(64).split()[1])

        assert status({"Host": "evil.com"}) == 421
        assert status({"Host": f"evil.com:{port}"}, "/events") == 421  # the stream too: no DNS rebinding
        assert status({"Host": f"atelier.example:{port}"}) == 200  # a proxy's name, given with --name
        shown = re.search(r"(?:Viewer link|Lien des spectateurs)[^:]*: http://([^/]+)/", output.read_text()).group(1)
        assert status({"Host": shown}) == 200  # the address printed in the links
        headers = {**bearer(output), "Host": shown, "Origin": "http://evil.com"}
        assert post(f"http://127.0.0.1:{port}", command(command="next"), headers) == 403  # Origin against the list
    finally:
        stop(process)


@needs_chromium
async def test_a_kill_9_of_run_then_resume_brings_the_open_page_back_with_the_same_links(terminal, tmp_path):
    agenda = tmp_path / "servi.yaml"
    agenda.write_text(AGENDA)
    timer = terminal("run", str(agenda), "--no-bell")
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("left 09:")
    state = tmp_path / "state"
    (journal,) = (state / "sessions").glob("*.jsonl")
    output = tmp_path / "serve.out"
    server, port = start_serve(state, journal.stem, output)
    url = f"http://127.0.0.1:{port}"
    try:
        async with browser_page(tmp_path / "chromium") as page:
            await page.send("Page.navigate", url=url + "/")
            await wait_for_text(page, "#step", STEP_TITLE)
            await evaluate(page, "window.loadedAt = performance.timeOrigin")
            timer.child.kill(signal.SIGKILL)  # no quit event: a crash, not an end
            await wait_for_text(page, "#status", "resuming")
            assert server.poll() is None and "ended" not in output.read_text() and "terminée" not in output.read_text()
            assert await evaluate(page, "room.ended") is False
            resumed = terminal("resume", "--no-bell")
            resumed.wait_for("left 0")
            deadline = time.monotonic() + 10
            while "resuming" in (await evaluate(page, "document.getElementById('status').textContent")) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert "resuming" not in await evaluate(page, "document.getElementById('status').textContent")
            assert await evaluate(page, "window.loadedAt === performance.timeOrigin")  # the same page, never reloaded
            assert post(url, command(command="next"), bearer(output)) == 200  # the same controller link drives it
            resumed.wait_for("2/2", timeout=5)
            await wait_for_text(page, "#step", "Questions")
    finally:
        stop(server)


def start_serve_latest(state: Path, output: Path) -> tuple[subprocess.Popen, int]:
    """``atelier-timer serve`` with no session named, once its links are printed."""
    port = free_port()
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "atelier_timer", "serve", "--port", str(port), "--state-dir", str(state)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    wait_for_port(port, process)
    deadline = time.monotonic() + 10
    while "Ctrl+C" not in output.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    return process, port


@needs_chromium
async def test_serve_before_the_first_space_serves_the_open_run_not_an_older_session(terminal, tmp_path):
    agenda = tmp_path / "servi.yaml"
    agenda.write_text(AGENDA)
    earlier = terminal("run", str(agenda), "--no-bell")  # an earlier session of the state dir, quit
    earlier.wait_for("space")
    earlier.send(" ")
    earlier.wait_for("left 09:")
    earlier.send("q")
    earlier.wait_for("Quit the session?")
    earlier.send("y")
    earlier.child.expect(__import__("pexpect").EOF, timeout=15)
    state = tmp_path / "state"
    timer = terminal("run", str(agenda), "--no-bell")  # people arrive: no space pressed, no journal yet
    timer.wait_for("space")
    assert len(list((state / "sessions").glob("*.jsonl"))) == 1
    output = tmp_path / "serve.out"
    server, port = start_serve_latest(state, output)
    try:
        assert server.poll() is None, output.read_text()  # not attached to the earlier one, which has ended
        async with browser_page(tmp_path / "chromium") as page:
            await page.send("Page.navigate", url=f"http://127.0.0.1:{port}/")
            await wait_for_text(page, "#step", STEP_TITLE)
            await wait_for_text(page, "#status", "Not started yet")
            assert await evaluate(page, "document.getElementById('countdown').textContent") == "10:00"
            timer.send(" ")  # space on the timer: the page follows its new journal
            await wait_for_text(page, "#countdown", "09:")
            assert await evaluate(page, "room.ended") is False
            deadline = time.monotonic() + 5
            status = 0
            while status != 200 and time.monotonic() < deadline:  # the controller link printed before space drives it
                status = post(f"http://127.0.0.1:{port}", command(command="next"), bearer(output))
                await asyncio.sleep(0.2)
            assert status == 200
            await wait_for_text(page, "#step", "Questions")
            timer.wait_for("2/2", timeout=5)
    finally:
        stop(server)


def test_streams_dropped_at_once_free_their_slots_at_once(live_session, tmp_path):
    if not shutil.which("prlimit"):
        pytest.skip("prlimit is not installed")
    from atelier_timer.web.server import FD_RESERVE

    state, session_id = live_session
    port = free_port()
    files = 300  # a low file limit, so that a few hundred streams fill every viewer slot
    with open(tmp_path / "serve.out", "wb") as sink:
        process = subprocess.Popen(
            ["prlimit", f"--nofile={files}:{files}", sys.executable, "-m", "atelier_timer", "serve", session_id,
             "--port", str(port), "--state-dir", str(state)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    request = f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()

    def one_more() -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as viewer:
            viewer.sendall(request)
            return viewer.recv(64)

    streams = []
    try:
        wait_for_port(port, process)
        for _ in range(files - FD_RESERVE - 16):  # every slot
            viewer = socket.create_connection(("127.0.0.1", port), timeout=5)
            viewer.sendall(request)
            assert viewer.recv(64).startswith(b"HTTP/1.1 200")
            streams.append(viewer)
        assert one_more().startswith(b"HTTP/1.1 503")  # full
        for viewer in streams:
            viewer.close()
        deadline = time.monotonic() + 3  # well before the next keep-alive (20 s) would notice them
        while not (answer := one_more()).startswith(b"HTTP/1.1 200") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        for viewer in streams:
            viewer.close()
        stop(process)
