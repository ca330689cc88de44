"""``serve`` attacked as someone on the same machine would: faults made for real against the installed command.

Half-open connections under a lowered ``ulimit -n``, a ``kill -9`` of ``run`` and its ``resume``, a
wrong Host beyond loopback, a replayed command, bytes no decoder expects.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_serve import controller_link, free_port, live, live_session, post, server, start_serve, stop, wait_for_port  # noqa: F401 (fixtures)


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
        for _ in range(1100):  # each sends half a header and waits
            try:
                half = socket.create_connection(("127.0.0.1", port), timeout=5)
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
    assert post(url, b'{"command":"note","text":"\\ud800","nonce":"' + b"a" * 32 + b'","at":' + str(time.time()).encode() + b"}", headers) in (400, 503)
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
        shown = re.search(r"Viewer link[^:]*: http://([^/]+)/", output.read_text()).group(1)
        assert status({"Host": shown}) == 200  # the address printed in the links
        headers = {**bearer(output), "Host": shown, "Origin": "http://evil.com"}
        assert post(f"http://127.0.0.1:{port}", command(command="next"), headers) == 403  # Origin against the list
    finally:
        stop(process)
