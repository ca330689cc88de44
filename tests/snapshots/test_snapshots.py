"""What the room sees, pinned as SVG snapshots: every state at 80x24 and 160x48, in the dark and light themes.

The clock is fake and frozen, the time zone Paris's, so a snapshot changes only when the screen does.
Update them after a deliberate change with ``pytest tests/snapshots --snapshot-update``, and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.clock import FakeClock
from atelier_timer.ui.app import make_app

SIZES = [(80, 24), (160, 48)]
THEMES = ["dark", "light"]

# state -> (seconds on the clock after space, keys pressed then); None: space is never pressed
STATES = {
    "ready": None,
    "running": (185.3, ()),
    "warning": (8 * 60 + 15, ()),
    "overtime": (10 * 60 + 42.25, ()),
    "paused": (95, ("space",)),
    "finished": (61, ("n",) * 5),
    "presentation": (61, ("n", "f")),
    "help": (5, ("question_mark",)),
    "dialog": (13 * 60, ("b",)),
    "turns": (4 * 60 + 30, ("t",)),  # the framing ran 30 s over: the team's turn, the round's turns shortened
    # a message to the room in presentation mode: in block letters, the digits as large as without it
    "message": (61, ("n", "f", "m", *"Pause café à 15 h", "enter")),
}


@pytest.fixture(autouse=True)
def local_time(paris):
    """Clock times on screen in Paris time, whatever the machine's."""


def build(tmp_path, theme: str):
    clock = FakeClock(wall=1_795_000_000.0)
    text, _ = read_agenda_source("codev")
    app = make_app(
        load_agenda("codev"),
        clock=clock,
        source_text=text,
        state_dir=tmp_path / "state",
        notes_dir=tmp_path / "notes",
        theme=theme,
    )
    return app, clock


def after(clock, seconds: float, keys: tuple[str, ...]):
    """A ``run_before`` that presses space, lets ``seconds`` pass on the fake clock, then presses ``keys``."""

    async def run_before(pilot) -> None:
        await pilot.press("space")
        clock.advance(seconds)
        pilot.app.ticker.tick()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", STATES)
def test_screen(snap_compare, tmp_path, monkeypatch, state, size, theme):
    monkeypatch.chdir(tmp_path)  # the end screen shows where the record was written: the same path every run
    app, clock = build(Path(), theme)
    run = STATES[state]
    assert snap_compare(app, terminal_size=size, run_before=None if run is None else after(clock, *run))
