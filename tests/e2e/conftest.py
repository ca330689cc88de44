"""Drive the installed ``atelier-timer`` in a real pseudo-terminal and read its screen with pyte."""

from __future__ import annotations

import os
import shutil
import sys
import time

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

    def read(self) -> None:
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.05)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.output += data
            self.stream.feed(data)

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
