"""What the room sees, pinned as SVG snapshots: the main states at 80x24 and 120x36.

The clock is fake and frozen, the time zone Paris's, so a snapshot changes only when the screen does.
Update them after a deliberate change with ``pytest tests/snapshots --snapshot-update``.
"""

from __future__ import annotations

import pytest

from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.clock import FakeClock
from atelier_timer.ui.app import make_app

SIZES = [(80, 24), (120, 36)]


@pytest.fixture(autouse=True)
def local_time(paris):
    """Clock times on screen in Paris time, whatever the machine's."""


def build(tmp_path):
    clock = FakeClock(wall=1_795_000_000.0)
    text, _ = read_agenda_source("codev")
    app = make_app(
        load_agenda("codev"), clock=clock, source_text=text, state_dir=tmp_path / "state", notes_dir=tmp_path / "notes"
    )
    return app, clock


def after(clock, seconds: float, *keys: str):
    """A ``run_before`` that presses space, lets ``seconds`` pass on the fake clock, then presses ``keys``."""

    async def run_before(pilot) -> None:
        await pilot.press("space")
        clock.advance(seconds)
        pilot.app.tick()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_paused_start(snap_compare, tmp_path, size):
    app, _ = build(tmp_path)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_running(snap_compare, tmp_path, size):
    app, clock = build(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=after(clock, 185.3))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_warning(snap_compare, tmp_path, size):
    app, clock = build(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=after(clock, 8 * 60 + 15))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overtime(snap_compare, tmp_path, size):
    app, clock = build(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=after(clock, 10 * 60 + 42.25))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_presentation_mode(snap_compare, tmp_path, size):
    app, clock = build(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=after(clock, 61, "n", "f"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, tmp_path, size):
    app, clock = build(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=after(clock, 5, "question_mark"))
