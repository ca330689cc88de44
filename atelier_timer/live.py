"""What the room sees, derived once from a session (no Textual): the terminal's stage, ``follow`` (the
same stage, read-only) and the web pages all read it, so that no two screens of a room disagree.

``room_view(session)`` is the derivation: which step, whose turn, what the big digits count (the
turn's time in a step with turns, else the step's) and in which colour, what is over time (the turn
or the step), what comes next, the message of the moment, the role that has the floor. Every time in
it comes from the session's own methods, never computed again here.

``view_state(session)`` is the same view as one JSON-ready dict for the pages. The pages count down by
themselves: the dict carries the remaining times *as of* ``wall`` (the server's clock when it was
computed) and whether they run, so a page needs a new dict only when something changes (a step, a
turn, a pause, a minute added, a message), never once a second.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from atelier_timer.agenda import Agenda, Step, Turn
from atelier_timer.session import Session
from atelier_timer.texts import countdown_text

PHASES = ("normal", "warning", "danger", "overtime")  # in the order a countdown goes through them


class RoomView(NamedTuple):
    """What the room sees of a session at one moment of its clock."""

    state: str  # ready, running, paused, finished
    index: int  # the step's index, and how many steps there are
    count: int
    title: str  # the step's title and speaker
    speaker: str | None
    person: str | None  # whose turn it is, in a step with turns
    turn: int | None  # the turn's index, and how many turns the step has (0 without turns)
    turns: int
    remaining: float  # what the big digits count: seconds left in the turn, else in the step (negative: over)
    length: float  # how long what they count was given (for its progress)
    warn: float  # its warning and danger thresholds, in seconds left (danger None: it has none)
    danger: float | None
    step_remaining: float  # seconds left in the step, turns or not
    digits: str | None  # the big digits' text: None when hidden
    phase: str  # the colour: the worse of the step's phase and the turn's
    over: str | None  # "turn" when only the turn is over time, "step" when the step is, else None
    next: int | None  # the index of the step that follows
    message: dict | None  # the message of the moment: {text, flash, until}
    floor: str | None  # the role that has the floor (its key)
    hidden: bool  # the digits are off
    board: dict  # the measures with their verdicts, the vote's state, the tally once revealed (Board.view)
    roti: dict | None = None  # the ROTI: open, how many voted, the distribution once revealed (audience.roti_view)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def floor_role(agenda: Agenda, step: Step, turn: Turn | None = None) -> str | None:
    """The role that has the floor in ``step``, during ``turn`` when it has turns: the turn's role,
    else the role of the person speaking (the turn's, else the speaker's) when the agenda names them
    among the participants, else the role the turn's name or the step's title names (« l'équipe »,
    « les coachs »), else the first reminder's."""
    keys = [key for key, _ in step.reminders]
    if not keys:
        return None
    if turn is not None and turn.role in keys:
        return turn.role
    speaking = turn.name if turn is not None else step.speaker
    for participant in agenda.participants:
        if speaking and participant.name == speaking and participant.role in keys:
            return participant.role
    for named in (turn.name if turn is not None else None, step.title):
        words = set(_plain(named or "").replace("'", " ").replace("(", " ").replace(")", " ").split())
        for key in keys:
            role_words = _plain(f"{key} {agenda.role_label(key)}").replace("(", " ").replace(")", " ").split()
            if any(len(word) > 3 and word in words for word in role_words):
                return key
    return keys[0]


def room_view(session: Session) -> RoomView:
    """The one derivation of what the room sees now (the terminal, follow and the web pages read it)."""
    agenda, step, index = session.agenda, session.step, session.index
    step_remaining = session.remaining()
    phase = session.phase()
    if session.has_turns:
        remaining = session.turn_remaining()
        length: float = session.turn_durations[index][session.turn]
        warn, danger = session.turn_warn(), None
        phase = max(phase, session.turn_phase(), key=PHASES.index)  # a turn over its time shows it
        digits = None if session.hidden else countdown_text(remaining, length >= 3600)
        person, turn = step.turns[session.turn].name, session.turn
    else:
        remaining, length = step_remaining, session.durations[index]
        warn, danger = agenda.warn_for(step), agenda.danger_for(step)
        digits = session.digits()  # the time spent, when the step's display is countup
        person, turn = None, None
    over = "step" if step_remaining <= 0 else ("turn" if remaining <= 0 else None)
    return RoomView(
        state=session.state(),
        index=index,
        count=len(agenda.steps),
        title=step.title,
        speaker=step.speaker,
        person=person,
        turn=turn,
        turns=len(step.turns),
        remaining=remaining,
        length=length,
        warn=warn,
        danger=danger,
        step_remaining=step_remaining,
        digits=digits,
        phase=phase,
        over=over,
        next=index + 1 if index + 1 < len(agenda.steps) else None,
        message=_message(session.message_now()),
        floor=floor_role(agenda, step, step.turns[session.turn] if session.has_turns else None),
        hidden=session.hidden,
        roti=session.audience.roti_view(),
        board=session.board.view(),
    )


def _step_view(session: Session, index: int) -> dict:
    step = session.agenda.steps[index]
    return {"title": step.title, "speaker": step.speaker, "duration": session.durations[index]}


def _message(message) -> dict | None:
    """The message of the moment as ``{text, flash, until}``; None when there is none."""
    if not isinstance(message, dict) or not message.get("text"):
        return None
    return {"text": str(message["text"]), "flash": bool(message.get("flash")), "until": message.get("until")}


def view_state(session: Session) -> dict:
    """The room's view (``room_view``) as the web pages read it, at this moment of the session's clock.

    ``remaining`` (seconds, negative in overtime) is the step's, true at ``wall``; while ``running``
    the page subtracts the time since. ``warn`` and ``danger`` are the step's thresholds in remaining
    seconds. In a step with turns, ``turn`` holds the turn's own: whose it is, its remaining time and
    warning threshold, which the page shows large as the terminal does, the step's time smaller.
    """
    view = room_view(session)
    agenda = session.agenda
    snapshot = session.snapshot()
    turn = None
    if view.turn is not None:
        turn = {
            "index": view.turn,
            "count": view.turns,
            "name": view.person,
            "remaining": round(view.remaining, 3),
            "duration": view.length,
            "warn": view.warn,
        }
    return {
        "title": agenda.title,
        "language": agenda.language,
        "state": view.state,
        "running": session.running,
        "step": {
            **_step_view(session, view.index),
            "index": view.index,
            "count": view.count,
            "warn": agenda.warn_for(session.step),
            "danger": agenda.danger_for(session.step),
        },
        "remaining": round(view.step_remaining, 3),
        "overtime": view.step_remaining <= 0,
        "phase": view.phase,
        "over": view.over,
        "next": _step_view(session, view.next) if view.next is not None else None,
        "message": view.message,
        "hidden": view.hidden,
        "roti": view.roti,
        "board": view.board,
        "slot": snapshot.get("slot"),
        "turn": turn,
        "floor": agenda.role_label(view.floor) if view.floor else None,
        "planned_end": round(session.planned_end(), 3),
        "projected_end": round(session.projected_end(), 3),
        "wall": round(session.clock.wall(), 3),
    }
