"""What differs between Linux, macOS and Windows, in one place: the lock that tells a live session, the
quit signals, a folder's fsync and binary files (no Textual).

The lock is SQLite's, through the standard library's ``sqlite3``: an exclusive transaction held on a
small side file. SQLite takes it with the platform's own call (``fcntl`` locks on Linux and macOS,
``LockFileEx`` on Windows), between processes and between connections of one process, and the system
drops it with the process, even after ``kill -9``. So every platform runs this very code, and a
viewer's probe (a read, a shared lock for an instant) never stops the journal from being written.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

WINDOWS = os.name == "nt"
# os.open's files are in text mode on Windows unless told otherwise: "\n" would be written "\r\n"
# and a Ctrl+Z byte read as the end, so every file the program opens itself is opened with this
O_BINARY = getattr(os, "O_BINARY", 0)
# a closed terminal or a logout (SIGHUP, POSIX), a kill, Ctrl+C, Ctrl+Break (SIGBREAK, Windows)
QUIT_SIGNAL_NAMES = ("SIGTERM", "SIGHUP", "SIGINT", "SIGBREAK")
CLOSE_EVENTS = (2, 5, 6)  # Windows' CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT
CLOSE_GRACE = 4.5  # seconds to quit cleanly: Windows ends the process 5 s after a console closes


class Locked(Exception):
    """Another process (or another lock of this one) holds the lock."""


class Lock:
    """An exclusive lock on ``path`` (created empty if need be), held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        import sqlite3  # 7 ms: not before the first session event

        self.path = Path(path)
        connection = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            connection.close()
            if "locked" in str(error) or "busy" in str(error):
                raise Locked(str(self.path)) from None
            raise OSError(f"{self.path}: {error}") from None
        self._connection: sqlite3.Connection | None = connection

    def release(self) -> None:
        """Let go of the lock; never raises."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def is_locked(path: Path) -> bool:
    """Whether a :class:`Lock` on ``path`` is held now (by any process); a missing file is not."""
    import sqlite3

    try:
        probe = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchall()  # a shared lock, for an instant
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    except sqlite3.Error:
        return False
    finally:
        probe.close()


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a file created, renamed) durable. Windows cannot open a folder as a
    file, and NTFS journals its entries itself."""
    if WINDOWS:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def quit_signals() -> tuple[signal.Signals, ...]:
    """The signals that mean "quit cleanly" on this platform (each one that exists here)."""
    return tuple(getattr(signal, name) for name in QUIT_SIGNAL_NAMES if hasattr(signal, name))


def on_quit_signals(loop: asyncio.AbstractEventLoop, quit: Callable[[], None]) -> None:
    """Run ``quit`` on the loop at any quit signal, and on Windows when the console window closes.

    The loop's own handlers where it has them (they wake it at once); elsewhere (Windows' proactor
    loop) the plain ``signal`` handler, which hands ``quit`` to the loop.
    """
    for signum in quit_signals():
        try:
            loop.add_signal_handler(signum, quit)
        except (NotImplementedError, RuntimeError):
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(quit))
    if WINDOWS:
        _on_console_close(console_close_handler(loop, quit))


def console_close_handler(
    loop: asyncio.AbstractEventLoop, quit: Callable[[], None], done: threading.Event | None = None
) -> Callable[[int], bool]:
    """A Windows console handler: on a closed window, a logoff or a shutdown, ``quit`` on the loop, then
    wait (on the system's thread) until the program has finished (``done``, set at exit) or the grace
    is over; other events (Ctrl+C, Ctrl+Break) are left to the signals."""
    if done is None:
        import atexit

        done = threading.Event()
        atexit.register(done.set)

    def handle(event: int) -> bool:
        if event not in CLOSE_EVENTS:
            return False
        loop.call_soon_threadsafe(quit)
        done.wait(CLOSE_GRACE)
        return True

    return handle


def _on_console_close(handle: Callable[[int], bool]) -> None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    if sys.platform == "win32":  # always, where it is called; it tells a type checker on another system as much
        routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handle)
        _keep.append(routine)  # the system calls it until exit: it must outlive this function
        ctypes.WinDLL("kernel32", use_last_error=True).SetConsoleCtrlHandler(routine, True)


_keep: list[object] = []
