"""How long `atelier-timer check` takes on each hostile agenda of the tests (huge numbers, alias and
bracket bombs, 10 MB, /dev/zero, a FIFO...), against its time on `codev`: a file built to hang the
parser must be refused about as fast as a good one is read.

Target: each hostile file within the command's own start-up (`check codev`) + 1 s, best of three
runs (the machine is shared: a run is the work's own only when nothing else took the processor).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO

sys.path.insert(0, str(REPO))
from tests.unit.test_cli_agenda import hostile_files  # noqa: E402  (the files the tests refuse)

MARGIN = 1.0  # seconds beyond the start-up


def best_time(args: list[str], cwd: Path) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "atelier_timer", *args], cwd=cwd, capture_output=True, timeout=60)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        start_up = best_time(["check", "codev"], Path(folder))
        print(f"check codev: {start_up * 1000:.0f} ms (the start-up)")
        failed = 0
        for name in hostile_files(Path(folder)):
            seconds = best_time(["check", name], Path(folder))
            ok = seconds < start_up + MARGIN
            failed += not ok
            print(f"check {name:18} {seconds * 1000:6.0f} ms  {'PASS' if ok else 'FAIL'}")
    print(f"target: each within {MARGIN:.0f} s of the start-up: {'PASS' if not failed else f'FAIL ({failed})'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
