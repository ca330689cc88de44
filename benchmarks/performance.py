"""The app against a bare Textual countdown, side by side in one run: first frame, CPU while counting, peak RSS.

Both run as real programs in a pseudo-terminal of 100x30, on this interpreter, with the same
environment (Textual's TEXTUAL_* switches removed):

- app:  python -m atelier_timer run codev --state-dir TMP --notes-dir TMP --no-bell
- bare: python benchmarks/bare_countdown.py   (one Digits, from 10:00, woken every 1/4 s)

Time to first frame: from the fork to the first screen showing the countdown (for the app, its status
line ``1/5 · reste 10:00`` or its block digits counting the first turn, ``04:00``; for the bare one, its Digits), median of --pairs pairs,
taking turns at who goes first (the fastest run is printed too: a busy machine only ever adds time).
The output is collected untouched and read afterwards, each chunk stamped with the time it came, so
the cost of reading the screen here does not slow the program down. CPU while counting: both started together, space pressed in both, then
utime+stime of each over the same --seconds window. Peak RSS: VmHWM at the end of that window.

    python benchmarks/performance.py [--seconds 30] [--pairs 9]
"""

from __future__ import annotations

import argparse
import select
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, PtyProgram, median, python, verdict

FIRST_FRAME_RATIO = 1.3
CPU_RATIO = 2.0
PEAK_RSS_MB = 45.0


def app_argv(tmp: str) -> list[str]:
    return [python(), "-m", "atelier_timer", "run", "codev", "--state-dir", tmp, "--notes-dir", tmp, "--no-bell"]


def bare_argv(interval: float) -> list[str]:
    return [python(), str(REPO / "benchmarks" / "bare_countdown.py"), "--interval", str(interval)]


def block_rows(text: str) -> list[list[str]]:
    """The rows of the app's block digits for ``text``, at every scale it may pick."""
    from atelier_timer.ui.widgets.blockfont import render_lines

    return [render_lines(text, scale) for scale in range(1, 12)]


def digits_rows(text: str) -> list[str]:
    """The rows of Textual's Digits for ``text``."""
    from rich.console import Console
    from textual.renderables.digits import Digits

    console = Console(width=200, color_system=None)
    return ["".join(s.text for s in line) for line in console.render_lines(Digits(text), pad=False)]


def shows_app(step_left: str, countdown: str):
    """The app's first frame: its status line ``1/5 · reste STEP_LEFT``, or the big digits' COUNTDOWN in full
    (codev opens on a step with turns: the big digits count the first turn, the status line the step)."""
    status, blocks = f"1/5 · reste {step_left}", block_rows(countdown)

    def found(program: PtyProgram) -> bool:
        lines = program.lines()
        return any(status in line for line in lines) or any(
            all(any(row in line for line in lines) for row in rows) for rows in blocks
        )

    return found


def shows_bare(remaining: str):
    rows = digits_rows(remaining)

    def found(program: PtyProgram) -> bool:
        lines = program.lines()
        return all(any(row in line for line in lines) for row in rows)

    return found


def mmss(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def app_left(step_left: int):
    """The app showing ``step_left`` seconds left in codev's first step (10:00), whose first turn (the framing,
    04:00) is what its big digits count."""
    return shows_app(mmss(step_left), mmss(step_left - 360))


def bare_left(left: int):
    return shows_bare(mmss(left))


APP_FIRST_FRAME, BARE_FIRST_FRAME = app_left(600), bare_left(600)


def first_frame(argv: list[str], found) -> tuple[float, float]:
    """(seconds from fork to the first frame showing the countdown, CPU seconds its whole start-up took)."""
    program = PtyProgram(argv)
    try:
        seen = program.first_shown(found)
        return seen - program.spawned, program.cpu_seconds()[1]
    finally:
        program.kill()


def pump_all(programs: list[PtyProgram], seconds: float) -> None:
    """Read every program's output for ``seconds``, so none blocks on a full terminal."""
    end = time.monotonic() + seconds
    fds = {p.fd: p for p in programs}
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select(list(fds), [], [], min(left, 0.5))
        for fd in ready:
            if not fds[fd].pump(0):
                raise RuntimeError(f"{fds[fd].argv[1:]} ended while counting:\n{fds[fd].tail()}")


def counting(app: list[str], bare: list[str], seconds: float) -> dict[str, dict[str, float]]:
    """Start both, press space in both, then measure each over the same window."""
    programs = {"app": PtyProgram(app), "bare": PtyProgram(bare)}
    try:
        programs["app"].wait_for(APP_FIRST_FRAME)
        programs["bare"].wait_for(BARE_FIRST_FRAME)
        pump_all(list(programs.values()), 1.0)
        for program in programs.values():
            program.send(b" ")
        pressed = time.monotonic()
        programs["app"].wait_for(app_left(599), timeout=5)
        programs["bare"].wait_for(bare_left(599), timeout=5)
        pump_all(list(programs.values()), 2.0)  # past the start-up work
        before = {name: p.cpu_seconds() for name, p in programs.items()}
        start = time.monotonic()
        pump_all(list(programs.values()), seconds)
        wall = time.monotonic() - start
        after = {name: p.cpu_seconds() for name, p in programs.items()}
        figures = {}
        for name, program in programs.items():
            figures[name] = {
                "cpu": 100 * (after[name][0] - before[name][0]) / wall,
                "cpu_fine": 100 * (after[name][1] - before[name][1]) / wall,
                "hwm": program.status_kb("VmHWM") / 1024,
                "rss": program.status_kb("VmRSS") / 1024,
            }
        # Both must really have been counting all along: the screen moved by the time that passed.
        expected = 600 - (time.monotonic() - pressed)
        for name, found in (("app", app_left), ("bare", bare_left)):
            seen = [s for s in range(round(expected) - 3, round(expected) + 3) if found(s)(programs[name])]
            if not seen:
                raise RuntimeError(f"{name} is not showing about {expected:.0f} s left:\n" + "\n".join(programs[name].lines()))
        return figures
    finally:
        for program in programs.values():
            program.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the CPU window (default: 30)")
    parser.add_argument("--pairs", type=int, default=9, help="first-frame pairs (default: 9)")
    parser.add_argument("--bare-interval", type=float, default=0.25, help="the bare countdown's wake interval (default: 0.25)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="atelier-bench-")
    try:
        app, bare = app_argv(tmp), bare_argv(args.bare_interval)
        print(f"python {sys.version.split()[0]} ({python()}), {len(__import__('os').sched_getaffinity(0))} cores, pty 100x30")
        print("app : " + " ".join(app[1:]))
        print("bare: " + " ".join(bare[1:]))

        first_frame(app, APP_FIRST_FRAME)  # warm-up: byte code compiled, files in the page cache
        first_frame(bare, BARE_FIRST_FRAME)
        frames: dict[str, list[tuple[float, float]]] = {"app": [], "bare": []}
        for pair in range(args.pairs):
            order = [("app", app, APP_FIRST_FRAME), ("bare", bare, BARE_FIRST_FRAME)]
            for name, argv, shown in order if pair % 2 == 0 else order[::-1]:
                frames[name].append(first_frame(argv, shown))
        for name, runs in frames.items():
            print(f"first frame {name:4}: " + " ".join(f"{t * 1000:.0f}" for t, _ in runs) + " ms")

        figures = counting(app, bare, args.seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    ff = {name: median([t for t, _ in runs]) * 1000 for name, runs in frames.items()}
    ff_cpu = {name: median([c for _, c in runs]) * 1000 for name, runs in frames.items()}
    ratio_ff = ff["app"] / ff["bare"]
    ratio_cpu = figures["app"]["cpu_fine"] / figures["bare"]["cpu_fine"]
    print()
    print(f"{'':32}{'app':>10}{'bare':>10}{'ratio':>8}")
    print(f"{'first frame, median (ms)':32}{ff['app']:10.0f}{ff['bare']:10.0f}{ratio_ff:8.2f}")
    low = {name: min(t for t, _ in runs) * 1000 for name, runs in frames.items()}
    print(f"{'  fastest of the runs (ms)':32}{low['app']:10.0f}{low['bare']:10.0f}{low['app'] / low['bare']:8.2f}")
    print(f"{'  CPU of the start-up (ms)':32}{ff_cpu['app']:10.0f}{ff_cpu['bare']:10.0f}{ff_cpu['app'] / ff_cpu['bare']:8.2f}")
    of_app, of_bare = figures["app"], figures["bare"]
    print(f"{f'CPU counting {args.seconds:.0f} s (% core)':32}{of_app['cpu_fine']:10.2f}{of_bare['cpu_fine']:10.2f}{ratio_cpu:8.2f}")
    print(f"{'  from /proc/PID/stat ticks':32}{figures['app']['cpu']:10.2f}{figures['bare']['cpu']:10.2f}")
    print(f"{'peak RSS, VmHWM (MB)':32}{of_app['hwm']:10.1f}{of_bare['hwm']:10.1f}{of_app['hwm'] / of_bare['hwm']:8.2f}")
    print(f"{'  RSS at the end (MB)':32}{figures['app']['rss']:10.1f}{figures['bare']['rss']:10.1f}")
    print()
    checks = [
        (f"first frame app/bare {ratio_ff:.2f} <= {FIRST_FRAME_RATIO}", ratio_ff <= FIRST_FRAME_RATIO),
        (f"CPU counting app/bare {ratio_cpu:.2f} <= {CPU_RATIO}", ratio_cpu <= CPU_RATIO),
        (f"peak RSS app {figures['app']['hwm']:.1f} MB <= {PEAK_RSS_MB:.0f} MB", figures["app"]["hwm"] <= PEAK_RSS_MB),
    ]
    for label, ok in checks:
        print(f"{verdict(ok)}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
