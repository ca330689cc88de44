"""The room's web server: one aiohttp process, one encoded payload for every viewer.

- ``GET /`` the viewer page, ``GET /control`` the controller page, ``GET /static/NAME`` their files
  (a fixed list read at start: no path from a request ever reaches the file system);
- ``GET /events`` Server-Sent Events: ``clock`` (the server's time, for the page's offset) on
  connecting, then ``state`` (the view) on every change, ``end`` when the session ends;
- ``POST /command`` a controller command (JSON), with ``Authorization: Bearer TOKEN``;
- ``GET /vote`` the participants' page, ``POST /participant`` a participant's command (a vote), with
  the participants' own token (``Authorization: Bearer PARTICIPANT_TOKEN``, from that link's fragment
  as the controller's), the browser's id (random, made and kept by the page) and a nonce.

The access log is off: nothing a request carries is ever written anywhere.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from atelier_timer import control, portable
from atelier_timer.agenda import parse_agenda
from atelier_timer.audience import ASKED_TOO_SOON, AskLimit, AudienceError
from atelier_timer.clock import SystemClock
from atelier_timer.errors import AtelierError
from atelier_timer.hosts import PROG, is_loopback
from atelier_timer.i18n import UI_STRINGS, Translator, choose_language
from atelier_timer.journal import SUFFIX, JournalError, JournalRecord, Tail, WriterProbe, journal_title, read_journal, sessions_dir
from atelier_timer.live import view_state
from atelier_timer.measures import BROWSER, MeasureError
from atelier_timer.report import session_from_journal
from atelier_timer.session import Session, Slot
from atelier_timer.texts import reason

POLL = 0.25  # seconds between two looks at the journal, as follow does
KEEPALIVE = 20.0  # seconds between two comments on a quiet stream: a dead viewer is noticed
MAX_VIEWERS = 2000  # streams open at once; beyond, 503 (a bound on memory, not a target)
FD_RESERVE = 64  # file descriptors kept free of connections: the journal, the inbox, the chimes, the loop
IDLE = 10.0  # seconds a connection may stay without a request under way (half-open headers, idle keep-alive)
FRESH = 60.0  # seconds a command's time may be off the server's clock; its nonce is remembered twice that
MAX_BODY = 4096  # bytes of a command
TAKEN_WITHIN = 1.0  # seconds run has to take a command before it is withdrawn
HERE = Path(__file__).resolve().parent
STATIC = {  # name -> content type: the only files served
    "room.css": "text/css",
    "viewer.js": "text/javascript",
    "control.js": "text/javascript",
    "participant.js": "text/javascript",
    "commands.js": "text/javascript",
}
BROWSER_RATE = 4.0  # a participant's browser: commands a second, on average
BROWSER_BURST = 20  # and at once (a few quick taps on + and -)
MAX_BROWSERS = 10000  # browsers whose rate is remembered; beyond, the quietest are forgotten
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
    "web.note_hint", "web.sent", "web.refused", "web.no_token", "web.sound", "web.resuming",
    "web.turn", "web.step_left", "web.step_over", "web.start", "web.pause", "web.resume",
    "web.next_turn", "web.previous_turn", "web.roti_open", "web.roti_closed", "web.roti_mean", "web.roti_votes",
    "web.measures", "web.vote_waiting", "web.vote_open", "web.vote_closed", "web.points_left", "web.useful",
    "web.usable", "web.voters", "web.vote_toggle", "web.tally_toggle", "web.keep", "web.rework", "web.drop",
    "web.no_participant_token", "web.vote_is_open", "web.vote_is_closed", "web.ask_title", "web.ask_name",
    "web.ask_text", "web.ask_send", "web.ask_sent", "web.ask_hint",
    "web.roti_title", "web.roti_thanks", "web.questions_title", "web.questions_none", "web.show", "web.answered",
    "web.dropped", "web.roti_toggle", "web.roti_reveal", "web.status_waiting", "web.status_shown",
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
    wakes the streams (a new ``asyncio.Event`` per change, so none misses one). The journal stays
    open on one descriptor (:class:`~atelier_timer.journal.Tail`), and probed through one connection:
    a server out of file descriptors still tells a live session from one whose program stopped.
    """

    def __init__(self, record: JournalRecord | None, waiting: dict | None = None, state_dir: Path | None = None) -> None:
        self.language = "fr"
        self.version = 0
        self.payload = b""
        self.ended = False  # the journal says the session was quit, and its program has gone
        self.interrupted = False  # its program stopped without quitting: waiting for a resume
        self.asked = AskLimit()  # the questions accepted, by browser: one every ASK_EVERY seconds
        self.changed = asyncio.Event()
        self.session: Session | None = None  # as the journal last showed it
        self._waiting, self._state_dir = waiting, state_dir
        if record is not None:
            self._attach(record)
        else:  # a run open before its first space: its agenda, until its journal exists
            self.path, self.session_id = None, None
            agenda = parse_agenda(waiting["agenda_yaml"], str(waiting.get("agenda_source", "")))
            self.title = agenda.title
            session = Session(agenda, SystemClock(), slot=Slot.from_dict(waiting.get("slot")))
            self.language = agenda.language
            self._publish(event("state", view_state(session)))

    def _attach(self, record: JournalRecord) -> None:
        self.path = record.path
        self.session_id = record.session_id
        self.title = journal_title(record)
        self.tail = Tail(self.path, hold_open=True)
        self._probe = WriterProbe(self.path)
        self._record = record
        self._show(record)

    def _wait_for_journal(self) -> None:
        """Before the first space: the journal once the run names it; the end if the run goes first."""
        presence = control.read_presence(self._waiting["path"])
        if presence is None:
            self.ended = True
            self._publish(event("end", {}))
        elif presence.get("session"):
            try:
                path = sessions_dir(self._state_dir) / f"{presence['session']}{SUFFIX}"
                self._attach(read_journal(path))
            except (OSError, JournalError):
                pass  # not readable yet: the next poll tries again

    def close(self) -> None:
        if self.path is not None:
            self._probe.close()
            self.tail.close()

    def _publish(self, payload: bytes) -> None:
        self.payload, self.version = payload, self.version + 1
        woken, self.changed = self.changed, asyncio.Event()
        woken.set()

    def refuses(self, command: dict) -> str | None:
        """Why the session, as its journal stands, would refuse a participant's vote or question (``run``
        checks again); else None. A question accepted counts at once against its browser's rate."""
        name = command["command"]
        if name not in ("vote", "ask", "roti_vote") or self.session is None:
            return None
        try:
            if name == "vote":
                self.session.board.check("vote", command)
            elif name == "roti_vote":
                self.session.audience.check_vote(command["browser"])
            else:
                now, browser = time.time(), command["browser"]
                if self.session.audience.limit.wait(browser, now) > 0:  # the journal's last question (a serve restarted)
                    raise AudienceError(f"{ASKED_TOO_SOON}: wait a little")
                self.asked.take(browser, now)
        except (MeasureError, AudienceError) as error:
            return str(error)
        return None

    def _show(self, record: JournalRecord) -> None:
        session = session_from_journal(record, SystemClock())
        self.session = session
        self.language = session.agenda.language
        self._publish(event("state", view_state(session)))

    def poll(self) -> None:
        """Publish the view again if the journal changed; the end only once the journal says the session
        was quit and no program holds it; a pause for a resume when its program stopped otherwise."""
        if self.path is None:
            self._wait_for_journal()
            return
        stamp = self.tail.look()
        live = self._probe.holds()
        if self.tail.changed(stamp):
            try:
                record = self.tail.read(stamp)
            except JournalError:
                record = None  # damaged in the middle: keep the last good view
            if record is not None:
                self._record = record
                if live or not self.interrupted:
                    self._show(record)
        if live:
            if self.interrupted:  # resumed
                self.interrupted = False
                self._show(self._record)
            return
        quit_ = bool(self._record.events) and self._record.events[-1]["type"] == "quit"
        if quit_:
            self.ended = True
            self._publish(event("end", {}))
        elif not self.interrupted:
            self.interrupted = True
            self._publish(event("interrupted", {}))


class _Refused(asyncio.Protocol):
    """A connection beyond the limit: closed at once, its descriptor given back."""

    def connection_made(self, transport) -> None:
        transport.abort()


class RateLimit:
    """A token bucket per key (a browser's id): ``rate`` a second, ``burst`` at once; at most ``keys`` remembered."""

    def __init__(self, rate: float, burst: int, keys: int) -> None:
        self.rate, self.burst, self.keys = rate, burst, keys
        self.buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, when = self.buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if len(self.buckets) >= self.keys:  # the oldest-used key goes (dicts keep their order)
            self.buckets.pop(next(iter(self.buckets)))
        allowed = tokens >= 1.0
        self.buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        return allowed


class RoomServer:
    """The aiohttp application around a :class:`Room`, with the controller's token."""

    def __init__(
        self, room: Room, state_dir: Path, loopback: bool, lang: str | None, names: set[str] | None = None, max_viewers: int = MAX_VIEWERS
    ) -> None:
        self.room = room
        self.state_dir = state_dir
        self.loopback = loopback
        self.names = {name.lower() for name in names or ()}  # beyond loopback: the names this server answers to
        self.token = secrets.token_urlsafe(16)  # 128 bits
        self.participant_token = secrets.token_urlsafe(16)  # the participants' link: another 128 bits
        self.browsers = RateLimit(BROWSER_RATE, BROWSER_BURST, MAX_BROWSERS)
        self.viewers = 0
        self.max_viewers = max_viewers
        self.nonces: dict[str, float] = {}  # of the commands taken, with when: a replay is refused
        self.connected: dict = {}  # connection -> when it last had a request under way (or opened)
        self.busy: dict = {}  # connection -> requests under way
        self.said_error = False
        t = Translator(UI_STRINGS, choose_language(lang, room.language))
        strings = json.dumps({key[4:]: t(key) for key in PAGE_STRINGS}, ensure_ascii=False).replace("<", "\\u003c")
        commands = json.dumps([name for name in control.COMMANDS if control.supported(name)])
        self.pages = {
            name: (HERE / f"{name}.html").read_text(encoding="utf-8")
            .replace("__STRINGS__", strings)
            .replace("__COMMANDS__", commands)
            .replace("__LANG__", t.lang)
            for name in ("viewer", "control", "participant")
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
                web.get("/vote", self.participant_page),
                web.post("/participant", self.participant_command),
                web.get("/participant/ballot", self.ballot),
                web.get("/control/questions", self.questions),
            ]
        )

    def known_host(self, name: str) -> bool:
        """Whether a Host (or Origin) name is one this server was started for: any loopback name on loopback,
        else its own names and addresses; a page elsewhere cannot reach it through a name it points here
        (DNS rebinding)."""
        name = name.lower()
        return is_loopback(name) if self.loopback else (name in self.names or is_loopback(name))

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        """Only names this server was started for are served; a request's fault is a 400, never a 500
        with a traceback; and the connection counts as busy while a request is under way."""
        if not self.known_host(host_name(request.host)):
            return web.Response(status=421, text="wrong host\n")
        connection = request.protocol
        self.busy[connection] = self.busy.get(connection, 0) + 1
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a request makes go wrong, one line, once
            if not self.said_error:
                self.said_error = True
                print(f"{PROG}: warning: a request was refused: {type(error).__name__}", file=sys.stderr, flush=True)
            return web.json_response({"ok": False, "error": "bad request"}, status=400)
        finally:
            self.busy[connection] -= 1
            self.connected[connection] = time.monotonic()

    def accept(self, server: web.Server, limit: int):
        """The protocol factory of the listening socket: no more than ``limit`` connections at once."""

        def connection():
            if len(server.connections) >= limit:
                return _Refused()
            handler = server()
            self.connected[handler] = time.monotonic()
            return handler

        return connection

    def close_idle(self) -> None:
        """Close the connections that have had no request under way for ``IDLE`` seconds (half-open ones too)."""
        now = time.monotonic()
        for connection, since in list(self.connected.items()):
            if connection.transport is None:  # closed: forgotten
                self.connected.pop(connection, None)
                self.busy.pop(connection, None)
            elif not self.busy.get(connection) and now - since > IDLE:
                connection.force_close()

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

    async def participant_page(self, request: web.Request) -> web.Response:
        return self._page("participant")

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
        if self.viewers >= self.max_viewers:
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
        finally:  # also when the viewer leaves mid-wait: the handler is cancelled, its slot freed at once
            self.viewers -= 1
        return response

    async def command(self, request: web.Request) -> web.Response:
        """A controller command: refused (403) without the token, before anything else is looked at."""
        self._check_token(request, self.token)
        return await self._take(request, control.COMMANDS)

    async def participant_command(self, request: web.Request) -> web.Response:
        """A participant's command (a vote), with the participants' token (not the controller's: 403),
        its browser's id, and a nonce; each browser is held to ``BROWSER_RATE`` commands a second."""
        self._check_token(request, self.participant_token)
        return await self._take(request, control.PARTICIPANT_COMMANDS, participant=True)

    async def ballot(self, request: web.Request) -> web.Response:
        """A browser's own points (``{"N:criterion": points}``) and ROTI score as the journal has them, for its
        page to start from: a reloaded page never offers again what it gave."""
        self._check_token(request, self.participant_token)
        browser = request.headers.get("X-Browser", "")
        if not BROWSER.fullmatch(browser):
            return web.json_response({"ok": False, "error": "no browser id"}, status=400)
        session = self.room.session
        given = session.board.ballots.get(browser, {}) if session is not None else {}
        roti = session.audience.votes.get(browser) if session is not None else None  # its ROTI score, once voted
        return web.json_response({"ok": True, "ballot": {f"{n}:{c}": p for (n, c), p in given.items()}, "roti": roti})

    async def questions(self, request: web.Request) -> web.Response:
        """The audience's questions as the journal has them, for the controller's queue: its token only
        (never on the viewers' stream, where nothing an audience member writes goes unless it is shown)."""
        self._check_token(request, self.token)
        session = self.room.session
        listed = session.audience.questions if session is not None else []
        return web.json_response({"ok": True, "questions": [q._asdict() for q in listed]})

    @staticmethod
    def _check_token(request: web.Request, token: str) -> None:
        given = request.headers.get("Authorization", "")
        scheme, _, offered_text = given.partition(" ")
        offered = offered_text.strip().encode("utf-8", "surrogateescape")  # a header of any bytes is compared, not decoded
        if scheme.lower() != "bearer" or not hmac.compare_digest(offered, token.encode()):
            raise web.HTTPForbidden(text="forbidden\n")

    async def _take(self, request: web.Request, allowed: tuple[str, ...], participant: bool = False) -> web.Response:
        """Check a command sent with a good token, then hand it to ``run`` through the inbox and wait for it to be taken."""
        origin = request.headers.get("Origin")
        if origin is not None and not self._known_origin(origin):
            raise web.HTTPForbidden(text="wrong origin\n")
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="commands are application/json\n")
        if request.content_length is None or request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length or 0)
        try:
            data = json.loads(await request.read())
            command = control.validate(data, allowed)
        except control.CommandError as error:
            return web.json_response({"ok": False, "error": str(error)}, status=501 if "unsupported" in str(error) else 400)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
            return web.json_response({"ok": False, "error": "not JSON"}, status=400)
        if participant and not self.browsers.allow(command["browser"]):
            return web.json_response({"ok": False, "error": "too many commands from this browser: wait a little"}, status=429)
        refused = self._once(data)
        if refused:
            return web.json_response({"ok": False, "error": refused}, status=409)
        if self.room.session_id is None:
            return web.json_response({"ok": False, "error": "the session has not started: press space on the timer"}, status=409)
        if self.room.ended or self.room.interrupted:
            return web.json_response({"ok": False, "error": "the session is not open"}, status=409)
        refused = self.room.refuses(command)
        if refused:
            too_soon = command["command"] == "ask" and refused.startswith(ASKED_TOO_SOON)
            return web.json_response({"ok": False, "error": refused}, status=429 if too_soon else 409)
        sent = control.send(self.state_dir, self.room.session_id, command, TAKEN_WITHIN)
        taken = False
        try:
            deadline = time.monotonic() + TAKEN_WITHIN
            while sent.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        finally:  # the controller gone mid-wait (cancelled) withdraws the command as well
            taken = not control.withdraw(sent)
        if not taken:
            return web.json_response({"ok": False, "error": "the timer did not take the command"}, status=503)
        return web.json_response({"ok": True})

    def _known_origin(self, origin: str) -> bool:
        """Whether a page's Origin is this server as it was started (never the Host a request claims)."""
        try:
            parts = urlsplit(origin)
            return parts.scheme in ("http", "https") and bool(parts.hostname) and self.known_host(parts.hostname)
        except ValueError:
            return False

    def _once(self, data: dict) -> str | None:
        """Why a command cannot be taken as new (no nonce, a time far from ours, a nonce seen), else None."""
        nonce, sent_at = data.get("nonce"), data.get("at")
        if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64 or not isinstance(sent_at, (int, float)):
            return "a command needs a 'nonce' and its time 'at'"
        now = time.time()
        if abs(now - sent_at) > FRESH:
            return "a stale command"
        for seen, when in list(self.nonces.items()):
            if now - when > 2 * FRESH:
                del self.nonces[seen]
        if nonce in self.nonces:
            return "a replayed command"
        self.nonces[nonce] = now
        return None


async def _tail(server: RoomServer, stop: asyncio.Event, shown: dict, links_files: list[Path], t: Translator) -> None:
    room = server.room
    said = False
    while not room.ended:
        await asyncio.sleep(POLL)
        room.poll()
        server.close_idle()
        if room.session_id is not None and not links_files:  # started at last: run's w can show the links
            links_files.append(control.write_links(server.state_dir, room.session_id, shown))
        if room.interrupted != said:
            said = room.interrupted
            print(t("serve.interrupted" if said else "serve.back"), flush=True)
    await asyncio.sleep(0.5)  # the streams send the end before the server closes them
    stop.set()


def links(base: str, token: str, participant_token: str) -> dict:
    return {"viewer": f"{base}/", "controller": f"{base}/control#{token}", "participants": f"{base}/vote#{participant_token}"}


def connection_limit() -> int:
    """How many connections this process can hold: its file limit (the soft one raised to the hard one
    where allowed) less a reserve, so that the journal and the inbox can always be opened."""
    try:
        import resource
    except ImportError:  # no such limits here
        return MAX_VIEWERS + FD_RESERVE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    soft = soft if soft != resource.RLIM_INFINITY else 65536
    return max(soft - FD_RESERVE, 8)


def serve_room(
    record: JournalRecord | None,
    state_dir: Path,
    host: str,
    port: int,
    base: str,
    lang: str | None,
    names: set[str] | None = None,
    waiting: dict | None = None,
) -> int:
    """Run the room's server until Ctrl+C, SIGTERM or the session's end; the exit code.

    ``waiting``: instead of a journal, what a ``run`` open before its first space announces.
    """
    return asyncio.run(_serve(record, state_dir, host, port, base, lang, names or set(), waiting))


async def _serve(
    record: JournalRecord | None, state_dir: Path, host: str, port: int, base: str, lang: str | None, names: set[str], waiting: dict | None
) -> int:
    loopback = is_loopback(host)
    limit = connection_limit()
    room = Room(record, waiting, state_dir)
    server = RoomServer(room, state_dir, loopback, lang, names, max_viewers=min(MAX_VIEWERS, limit - 16))
    runner = web.AppRunner(
        server.app, access_log=None, handle_signals=False, shutdown_timeout=1, handler_cancellation=True, keepalive_timeout=IDLE
    )
    await runner.setup()
    loop = asyncio.get_running_loop()
    try:
        listening = await loop.create_server(server.accept(runner.server, limit), host.strip("[]"), port, reuse_address=True)
    except OSError as error:  # lost the port between the check and the bind
        await runner.cleanup()
        room.close()
        raise AtelierError(f"cannot listen on {base}: {reason(error)}", exit_code=1) from None
    shown = links(base, server.token, server.participant_token)
    links_files = [control.write_links(state_dir, room.session_id, shown)] if room.session_id else []
    stop = asyncio.Event()
    portable.on_quit_signals(loop, stop.set)  # Ctrl+C, a kill, a closed terminal, on every platform
    t = Translator(UI_STRINGS, choose_language(lang, room.language))  # the banner in the screen's language
    what = room.session_id or t("serve.about_to_start")
    print(t("serve.banner", what=what, title=room.title, url=base), flush=True)
    if not loopback:
        print(
            f"{PROG}: warning: listening on {host}, beyond this machine: anyone who can reach port {port} "
            "can watch this session; only who has the controller link can drive it or add notes, and over "
            "plain HTTP whoever can watch this network's traffic could read that link's token",
            file=sys.stderr,
        )
    print("\n" + t("serve.viewer", url=shown["viewer"]) + "\n" + control.qr_text(shown["viewer"]), flush=True)
    print(t("serve.controller", url=shown["controller"]) + "\n" + control.qr_text(shown["controller"]), flush=True)
    print(t("serve.participants", url=shown["participants"]) + "\n" + control.qr_text(shown["participants"]), flush=True)
    print(t("serve.stop"), flush=True)
    tail = asyncio.create_task(_tail(server, stop, shown, links_files, t))
    try:
        await stop.wait()
    finally:
        tail.cancel()
        for links_file in links_files:
            control.withdraw(links_file)
        listening.close()
        await runner.cleanup()
        room.close()
    if server.room.ended:
        print(t("serve.ended"), flush=True)
    return 0
