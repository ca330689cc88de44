"""Many viewers of the room's web page: what the one server costs, and how fast a change reaches the last.

For each count N (default 50, 100, 250, 500): a session is started and written by this process (a real
``Session`` and ``Journal``, so it is live), ``atelier-timer serve`` runs as its own process on a free
loopback port, and N real HTTP clients open the viewer page's event stream (``GET /events``, Server-Sent
Events), each on its own TCP connection, as N browsers would. Then:

- connect: the time until every viewer has received the session's state;
- memory: the server's RSS (``VmRSS``) and peak RSS (``VmHWM``) with N viewers connected;
- idle CPU: the server's CPU time (utime+stime) over --idle seconds of counting with nobody touching
  anything (the pages count down by themselves: the server only polls the journal);
- propagation: --changes times, ``next`` (back to the start when at the last step); from the moment the
  event is fsynced to the moment each viewer has read the new step from its socket. The figure that
  matters is the last viewer's: the whole room has the change by then. And the server's CPU per change.

The clients are asyncio streams in this process, each looking for the new step's index in the bytes it
reads; they cost this process, not the server. Bounded: at most 2000 viewers, every wait with a timeout.

    python benchmarks/viewers.py [--viewers 50,100,250,500] [--changes 5] [--idle 5]

Targets (issue 14): 500 viewers, every one updated within 1 s of a change, the server under 100 MB.
Exit 0 when the largest count meets them, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, child_env, cpu_stat, median, proc_status_kb, python, verdict  # noqa: E402

MAX_VIEWERS = 2000
STEPS = 12
AGENDA = "version: 1\ntitle: Viewers benchmark\nlanguage: en\nsteps:\n" + "".join(
    f"  - title: Step {n}\n    duration: 10m\n" for n in range(1, STEPS + 1)
)
TARGET_VIEWERS, TARGET_SECONDS, TARGET_MB = 500, 1.0, 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Viewer:
    """One browser's event stream: the raw bytes it reads, and when it first read each step."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}  # step index -> time.time() when read
        self.writer: asyncio.StreamWriter | None = None

    async def open(self, port: int) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        await self.writer.drain()
        self.task = asyncio.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        tail = b""
        while data := await reader.read(65536):
            now = time.time()
            text = tail + data
            at = 0
            while (at := text.find(b'"index":', at)) >= 0:  # the step's index in a state event
                end = text.find(b",", at)
                if end < 0:
                    break
                self.seen.setdefault(int(text[at + 8 : end]), now)
                at = end
            tail = text[-64:]

    def close(self) -> None:
        self.task.cancel()
        self.writer.close()


async def all_see(viewers: list[Viewer], index: int, timeout: float) -> list[float]:
    """When each viewer read step ``index`` (bounded)."""
    deadline = time.monotonic() + timeout
    while any(index not in v.seen for v in viewers):
        if time.monotonic() > deadline:
            missing = sum(index not in v.seen for v in viewers)
            raise TimeoutError(f"{missing} viewers never saw step {index + 1} within {timeout} s")
        await asyncio.sleep(0.005)
    return [v.seen[index] for v in viewers]


def start_server(state: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [python(), "-m", "atelier_timer", "serve", "--port", str(port), "--state-dir", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO, env=child_env(),
    )
    deadline = time.monotonic() + 30
    for line in server.stdout:  # its links and QR codes, then this line: it listens
        if "Ctrl+C" in line:
            return server
        if time.monotonic() > deadline:
            break
    server.kill()
    raise RuntimeError(f"serve did not start (exit {server.poll()})")


async def measure(count: int, changes: int, idle: float) -> dict:
    from atelier_timer.agenda import parse_agenda, slugify
    from atelier_timer.clock import SystemClock
    from atelier_timer.journal import Journal
    from atelier_timer.session import Session

    state = Path(tempfile.mkdtemp(prefix="web-bench-"))
    agenda = parse_agenda(AGENDA, "viewers.yaml")
    clock = SystemClock()
    journal = Journal.create(state, AGENDA, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    port = free_port()
    server = start_server(state, port)
    viewers = [Viewer() for _ in range(count)]
    try:
        began = time.time()
        for batch in range(0, count, 100):  # as a room opens the link: not all in the same millisecond
            await asyncio.gather(*(v.open(port) for v in viewers[batch : batch + 100]))
        connected = max(await all_see(viewers, 0, 60)) - began
        rss = proc_status_kb(server.pid, "VmRSS") / 1024
        cpu = cpu_stat(server.pid)
        await asyncio.sleep(idle)
        idle_cpu = (cpu_stat(server.pid) - cpu) / idle
        lasts, medians, change_cpu = [], [], []
        for _ in range(changes):
            await asyncio.sleep(0.6)  # apart from the previous change by more than a poll
            cpu = cpu_stat(server.pid)
            session.next()  # on disk (fsynced) when this returns
            written = time.time()
            seen = await all_see(viewers, session.index, 30)
            latencies = sorted(t - written for t in seen)
            lasts.append(latencies[-1])
            medians.append(median(latencies))
            change_cpu.append(cpu_stat(server.pid) - cpu)
        return {
            "viewers": count,
            "connected": connected,
            "rss": rss,
            "hwm": proc_status_kb(server.pid, "VmHWM") / 1024,
            "idle_cpu": idle_cpu,
            "median": median(medians),
            "last": median(lasts),
            "worst": max(lasts),
            "change_cpu": median(change_cpu),
        }
    finally:
        for viewer in viewers:
            if viewer.writer is not None:
                viewer.close()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        journal.close()
        shutil.rmtree(state, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", default="50,100,250,500", help="the counts to measure, comma-separated")
    parser.add_argument("--changes", type=int, default=5, help="step changes per count (default 5)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of counting to measure idle CPU (default 5)")
    args = parser.parse_args()
    counts = [int(n) for n in args.viewers.split(",")]
    if not all(1 <= n <= MAX_VIEWERS for n in counts) or not 1 <= args.changes <= 50:
        parser.error(f"--viewers between 1 and {MAX_VIEWERS}, --changes between 1 and 50")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    print("viewers | all connected | server RSS (peak) | idle CPU | a change: median viewer, last viewer (worst) | server CPU per change")
    results = []
    for count in counts:
        r = asyncio.run(measure(count, args.changes, args.idle))
        results.append(r)
        print(
            f"{r['viewers']:7d} | {r['connected']:10.2f} s | {r['rss']:6.1f} MB ({r['hwm']:.1f}) | {r['idle_cpu'] * 100:5.2f} % "
            f"| {r['median'] * 1000:5.0f} ms, {r['last'] * 1000:5.0f} ms ({r['worst'] * 1000:.0f} ms) "
            f"| {r['change_cpu'] * 1000:.0f} ms",
            flush=True,
        )
    largest = results[-1]
    ok_count = largest["viewers"] >= TARGET_VIEWERS
    ok_time = largest["worst"] <= TARGET_SECONDS
    ok_memory = largest["hwm"] <= TARGET_MB
    print(f"{verdict(ok_count)} {largest['viewers']} viewers (target {TARGET_VIEWERS})")
    print(
        f"{verdict(ok_time)} every viewer updated within {largest['worst']:.2f} s of a change, "
        f"worst of {args.changes} (target {TARGET_SECONDS:.0f} s)"
    )
    print(f"{verdict(ok_memory)} server peak RSS {largest['hwm']:.1f} MB (target {TARGET_MB} MB)")
    return 0 if ok_count and ok_time and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
