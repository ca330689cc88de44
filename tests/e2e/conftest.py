"""Drive the installed ``atelier-timer`` in a real pseudo-terminal and read its screen with pyte."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pexpect
import pyte
import pytest


def command() -> list[str]:
    """The installed console script, as a user runs it (``python -m`` when it is not on PATH)."""
    script = shutil.which("atelier-timer")
    return [script] if script else [sys.executable, "-m", "atelier_timer"]


class Terminal:
    """A program in a pty of a fixed size, with the screen it draws."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: str, size=(100, 30)) -> None:
        columns, lines = size
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()  # every byte the program sent to its terminal
        argv = command() + args
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(lines, columns))
        self._reading = threading.Lock()

    def read(self) -> None:
        with self._reading:
            while True:
                try:
                    data = self.child.read_nonblocking(65536, timeout=0.05)
                except (pexpect.TIMEOUT, pexpect.EOF):
                    return
                self.output += data
                self.stream.feed(data)

    @contextmanager
    def draining(self) -> Iterator[None]:
        """Read what the program writes all along, as a real terminal does, while the test is busy elsewhere
        (thirty browsers voting): a full pty would block the program in its next write, and the commands
        it should take meanwhile would time out. Not around ``child.expect``, which reads by itself."""
        stop = threading.Event()

        def drain() -> None:
            while not stop.wait(0.05):
                try:
                    self.read()
                except (OSError, ValueError):  # the pty closed under the reader
                    return

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        try:
            yield
        finally:
            stop.set()
            reader.join()

    def text(self) -> str:
        self.read()
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 15.0) -> str:
        """The screen, once it shows ``needle`` (bounded: fails after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.text()
            if needle in shown:
                return shown
            if not self.child.isalive():
                break
        raise AssertionError(f"{needle!r} never showed; the screen was:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def quit(self) -> None:
        """``q``, then ``y`` to the question: the program ends, and exits 0."""
        self.send("q")
        self.wait_for("Quitter la session")
        self.send("y")
        self.child.expect(pexpect.EOF, timeout=15)
        self.child.close()
        assert self.child.exitstatus == 0

    def close(self) -> None:
        if self.child.isalive():
            self.child.kill(9)
        self.child.close(force=True)


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []
    env = {**os.environ, "TERM": "xterm-256color", "ATELIER_TIMER_STATE_DIR": str(tmp_path / "state"), "LANG": "C.UTF-8"}
    env.pop("TEXTUAL", None)

    def open_terminal(*args: str, size=(100, 30)) -> Terminal:
        opened.append(Terminal(list(args), env, str(tmp_path), size))
        return opened[-1]

    yield open_terminal
    for term in opened:
        term.close()
