"""Many read-only viewers of one session: what each costs, and how fast a change reaches the last one.

A writer process runs a real session (``Session`` + ``Journal`` on the system clock, started); N
viewers (``python -m atelier_timer follow SESSION``) each run in their own pseudo-terminal of 100x30.
Then:

- startup: from the first fork until every viewer shows the first step's title;
- idle cost: with the session counting, each viewer's RSS and PSS (/proc smaps_rollup: shared pages
  split between the processes that share them) and its CPU (utime+stime) over --seconds;
- propagation: --changes times, the writer does ``next`` and reports the moment its event is on disk
  (fsynced); for each viewer, the time until its terminal output shows the new step's title. The
  figure that matters is the last viewer's: everyone in the call has seen the change by then.

The benchmark reads the terminals with one ``select`` over all of them and looks for the title in the
raw output (escape sequences removed), so that reading costs the measured machine little.

    python benchmarks/viewers.py [--viewers 20] [--seconds 10] [--changes 5]
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CLOCK_TICKS, PtyProgram, cpu_stat, median, proc_status_kb, python  # noqa: E402

TITLES = ["Alpha opening", "Bravo problem", "Charlie questions", "Delta recommendations", "Echo learnings", "Foxtrot wrap-up"]
AGENDA = "version: 1\ntitle: Viewers benchmark\nlanguage: en\nsteps:\n" + "".join(
    f"  - title: {title}\n    duration: 10m\n" for title in TITLES
)
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def writer(state_dir: str) -> None:
    """The facilitator's side: start a session, then ``next`` for each line on stdin, saying when it is on disk."""
    from atelier_timer.agenda import parse_agenda, slugify
    from atelier_timer.clock import SystemClock
    from atelier_timer.journal import Journal
    from atelier_timer.session import Session

    agenda = parse_agenda(AGENDA, "viewers.yaml")
    clock = SystemClock()
    journal = Journal.create(Path(state_dir), AGENDA, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    print(journal.session_id, flush=True)
    for _ in sys.stdin:
        session.next()  # returns once the event is fsynced
        print(f"{time.monotonic():.6f}", flush=True)
    journal.close()


def read_all(viewers: list[PtyProgram], until: float) -> None:
    """Read whatever any viewer wrote, until the monotonic time ``until``."""
    by_fd = {viewer.fd: viewer for viewer in viewers}
    while (left := until - time.monotonic()) > 0:
        ready, _, _ = select.select(list(by_fd), [], [], left)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                raise RuntimeError(f"viewer {by_fd[fd].pid} closed its terminal:\n{by_fd[fd].tail()}")
            by_fd[fd].output += data


def wait_for_title(viewers: list[PtyProgram], title: str, since: list[int], timeout: float = 60.0) -> list[float]:
    """For each viewer, the monotonic time at which ``title`` appeared in its output after byte ``since[i]``."""
    needle = title.encode()
    seen: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(viewers):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(viewers) - len(seen)} viewers never showed {title!r}")
        read_all(viewers, time.monotonic() + 0.005)
        now = time.monotonic()
        for i, viewer in enumerate(viewers):
            if i not in seen and needle in _ESCAPES.sub(b"", bytes(viewer.output[since[i]:])):
                seen[i] = now
    return [seen[i] for i in range(len(viewers))]


def pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise KeyError("Pss")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="idle window for the CPU figure")
    parser.add_argument("--changes", type=int, default=len(TITLES) - 1, help=f"at most {len(TITLES) - 1}")
    parser.add_argument("--writer", metavar="STATE_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args.writer)
        return 0
    changes = min(args.changes, len(TITLES) - 1)

    state = tempfile.mkdtemp(prefix="atelier-viewers-")
    the_writer = subprocess.Popen(
        [python(), __file__, "--writer", state], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    viewers: list[PtyProgram] = []
    try:
        session_id = the_writer.stdout.readline().strip()
        print(f"{args.viewers} viewers of session {session_id} on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        started = time.monotonic()
        for _ in range(args.viewers):
            viewers.append(
                PtyProgram([python(), "-m", "atelier_timer", "follow", session_id, "--state-dir", state, "--lang", "en"])
            )
        shown = wait_for_title(viewers, TITLES[0], [0] * len(viewers))
        print(f"startup: all {len(viewers)} show the session after {max(shown) - started:.2f} s "
              f"(first after {min(shown) - started:.2f} s)")

        read_all(viewers, time.monotonic() + 2.0)  # let the start-up notices and first redraws settle
        cpu_before = [cpu_stat(v.pid) for v in viewers]
        window_start = time.monotonic()
        read_all(viewers, window_start + args.seconds)
        window = time.monotonic() - window_start
        cpu = [(cpu_stat(v.pid) - before) / window * 100 for v, before in zip(viewers, cpu_before)]
        rss = [proc_status_kb(v.pid, "VmRSS") / 1024 for v in viewers]
        pss = [pss_kb(v.pid) / 1024 for v in viewers]
        print(f"idle, session counting, over {window:.1f} s (CPU resolution {1 / CLOCK_TICKS * 1000:.0f} ms):")
        print(f"  CPU per viewer: median {median(cpu):.2f} %, max {max(cpu):.2f} % of one core; "
              f"all {len(viewers)}: {sum(cpu):.1f} % of one core")
        print(f"  RSS per viewer: median {median(rss):.1f} MB, max {max(rss):.1f} MB; all: {sum(rss):.0f} MB")
        print(f"  PSS per viewer: median {median(pss):.1f} MB; all: {sum(pss):.0f} MB "
              f"(of {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.1f} GB)")

        lasts, all_latencies, change_cpu = [], [], []
        for change in range(1, changes + 1):
            read_all(viewers, time.monotonic() + 1.0)
            since = [len(v.output) for v in viewers]
            cpu_before = [cpu_stat(v.pid) for v in viewers]
            the_writer.stdin.write("next\n")
            the_writer.stdin.flush()
            on_disk = float(the_writer.stdout.readline())
            seen = wait_for_title(viewers, TITLES[change], since)
            latencies = [t - on_disk for t in seen]
            all_latencies += latencies
            lasts.append(max(latencies))
            change_cpu.append(sum(cpu_stat(v.pid) - b for v, b in zip(viewers, cpu_before)))
            print(f"change {change} ({TITLES[change]}): first viewer {min(latencies) * 1000:.0f} ms, "
                  f"median {median(latencies) * 1000:.0f} ms, last {max(latencies) * 1000:.0f} ms")
        if lasts:
            print(f"propagation over {changes} changes: median viewer {median(all_latencies) * 1000:.0f} ms, "
                  f"last viewer median {median(lasts) * 1000:.0f} ms, worst {max(lasts) * 1000:.0f} ms")
            print(f"CPU of all viewers per change (re-read + redraw, until all show it): "
                  f"median {median(change_cpu) * 1000:.0f} ms")
        return 0
    finally:
        for viewer in viewers:
            viewer.kill()
        the_writer.stdin.close()
        try:
            the_writer.wait(5)
        except subprocess.TimeoutExpired:
            the_writer.kill()
            the_writer.wait()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
