"""What the benchmarks share: a program in a real pseudo-terminal, its screen, its /proc figures,
and how far a shown countdown is from the true remaining time.

Standard library only at import time (pyte is imported where a screen is read), so that importing
this module costs the measured programs nothing: it is never imported by them.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def child_env() -> dict[str, str]:
    """The same environment for every measured program: ours, minus Textual's switches, plus a known terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", PYTHONUNBUFFERED="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    return env


class PtyProgram:
    """A program running in a pseudo-terminal of ``cols`` x ``rows``, its output read into a pyte screen."""

    def __init__(self, argv: list[str], cols: int = 100, rows: int = 30, cwd: Path = REPO) -> None:
        import pyte

        self.argv = argv
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self.chunks: list[tuple[float, bytes]] = []  # (monotonic time read, bytes), for after-the-fact reading
        env = child_env()
        self.spawned = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.exit_status: int | None = None

    def pump(self, timeout: float, feed: bool = True) -> bool:
        """Read what the program wrote within ``timeout`` seconds into the screen; False once it has closed.

        With ``feed=False`` the bytes are only kept, with the time they came: reading the screen costs
        the parent milliseconds per kilobyte, and a program whose terminal is not read waits.
        """
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed its terminal
            return False
        if not data:
            return False
        self.output += data
        if feed:
            self.stream.feed(data)
        else:
            self.chunks.append((time.monotonic(), data))
        return True

    def first_shown(self, found, timeout: float = 30.0, quiet: float = 0.3) -> float:
        """The monotonic time at which the screen first satisfied ``found(self)``, read after the fact.

        Bytes are collected untouched until the program has been quiet for ``quiet`` seconds, then fed
        to the screen chunk by chunk; the answer is the time the deciding chunk was read.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.chunks[-1][0] if self.chunks else self.spawned
            if not self.pump(0.02, feed=False):
                raise RuntimeError(f"{self.argv[1:]} ended before the expected screen:\n{self.tail()}")
            if self.chunks and time.monotonic() - max(last, self.chunks[-1][0]) >= quiet:
                while self.chunks:
                    when, data = self.chunks.pop(0)
                    self.stream.feed(data)
                    if found(self):
                        self.chunks.clear()
                        return when
        raise TimeoutError(f"{self.argv[1:]}: expected screen not seen within {timeout} s:\n" + "\n".join(self.lines()))

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def wait_for(self, found, timeout: float = 30.0) -> float:
        """Pump until ``found(self)`` holds; the monotonic time at which it first did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pump(0.05):
                raise RuntimeError(f"{self.argv[1:]} ended before the expected screen:\n{self.tail()}")
            if found(self):
                return time.monotonic()
        raise TimeoutError(f"{self.argv[1:]}: expected screen not seen within {timeout} s:\n" + "\n".join(self.lines()))

    def drain(self, seconds: float) -> None:
        """Keep reading for ``seconds`` (a program whose terminal is not read ends up blocked on writing)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if not self.pump(min(left, 0.5)):
                break

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def tail(self) -> str:
        return self.output[-2000:].decode("utf-8", "replace")

    def cpu_seconds(self) -> tuple[float, float]:
        """(utime+stime from /proc/PID/stat, all threads, 1/CLK_TCK resolution; the sum of the threads'
        on-CPU nanoseconds from /proc/PID/task/*/schedstat, finer)."""
        return cpu_stat(self.pid), cpu_schedstat(self.pid)

    def status_kb(self, field: str) -> int:
        return proc_status_kb(self.pid, field)

    def kill(self) -> None:
        if self.exit_status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, self.exit_status = os.waitpid(self.pid, 0)
            os.close(self.fd)


def cpu_stat(pid: int) -> float:
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces: split after it
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def cpu_schedstat(pid: int) -> float:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
            pass
    return total / 1e9


def proc_status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# ----- how far a shown countdown is from the truth -----

_SHOWN = re.compile(r"^(\+?)(?:(\d+):)?(\d\d):(\d\d)$")


def shown_interval(text: str) -> tuple[float, float]:
    """The true remaining times (seconds; negative in overtime) for which ``text`` is the right display.

    ``MM:SS`` shows the remaining time rounded up: ``09:59`` is right for remaining in (598, 599];
    ``+MM:SS`` shows the overtime rounded down: ``+00:03`` is right for overtime in [3, 4).
    """
    match = _SHOWN.match(text)
    if match is None:
        raise ValueError(f"not a countdown: {text!r}")
    sign, hours, minutes, seconds = match.groups()
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if sign:
        return (-(value + 1), -value)  # overtime in [value, value + 1)
    return (value - 1, value) if value else (0.0, 0.0)


def display_error(text: str, true_remaining: float) -> float:
    """Seconds between the true remaining time and the nearest time at which ``text`` would be right (0 when right)."""
    low, high = shown_interval(text)
    if true_remaining > high:
        return true_remaining - high
    if true_remaining < low:
        return low - true_remaining
    return 0.0


def python() -> str:
    """The interpreter every measured program runs on: this one."""
    return sys.executable
