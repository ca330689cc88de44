"""What the room's web pages show: a session's state as one JSON-ready dict (no Textual).

The pages count down by themselves: the dict carries the remaining time *as of* ``wall`` (the
server's clock when it was computed) and whether it runs, so a page needs a new dict only when
something changes (a step, a pause, a minute added, a message), never once a second.

What later features add to the session (the booked slot, turns, the message of the moment, hiding
the countdown) is read from its ``snapshot()`` with a default, as the journal contract has it, so
this works with and without them.
"""

from __future__ import annotations

from atelier_timer.session import Session


def _step_view(session: Session, index: int) -> dict:
    step = session.agenda.steps[index]
    return {"title": step.title, "speaker": step.speaker, "duration": session.durations[index]}


def _message(message) -> dict | None:
    """The message of the moment as ``{text, flash, until}``; None when there is none."""
    if not isinstance(message, dict) or not message.get("text"):
        return None
    return {"text": str(message["text"]), "flash": bool(message.get("flash")), "until": message.get("until")}


def view_state(session: Session) -> dict:
    """The session as the room's pages show it, at this moment of its clock.

    ``remaining`` (seconds, negative in overtime) is true at ``wall``; while ``running`` the page
    subtracts the time since. ``warn`` and ``danger`` are the step's thresholds in remaining seconds.
    """
    agenda = session.agenda
    index = session.index
    step = session.step
    following = index + 1 if index + 1 < len(agenda.steps) else None
    snapshot = session.snapshot()
    return {
        "title": agenda.title,
        "language": agenda.language,
        "state": session.state(),
        "running": session.running,
        "step": {
            **_step_view(session, index),
            "index": index,
            "count": len(agenda.steps),
            "warn": agenda.warn_for(step),
            "danger": agenda.danger_for(step),
        },
        "remaining": round(session.remaining(), 3),
        "overtime": session.remaining() <= 0,
        "phase": session.phase(),
        "next": _step_view(session, following) if following is not None else None,
        "message": _message(snapshot.get("message")),
        "hidden": bool(snapshot.get("hidden", False)),
        "slot": snapshot.get("slot"),
        "turn": snapshot.get("turn"),
        "planned_end": round(session.planned_end(), 3),
        "projected_end": round(session.projected_end(), 3),
        "wall": round(session.clock.wall(), 3),
    }
