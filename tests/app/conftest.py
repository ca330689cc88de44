"""Fixtures for driving the app with Pilot and a fake clock."""

from __future__ import annotations

import pytest

from atelier_timer.agenda import load_agenda, parse_agenda, read_agenda_source
from atelier_timer.clock import FakeClock
from atelier_timer.ui.app import make_app

SHORT = """\
version: 1
title: Petit atelier
language: fr
roles:
  animation: Animation
  client: Équipe
alerts: {warn: 2m, danger: 30s, bell: true}
hypotheses:
  - Part des usagers qui retrouvent leurs droits
  - Délai moyen de traitement
steps:
  - title: Ouverture
    duration: 5m
    speaker: Camille
    prompt: Bienvenue à toutes et à tous
    reminders:
      animation: Poser le cadre
      client: Écouter
  - title: Présentation
    duration: 10m
    reminders:
      client: Présenter le problème
  - title: Clôture
    duration: 3m
"""


@pytest.fixture(autouse=True)
def local_time(paris):
    """Clock times on screen in Paris time, whatever the machine's."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(wall=1_795_000_000.0)  # 2026-11-18 11:06:40 UTC


@pytest.fixture
def make(clock, tmp_path):
    """Build the app as the CLI does, on the short agenda unless told otherwise."""

    def build(text: str = SHORT, **options):
        agenda = parse_agenda(text, "petit.yaml")
        options.setdefault("notes_dir", tmp_path / "notes")
        options.setdefault("state_dir", tmp_path / "state")
        return make_app(agenda, clock=clock, source_text=text, **options)

    return build


@pytest.fixture
def make_bundled(clock, tmp_path):
    def build(name: str, **options):
        text, source = read_agenda_source(name)
        options.setdefault("notes_dir", tmp_path / "notes")
        options.setdefault("state_dir", tmp_path / "state")
        return make_app(load_agenda(name), clock=clock, source_text=text, **options)

    return build


async def settle(app, pilot, clock=None, seconds: float = 0.0):
    """Move the fake clock, let the app tick, and let the screen catch up."""
    if clock is not None and seconds:
        clock.advance(seconds)
    app.ticker.tick()
    await pilot.pause()


def notices(app) -> list[str]:
    """The notices on screen now, the newest last."""
    from atelier_timer.ui.widgets.notices import Notices

    return [message for line in app.query(Notices) for message in line.messages]  # none before the first notice


def shown(widget) -> str:
    """The text a widget shows on screen, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def on_screen(widget) -> str:
    """The text of a widget that is on screen: its lines above the bottom of its container (what is
    pushed below it is cut off there, whatever the widget holds)."""
    visible = min(widget.size.height, widget.parent.content_region.bottom - widget.content_region.y)
    return "\n".join(widget.render_line(y).text for y in range(max(visible, 0)))


def digit_rows(app) -> int:
    """The rows of the countdown drawn in block digits (0 when it fell back to plain text)."""
    countdown = app.query_one("#countdown")
    lines = [countdown.render_line(y).text for y in range(countdown.size.height)]
    return sum(1 for line in lines if any(block in line for block in "█▀▄"))


def alert_shown(app) -> str:
    """The alert line's text on screen ("" when there is none: it is mounted with the first alert)."""
    return "".join(shown(alert).strip() for alert in app.query("#alert") if alert.display)
