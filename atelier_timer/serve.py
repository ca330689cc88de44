"""``atelier-timer serve``: the room's pages for a running session, from one process.

Viewers: one plain page (``atelier_timer/web/``) that every browser loads; the server tails the
session's journal as ``follow`` does (a ``stat`` per poll) and, only when it changes, encodes the
session's view once (:func:`atelier_timer.live.view_state`) and pushes the same bytes to every page
over Server-Sent Events. The pages count down by themselves between two changes.

Controller: a second page on a secret link (a 128-bit token in the link's fragment, which browsers
never send in a request or a Referer); its commands carry the token in a header, are checked in
constant time, and reach the running ``run`` through the control channel (:mod:`atelier_timer.control`).
The server never writes the journal: ``run`` stays its single writer.

The server listens on loopback unless told otherwise, and says who can then see and do what.
``serve --terminal`` is the older mirror: textual-serve gives each browser its own ``follow``.
"""

from __future__ import annotations

import errno
import shlex
import socket
import sys
from pathlib import Path

from atelier_timer.errors import AtelierError
from atelier_timer.hosts import PROG, is_loopback, url_of
from atelier_timer.journal import LIVE_STATES, JournalError, find_session, journal_title, read_journal
from atelier_timer.texts import reason


def port_problem(host: str, port: int) -> tuple[str, int] | None:
    """Why the server could not listen on ``host:port``, with the exit code; None when it can.

    Tried the way the server will bind, so that a port in use is told in one line, not a traceback.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"cannot listen on {host!r}: {error.strerror}", 2
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            try:
                probe.bind(address)
            except OSError as error:
                code = 2 if error.errno == errno.EADDRNOTAVAIL else 1  # not an address of this machine: bad input
                return f"cannot listen on {url_of(host, port)}: {reason(error)}", code
    return None


def follow_command(session_id: str, state_dir: Path, lang: str | None) -> str:
    """The shell command textual-serve runs for each browser: a viewer of that one session."""
    words = [sys.executable, "-m", "atelier_timer", "follow", session_id, "--state-dir", str(Path(state_dir).absolute())]
    if lang:
        words += ["--lang", lang]
    return shlex.join(words)


def run_serve(
    state_dir: Path,
    ref: str | None,
    host: str,
    port: int,
    lang: str | None = None,
    terminal: bool = False,
    names: list[str] | None = None,
) -> int:
    """Serve the named session (else the latest one a program holds open) until Ctrl+C or its end; the exit code.

    Without a name, only a session that a ``run`` holds open now is taken, never an older one of the
    state dir; ``names``: more names the server is reached by (a proxy's), for the Host check.
    """
    if not 1 <= port <= 65535:
        raise AtelierError(f"--port must be between 1 and 65535, not {port}")
    waiting = None
    try:
        path = find_session(state_dir, ref, states=None if ref else LIVE_STATES, live=None if ref else True)
        record = read_journal(path)
    except JournalError as error:
        from atelier_timer.control import open_runs

        record = None
        waiting = None if ref else next(iter(open_runs(state_dir)), None)  # a run open before its first space
        if waiting is None:
            hint = "" if ref else "; start one with 'atelier-timer run', or name one"
            raise JournalError(f"{error}{hint}") from None
    problem = port_problem(host, port)
    if problem:
        message, code = problem
        raise AtelierError(message, exit_code=code)
    wildcard = host.strip("[]") in ("0.0.0.0", "::")
    # 0.0.0.0 is no address to type in a browser: show one this machine is reached at
    base = url_of(public_address(), port) if wildcard else url_of(host, port)
    if terminal:
        if record is None:
            raise AtelierError("--terminal needs a started session: press space on the timer first")
        return _serve_terminal(record, state_dir, host, port, base, lang)
    from atelier_timer.web.server import serve_room

    known = {host.strip("[]"), public_address(), socket.gethostname(), *(names or ())}
    return serve_room(record, Path(state_dir), host, port, base, lang, {name for name in known if name}, waiting)


def public_address() -> str:
    """The address other machines most likely reach this one at (the one its default route uses)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent, only a route chosen
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()


def _serve_terminal(record, state_dir: Path, host: str, port: int, url: str, lang: str | None) -> int:
    """The terminal mirror: textual-serve runs one ``follow`` per browser."""
    if not is_loopback(host):
        print(
            f"{PROG}: warning: listening on {host}, beyond this machine: "
            f"anyone who can reach port {port} can watch this session",
            file=sys.stderr,
        )
    from textual_serve.server import Server

    title = journal_title(record)

    class ViewerServer(Server):
        async def on_startup(self, app) -> None:
            print(f"Serving a read-only view of {record.session_id} ({title}) on {url}", flush=True)
            print("Each browser gets its own viewer. Ctrl+C stops the server.", flush=True)

        async def handle_index(self, request):
            # the page's websocket address must be the one this browser used, not the bind address (0.0.0.0)
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    server = ViewerServer(follow_command(record.session_id, state_dir, lang), host=host, port=port, title=f"atelier-timer — {title}")
    try:
        server.serve()
    except OSError as error:  # lost the port between the check and the bind
        raise AtelierError(f"cannot listen on {url}: {reason(error)}", exit_code=1) from None
    return 0
