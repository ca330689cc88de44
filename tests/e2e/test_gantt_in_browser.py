"""The record's gantt drawn by the real Mermaid library (10, 11 and 12) in headless Chromium, its bars measured.

Chromium runs in New York while the workshop was in Paris: the axis must still read the room's clock.
"""

from __future__ import annotations

import functools
import re
import time

import pytest

from atelier_timer.report import mermaid_label, render_markdown
from atelier_timer.session import Session
from tests.helpers import make_agenda, new_session
from tests.render import mermaid
from tests.unit.test_report import START, scripted
from tests.unit.test_report_render import gantt_lines, run_hostile


def short_session() -> Session:
    """A three-second session: the axis must not repeat one minute eleven times."""
    session, clock, _ = new_session(make_agenda([0.05]), wall=START)
    session.toggle()
    clock.advance(3)
    session.next()
    return session


SESSIONS = {"codev": lambda: scripted("codev")[0], "hostile": run_hostile, "three-seconds": short_session}


@functools.cache
def drawn(major: int) -> dict[str, str]:
    """Each session's gantt as Mermaid ``major`` drew it: one browser run for all of them."""
    codes = ["\n".join(gantt_lines(render_markdown(SESSIONS[name]()))) + "\n" for name in SESSIONS]
    return dict(zip(SESSIONS, mermaid.draw(codes, major)))


@pytest.mark.parametrize("major", [10, 11, 12])
@pytest.mark.parametrize("name", list(SESSIONS))
def test_mermaid_draws_the_bars_in_order_to_scale_with_readable_times(paris, major: int, name: str) -> None:
    reason = mermaid.missing(major)
    if reason:
        pytest.skip(reason)
    session = SESSIONS[name]()
    bars, ticks = mermaid.measure(drawn(major)[name])

    steps = session.agenda.steps
    actual = [round(session.step_elapsed(i)) for i in range(len(steps))]
    paused = round(session.session_elapsed()) - sum(actual)
    planned = [(f"{i + 1}. {step.title}", step.duration) for i, step in enumerate(steps)]
    done = [(f"{i + 1}. {step.title}", seconds) for i, (step, seconds) in enumerate(zip(steps, actual)) if seconds]
    expected = planned + done + ([("Pauses", paused)] if paused else [])
    assert [bar.name for bar in bars][: len(planned) + len(done)] == [mermaid_label(n) for n, _ in planned + done]
    assert len(bars) == len(expected), [bar.name for bar in bars]

    # to scale: one scale for every bar, within a pixel and a half
    scale = sum(bar.width for bar in bars) / sum(seconds for _, seconds in expected)
    for bar, (_, seconds) in zip(bars, expected):
        assert abs(bar.width - seconds * scale) <= 1.5, (bar, seconds, scale)
    # in order: both rows start together, and each bar begins where the one before it ended
    rows = [bars[: len(planned)], bars[len(planned) :]]
    assert abs(rows[0][0].x - rows[1][0].x) <= 0.5
    for row in rows:
        for before, after in zip(row, row[1:]):
            assert abs(before.x + before.width - after.x) <= 1.5, (before, after)

    # readable times: several distinct ticks, each a time of day within the session, in the room's zone
    assert len(ticks) >= 2 and len(set(ticks)) == len(ticks), ticks
    span = max(session.agenda.total, round(session.session_elapsed()))
    first, last = (time.strftime("%H:%M:%S", time.localtime(session.started_wall + at)) for at in (0, span))
    for tick in ticks:
        assert re.fullmatch(r"\d\d:\d\d(:\d\d)?", tick), ticks
        assert first[: len(tick)] <= tick <= last[: len(tick)], (tick, first, last)
