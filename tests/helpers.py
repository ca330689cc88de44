"""Shared test helpers for the core: hand-built agendas and a recorder."""

from __future__ import annotations

from datetime import datetime, timezone

from atelier_timer.agenda import Agenda, Alerts, Participant, Role, Step
from atelier_timer.clock import FakeClock
from atelier_timer.session import Session

# Thursday 12 March 2026, 14:00:00 in Paris (13:00 UTC).
T0 = datetime(2026, 3, 12, 13, 0, tzinfo=timezone.utc).timestamp()


def make_agenda(
    minutes: list[float],
    protected: tuple[int, ...] = (),
    hypotheses: tuple[str, ...] = (),
    title: str = "Atelier test",
    alerts: Alerts | None = None,
    overrides: dict[int, dict] | None = None,
) -> Agenda:
    """An agenda of steps lasting ``minutes``; ``protected`` and ``overrides`` are by step index."""
    overrides = overrides or {}
    steps = tuple(
        Step(
            title=f"Étape {i + 1}",
            duration=round(m * 60),
            protected=i in protected,
            **overrides.get(i, {}),
        )
        for i, m in enumerate(minutes)
    )
    return Agenda(
        title=title,
        steps=steps,
        roles=(Role("animation", "Animation"), Role("client", "Équipe")),
        alerts=alerts or Alerts(),
        participants=(Participant("Camille", "animation"),),
        hypotheses=hypotheses,
    )


class Recorder(list):
    """Collects the events a session records, in order."""

    def __bool__(self) -> bool:  # Session takes ``record or <no-op>``: an empty recorder must still count
        return True

    def __call__(self, event: dict) -> None:
        self.append(event)

    def types(self) -> list[str]:
        return [event["type"] for event in self]


def new_session(agenda: Agenda, wall: float = T0) -> tuple[Session, FakeClock, Recorder]:
    clock = FakeClock(wall=wall)
    recorder = Recorder()
    return Session(agenda, clock, recorder), clock, recorder
