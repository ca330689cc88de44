"""The room's web server: one aiohttp process, one encoded payload for every viewer.

- ``GET /`` the viewer page, ``GET /control`` the controller page, ``GET /static/NAME`` their files
  (a fixed list read at start: no path from a request ever reaches the file system);
- ``GET /events`` Server-Sent Events: ``clock`` (the server's time, for the page's offset) on
  connecting, then ``state`` (the view) on every change, ``end`` when the session ends;
- ``POST /command`` a controller command (JSON), with ``Authorization: Bearer TOKEN``.

The access log is off: nothing a request carries is ever written anywhere.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import secrets
import sys
import time
from pathlib import Path

from aiohttp import web

from atelier_timer import control, portable
from atelier_timer.clock import SystemClock
from atelier_timer.i18n import UI_STRINGS, Translator, choose_language
from atelier_timer.journal import JournalError, JournalRecord, is_live, journal_title, read_journal
from atelier_timer.live import view_state
from atelier_timer.report import session_from_journal
from atelier_timer.serve import PROG, is_loopback

POLL = 0.25  # seconds between two looks at the journal, as follow does
KEEPALIVE = 20.0  # seconds between two comments on a quiet stream: a dead viewer is noticed
MAX_VIEWERS = 2000  # streams open at once; beyond, 503 (a bound on memory, not a target)
MAX_BODY = 4096  # bytes of a command
TAKEN_WITHIN = 1.0  # seconds run has to take a command before it is withdrawn
HERE = Path(__file__).resolve().parent
STATIC = {  # name -> content type: the only files served
    "room.css": "text/css",
    "viewer.js": "text/javascript",
    "control.js": "text/javascript",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
PAGE_STRINGS = (  # the UI strings the pages use, sent with them in the session's language
    "web.step", "web.next", "web.last_step", "web.paused", "web.ready", "web.finished", "web.ended",
    "web.hidden", "web.reconnecting", "web.previous", "web.next_step", "web.add_minute",
    "web.remove_minute", "web.message", "web.send", "web.clear", "web.hide", "web.note", "web.author",
    "web.note_hint", "web.sent", "web.refused", "web.no_token", "web.sound",
    "web.turn", "web.step_left", "web.step_over", "web.start", "web.pause", "web.resume",
)
CHIMES = ("warning", "danger", "zero", "turn")  # the terminal's chimes, for the pages to play


def host_name(host: str) -> str:
    """The name in a Host header, without its port (``[::1]:8000`` -> ``::1``)."""
    if host.startswith("["):
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def event(name: str, data: dict) -> bytes:
    """One Server-Sent Event, encoded."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


class Room:
    """One session's journal, tailed; its view encoded once for every viewer.

    ``payload`` is the bytes every stream sends next; ``version`` counts its changes, and ``changed``
    wakes the streams (a new ``asyncio.Event`` per change, so none misses one).
    """

    def __init__(self, record: JournalRecord) -> None:
        self.path = record.path
        self.session_id = record.session_id
        self.title = journal_title(record)
        self.language = "fr"
        self.version = 0
        self.payload = b""
        self.ended = False
        self.changed = asyncio.Event()
        self._seen: tuple[int, int, int] | None = None
        self._show(record)

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return (status.st_ino, status.st_size, status.st_mtime_ns)

    def _publish(self, payload: bytes) -> None:
        self.payload, self.version = payload, self.version + 1
        woken, self.changed = self.changed, asyncio.Event()
        woken.set()

    def _show(self, record: JournalRecord) -> None:
        session = session_from_journal(record, SystemClock())
        self.language = session.agenda.language
        self._publish(event("state", view_state(session)))

    def poll(self) -> None:
        """Publish the view again if the journal changed; the end once no program holds the session."""
        stamp = self._stamp()
        if stamp is not None and stamp != self._seen:
            try:
                record = read_journal(self.path)
            except JournalError:
                record = None  # damaged in the middle: keep the last good view
            if record is not None:
                self._seen = stamp
                self._show(record)
        if not is_live(self.path):
            self.ended = True
            self._publish(event("end", {}))


class RoomServer:
    """The aiohttp application around a :class:`Room`, with the controller's token."""

    def __init__(self, room: Room, state_dir: Path, loopback: bool, lang: str | None) -> None:
        self.room = room
        self.state_dir = state_dir
        self.loopback = loopback
        self.token = secrets.token_urlsafe(16)  # 128 bits
        self.viewers = 0
        t = Translator(UI_STRINGS, choose_language(lang, room.language))
        strings = json.dumps({key[4:]: t(key) for key in PAGE_STRINGS}, ensure_ascii=False).replace("<", "\\u003c")
        commands = json.dumps([name for name in control.COMMANDS if control.supported(name)])
        self.pages = {
            name: (HERE / f"{name}.html").read_text(encoding="utf-8")
            .replace("__STRINGS__", strings)
            .replace("__COMMANDS__", commands)
            .replace("__LANG__", t.lang)
            for name in ("viewer", "control")
        }
        self.static = {name: (HERE / name).read_bytes() for name in STATIC}
        from atelier_timer.sound import chime_wav

        self.chimes = {name: chime_wav(name) for name in CHIMES}
        self.app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        self.app.on_response_prepare.append(self._headers)
        self.app.add_routes(
            [
                web.get("/", self.viewer_page),
                web.get("/control", self.control_page),
                web.get("/static/{name}", self.static_file),
                web.get("/chime/{name}.wav", self.chime),
                web.get("/events", self.events),
                web.post("/command", self.command),
            ]
        )

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        """On loopback, only loopback names are served: a web page elsewhere cannot reach this server
        through a name it points at 127.0.0.1 (DNS rebinding)."""
        if self.loopback and not is_loopback(host_name(request.host)):
            return web.Response(status=421, text="wrong host\n")
        return await handler(request)

    @staticmethod
    async def _headers(request: web.Request, response: web.StreamResponse) -> None:
        """Every answer, errors included, carries the security headers."""
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    def _page(self, name: str) -> web.Response:
        return web.Response(text=self.pages[name], content_type="text/html", charset="utf-8")

    async def viewer_page(self, request: web.Request) -> web.Response:
        return self._page("viewer")

    async def control_page(self, request: web.Request) -> web.Response:
        return self._page("control")

    async def static_file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return web.Response(body=self.static[name], content_type=STATIC[name], charset="utf-8")

    async def chime(self, request: web.Request) -> web.Response:
        """The same chimes as the terminal's, as WAV, for the pages to play when the browser allows it."""
        name = request.match_info["name"]
        if name not in self.chimes:
            raise web.HTTPNotFound()
        return web.Response(body=self.chimes[name], content_type="audio/wav")

    async def events(self, request: web.Request) -> web.StreamResponse:
        """One viewer's stream: the clock, then the shared payload at every change, until the end."""
        if self.viewers >= MAX_VIEWERS:
            raise web.HTTPServiceUnavailable(text="too many viewers\n")
        room = self.room
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
        self.viewers += 1
        try:
            await response.prepare(request)
            await response.write(event("clock", {"now": round(time.time(), 3)}))
            seen = 0
            while True:
                if seen != room.version:
                    seen = room.version
                    await response.write(room.payload)
                if room.ended:
                    break
                changed = room.changed
                try:
                    await asyncio.wait_for(changed.wait(), KEEPALIVE)
                except asyncio.TimeoutError:  # not the builtin before Python 3.11
                    await response.write(b":\n\n")
        except (ConnectionResetError, ConnectionError):
            pass  # the viewer left
        finally:
            self.viewers -= 1
        return response

    async def command(self, request: web.Request) -> web.Response:
        """A controller command: refused (403) without the token, before anything else is looked at."""
        given = request.headers.get("Authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.token.encode()):
            raise web.HTTPForbidden(text="forbidden\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="wrong origin\n")
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="commands are application/json\n")
        if request.content_length is None or request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length or 0)
        try:
            command = control.validate(json.loads(await request.read()))
        except control.CommandError as error:
            return web.json_response({"ok": False, "error": str(error)}, status=501 if "unsupported" in str(error) else 400)
        except ValueError:
            return web.json_response({"ok": False, "error": "not JSON"}, status=400)
        if self.room.ended:
            return web.json_response({"ok": False, "error": "the session has ended"}, status=409)
        sent = control.send(self.state_dir, self.room.session_id, command)
        deadline = time.monotonic() + TAKEN_WITHIN
        while sent.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if control.withdraw(sent):
            return web.json_response({"ok": False, "error": "the timer did not take the command"}, status=503)
        return web.json_response({"ok": True})


async def _tail(room: Room, stop: asyncio.Event) -> None:
    while not room.ended:
        await asyncio.sleep(POLL)
        room.poll()
    await asyncio.sleep(0.5)  # the streams send the end before the server closes them
    stop.set()


def links(base: str, token: str) -> dict:
    return {"viewer": f"{base}/", "controller": f"{base}/control#{token}"}


def serve_room(record: JournalRecord, state_dir: Path, host: str, port: int, base: str, lang: str | None) -> int:
    """Run the room's server until Ctrl+C, SIGTERM or the session's end; the exit code."""
    return asyncio.run(_serve(record, state_dir, host, port, base, lang))


async def _serve(record: JournalRecord, state_dir: Path, host: str, port: int, base: str, lang: str | None) -> int:
    loopback = is_loopback(host)
    server = RoomServer(Room(record), state_dir, loopback, lang)
    runner = web.AppRunner(server.app, access_log=None, handle_signals=False, shutdown_timeout=1)
    await runner.setup()
    try:
        await web.TCPSite(runner, host.strip("[]"), port).start()
    except OSError as error:  # lost the port between the check and the bind
        await runner.cleanup()
        print(f"{PROG}: error: cannot listen on {base}: {error.strerror or error}", file=sys.stderr)
        return 1
    shown = links(base, server.token)
    links_file = control.write_links(state_dir, record.session_id, shown)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    portable.on_quit_signals(loop, stop.set)  # Ctrl+C, a kill, a closed terminal, on every platform
    print(f"Serving {record.session_id} ({server.room.title}) on {base}", flush=True)
    if not loopback:
        print(
            f"{PROG}: warning: listening on {host}, beyond this machine: anyone who can reach port {port} "
            "can watch this session; only who has the controller link can drive it or add notes, and over "
            "plain HTTP whoever can watch this network's traffic could read that link's token",
            file=sys.stderr,
        )
    print(f"\nViewer link (read-only, share it): {shown['viewer']}\n{control.qr_text(shown['viewer'])}", flush=True)
    print(f"Controller link (secret: it drives the timer): {shown['controller']}\n{control.qr_text(shown['controller'])}", flush=True)
    print("Ctrl+C stops the server.", flush=True)
    tail = asyncio.create_task(_tail(server.room, stop))
    try:
        await stop.wait()
    finally:
        tail.cancel()
        control.withdraw(links_file)
        await runner.cleanup()
    if server.room.ended:
        print("The session has ended: the pages are closed.", flush=True)
    return 0
