"""The baseline: the smallest Textual countdown, done the way Textual's own stopwatch example does it.

One ``Digits`` widget, counting down from 10:00 once space is pressed. The time comes from
``time.monotonic()``; a ``set_interval`` timer only wakes the screen, and the ``Digits`` is updated
only when the shown string changes. ``q`` quits.

The default wake is every 1/4 s, the most issue 3 allows the app. The stopwatch example wakes every
1/60 s: ``--interval 0.016667`` gives that (about 1.8 % of a core here, against 0.45 % at 1/4 s).

    python benchmarks/bare_countdown.py [--interval SECONDS]
"""

from __future__ import annotations

import argparse
import math
from time import monotonic
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Digits

START = 600.0  # 10:00


def shown(remaining: float) -> str:
    seconds = max(0, math.ceil(remaining - 1e-9))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class BareCountdown(App[None]):
    CSS = "Screen { align: center middle; } Digits { width: auto; }"
    BINDINGS: ClassVar = [("space", "start", "Start"), ("q", "quit", "Quit")]

    def __init__(self, interval: float) -> None:
        super().__init__()
        self.interval = interval
        self.started: float | None = None
        self.text = shown(START)

    def compose(self) -> ComposeResult:
        yield Digits(self.text)

    def on_mount(self) -> None:
        self.timer = self.set_interval(self.interval, self.update_time, pause=True)

    def action_start(self) -> None:
        if self.started is None:
            self.started = monotonic()
            self.timer.resume()

    def update_time(self) -> None:
        text = shown(START - (monotonic() - self.started))
        if text != self.text:
            self.text = text
            self.query_one(Digits).update(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between wakes (default: 0.25)")
    BareCountdown(parser.parse_args().interval).run()
