"""The session: a pure state machine over an agenda, with every derived time the screen shows.

Every change (start, pause, step change, adjustment, note, rebalance...) is an *event*: a small dict
handed to ``record`` (the journal) the moment it happens. Each event carries a snapshot of the
timing state, so a session is restored from its journal by taking the last snapshot and the notes;
no time arithmetic is replayed. Live durations come from the clock's monotonic reading; the session
elapsed time (the room's time, pauses and sleeps included) from its boot-time reading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from atelier_timer.agenda import Agenda, Step, parse_duration
from atelier_timer.audience import Audience
from atelier_timer.clock import Clock
from atelier_timer.errors import AtelierError
from atelier_timer.measures import MAX_FIELD, Board, MeasureError, added_from_note
from atelier_timer.texts import clock_text, countdown_text, time_of_day, whole_minutes, whole_seconds

# re-exported: ui/app.py imports these from here
from atelier_timer.texts import drift_text as drift_text
from atelier_timer.texts import duration_words as duration_words
from atelier_timer.texts import minutes_text as minutes_text

Event = dict[str, Any]
Recorder = Callable[[Event], None]

NOTE_KINDS = {"! ": "action", "* ": "learning", "? ": "question"}
_HYPOTHESIS_REF = re.compile(r"(?<![\w&])#(\d+)\b")
_MESSAGE_TIME = re.compile(r"(?:^|\s)@(?P<time>\S+)$")
ADJUST_STEP = 60


class Note(NamedTuple):
    """A line the facilitator wrote, with when and where it was written."""

    text: str  # without its kind prefix
    kind: str  # "note" | "action" | "learning" | "question"
    hypotheses: tuple[int, ...]  # 1-based numbers of the hypotheses it mentions (#2)
    step: int  # index of the step it was written in
    wall: float  # time of day (epoch seconds)
    elapsed: float  # session elapsed seconds
    author: str | None = None  # who wrote it, when not the facilitator (the controller page's note-taker)
    turn: int | None = None  # index of the turn it was written in, when the step has turns


class Slot(NamedTuple):
    """The booked slot as wall times (epoch seconds): a start, an end, or both."""

    start: float | None = None
    end: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Slot | None:
        """The slot a journal recorded; None for a journal without one (older, or no slot)."""
        if not data:
            return None
        return cls(data.get("start"), data.get("end"))

    def text(self) -> str:
        """``14:00 → 15:00``, ``14:00 →`` or ``→ 15:00``."""
        start = time_of_day(self.start) if self.start is not None else ""
        end = time_of_day(self.end) if self.end is not None else ""
        return f"{start} → {end}".strip()


class SlotError(AtelierError, ValueError):
    """A slot that cannot be run; the message is one line for the user."""


def check_slot(slot: Slot, now: float | None = None) -> None:
    """Refuse a slot that ends before it starts (across midnight) or, given ``now``, whose end has passed."""
    if slot.start is not None and slot.end is not None and slot.end <= slot.start:
        raise SlotError(
            f"the slot {slot.text()} ends before it starts: a slot across midnight is not supported"
        )
    if now is not None and slot.end is not None and slot.end <= now:
        raise SlotError(f"the slot's end {time_of_day(slot.end)} has already passed (it is {time_of_day(now)})")


def classify_note(raw: str) -> tuple[str, str, tuple[int, ...]]:
    """Split a typed note into (kind, text, hypothesis numbers): ``! `` action, ``* `` learning, ``? `` question."""
    text = raw.strip()
    kind = "note"
    for prefix, name in NOTE_KINDS.items():
        if text.startswith(prefix.strip()) and (len(text) == 1 or text[1] == " "):
            kind, text = name, text[1:].strip()
            break
    numbers = tuple(dict.fromkeys(int(n) for n in _HYPOTHESIS_REF.findall(text)))
    return kind, text, numbers


class RoomMessage(NamedTuple):
    """A message shown to the room, as the record lists it."""

    text: str
    step: int
    wall: float  # when it was shown


class RebalancePlan(NamedTuple):
    """What a rebalance would do: the new durations and where the session would then end."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    current: int
    gap: int  # seconds the session is behind (+) or ahead (-) before the rebalance
    overrun: int  # seconds still behind after it (0 when the gap is absorbed)

    @property
    def changes(self) -> list[tuple[int, int, int]]:
        """(step index, old, new) for each coming step."""
        return [(i, self.old[i], self.new[i]) for i in range(self.current + 1, len(self.old))]


def rebalance(
    durations: Iterable[int],
    current: int,
    protected: Iterable[bool],
    gap: int,
    floors: Iterable[int] | None = None,
) -> tuple[list[int], int]:
    """Spread ``gap`` seconds over the unprotected steps after ``current``, in proportion to their length.

    A positive gap shrinks them (never below their floor: one minute, or the step's own planned length
    if shorter), a negative one grows them. Returns the new durations and the seconds left unabsorbed.
    """
    durations = list(durations)
    protected = list(protected)
    floors = list(floors) if floors is not None else [60] * len(durations)
    floors = [min(floor, d) for floor, d in zip(floors, durations)]  # never grow a step to its floor
    free = [i for i in range(current + 1, len(durations)) if not protected[i]]
    if gap == 0 or not free:
        return durations, max(gap, 0)
    new = {i: float(durations[i]) for i in free}
    remaining_gap = float(gap)
    active = list(free)
    while active and abs(remaining_gap) > 1e-9:
        weight = sum(durations[i] for i in active)
        if weight <= 0:  # only zero-length steps left (cut to 0 with "-"): nothing to take or share
            break
        clamped = [i for i in active if new[i] - remaining_gap * durations[i] / weight < floors[i]]
        if not clamped or remaining_gap < 0:
            for i in active:
                new[i] -= remaining_gap * durations[i] / weight
            remaining_gap = 0.0
            break
        for i in clamped:
            remaining_gap -= new[i] - floors[i]
            new[i] = float(floors[i])
            active.remove(i)
    # Whole seconds that add up exactly: round down, then hand out the largest remainders.
    target = round(sum(new.values()))
    whole = {i: math.floor(v) for i, v in new.items()}
    by_remainder = sorted(free, key=lambda i: new[i] - whole[i], reverse=True)
    for i in by_remainder[: target - sum(whole.values())]:
        whole[i] += 1
    for i in free:
        durations[i] = whole[i]
    return durations, max(round(remaining_gap), 0)


def split_evenly(total: int, weights: list[int]) -> list[int]:
    """``total`` whole seconds shared in proportion to ``weights``, adding up exactly (largest remainders get the odd seconds)."""
    weight = sum(weights)
    if weight <= 0:
        return [0] * len(weights)
    exact = [total * w / weight for w in weights]
    whole = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda k: exact[k] - whole[k], reverse=True)
    for k in by_remainder[: total - sum(whole)]:
        whole[k] += 1
    return whole


Length = TypeVar("Length", int, float)  # a step's length is whole seconds; a shared turn's may not be


def _adjusted(length: Length, elapsed: float, seconds: int) -> Length:
    """A step's or turn's length after ``seconds`` are added (or removed); in overtime, added time counts from now."""
    if seconds > 0 and length - elapsed <= 0:
        return math.floor(elapsed) + seconds
    return max(0, length + seconds)


def parse_message(raw: str) -> tuple[str, bool, int | None]:
    """A message to the room as typed: ``!`` first makes it flash, ``@2m`` last shows it for that long.

    Returns (text, flash, seconds or None for "until cleared").
    """
    text = " ".join(raw.split())
    flash = text.startswith("!")
    if flash:
        text = text[1:].strip()
    seconds = None
    timed = _MESSAGE_TIME.search(text)
    if timed:
        try:
            seconds = parse_duration(timed["time"])
        except ValueError:
            pass  # "@home" is part of the message
        else:
            text = text[: timed.start()].strip()
    return text, flash, seconds


class Session:
    """One run of an agenda: which step, how long each has run, the notes; every change recorded."""

    def __init__(self, agenda: Agenda, clock: Clock, record: Recorder | None = None, slot: Slot | None = None) -> None:
        self.agenda = agenda
        self.clock = clock
        self.slot = slot  # the booked slot; None: the session ends when its agenda says, from its start
        self.record: Recorder = record if record is not None else (lambda event: None)
        n = len(agenda.steps)
        self.index = 0
        self.durations = [step.duration for step in agenda.steps]
        self.notes: list[Note] = []
        self.running = False
        self.finished = False
        self.started_wall: float | None = None
        self.ended_wall: float | None = None
        self.resumed = False  # rebuilt from a journal
        self.event_count = 0  # events recorded so far (restored ones included): how complete a record is
        self.away = 0.0  # seconds the program was away before it was rebuilt
        self.message: dict[str, Any] | None = None  # {"text", "flash", "until" (wall time or None)} the room sees
        self.room_messages: list[RoomMessage] = []  # every message shown, for the record
        self.hidden = agenda.steps[0].display == "hidden"  # the digits are off
        self.board = Board(agenda.hypotheses, agenda.vote_points)  # the measures, their verdicts, the room's vote
        self._elapsed = [0.0] * n  # per step, without the segment now running
        self.step_starts: list[float | None] = [None] * n  # when each step was first under way (wall time)
        self.turn = 0  # index of the current turn within the step (0 when the step has no turns)
        # Per step, per turn: the time each turn is given (in a shared step, reshared when a turn begins),
        # the length someone chose for it (the plan, with +/- and the rebalance), and the time it has run.
        self.turn_durations: list[list[float]] = [[turn.duration for turn in step.turns] for step in agenda.steps]
        self.turn_adjusted = [[turn.duration for turn in step.turns] for step in agenda.steps]
        self._turn_elapsed = [[0.0] * len(step.turns) for step in agenda.steps]
        self.audience = Audience(self.mark, clock.wall, lambda: self.index)  # questions and the ROTI
        self._running_since = 0.0  # monotonic reading when the current segment began
        self._session_base = 0.0  # session elapsed at the boot-time mark
        self._boot_mark = 0.0

    # ----- derived times -----

    @property
    def started(self) -> bool:
        return self.started_wall is not None

    @property
    def step(self) -> Step:
        return self.agenda.steps[self.index]

    def step_elapsed(self, index: int | None = None) -> float:
        """Seconds the step has run (the current one up to now)."""
        i = self.index if index is None else index
        elapsed = self._elapsed[i]
        if self.running and i == self.index:
            elapsed += self.clock.monotonic() - self._running_since
        return elapsed

    def remaining(self) -> float:
        """Seconds left in the current step; negative in overtime.

        In a step of strict turns, what is left of the current turn and the whole of the following
        ones: the step's end moves when a turn ends early or late.
        """
        if self.has_turns and self.strict_turns:
            left = self.turn_remaining()
            following = sum(self._turn_left(k) for k in range(self.turn + 1, len(self.step.turns)))
            return following + (left if left > 0 or not following else 0.0)
        return self.durations[self.index] - self.step_elapsed()

    def length(self) -> float:
        """The current step's length as things stand: what it has run and what is left of it."""
        return self.step_elapsed() + max(self.remaining(), 0.0)

    # ----- turns -----

    @property
    def has_turns(self) -> bool:
        return bool(self.step.turns)

    @property
    def strict_turns(self) -> bool:
        """Whether each turn of the current step keeps its own length (``turns_share: strict``)."""
        return self.step.turns_share == "strict"

    def _turn_left(self, turn: int) -> float:
        """What a turn of the current step other than the current one still has (never below zero)."""
        return max(0.0, self.turn_durations[self.index][turn] - self.turn_elapsed(turn))

    def turn_elapsed(self, turn: int | None = None, index: int | None = None) -> float:
        """Seconds a turn has run (the current one up to now)."""
        i = self.index if index is None else index
        j = self.turn if turn is None else turn
        elapsed = self._turn_elapsed[i][j]
        if self.running and i == self.index and j == self.turn:
            elapsed += self.clock.monotonic() - self._running_since
        return elapsed

    def turn_remaining(self) -> float:
        """Seconds left in the current turn; negative once it runs over."""
        return self.turn_durations[self.index][self.turn] - self.turn_elapsed()

    def turn_phase(self) -> str:
        """``normal``, ``warning`` or ``overtime`` for the current turn (``normal`` when the step has none).

        A turn warns when a fifth of it is left, and never earlier than its step would (``turn_warn``).
        """
        if not self.has_turns:
            return "normal"
        remaining = self.turn_remaining()
        if remaining <= 0:
            return "overtime"
        if remaining <= self.turn_warn():
            return "warning"
        return "normal"

    def turn_warn(self) -> float:
        """The seconds left in the current turn at which it turns to the warning colour."""
        return min(self.agenda.warn_for(self.step), self.turn_durations[self.index][self.turn] // 5)

    def coming_turns(self) -> list[int]:
        """What each following turn of the step now has, in whole seconds, if the current one stopped at its time.

        Strict turns keep their own length. Shared ones split what the step has left after the current
        turn, in proportion to their planned lengths: a turn that runs over eats into them. Either way
        the current turn's countdown and these add up to the step's time left, as the screen shows them.
        """
        if not self.has_turns:
            return []
        following = range(self.turn + 1, len(self.step.turns))
        if self.strict_turns:
            return [round(self._turn_left(k)) for k in following]
        rest = self.remaining() - max(self.turn_remaining(), 0.0)
        return split_evenly(max(0, round(rest)), [self.step.turns[k].duration for k in following])

    def _share_turns(self) -> None:
        """In a shared step, the current turn and the following ones share what is left of the step.

        Each gets, beyond what it has already run, a part in proportion to its planned length; the
        following turns' parts are whole seconds and the current turn takes the odd fraction, so that
        its countdown turns over with the step's.
        """
        i, j = self.index, self.turn
        if not self.has_turns or self.strict_turns:
            return
        left = max(0.0, self.durations[i] - sum(self._turn_elapsed[i]))
        shares = split_evenly(round(left), [turn.duration for turn in self.step.turns[j:]])
        elapsed = self._turn_elapsed[i]
        self.turn_durations[i][j] = round(elapsed[j] + left - sum(shares[1:]), 3)
        for k, share in enumerate(shares[1:], start=j + 1):
            self.turn_durations[i][k] = round(elapsed[k] + share, 3)

    def next_turn(self) -> None:
        """The next person's turn; after the last turn, the next step (the last turn's end is the step's)."""
        if not self.has_turns:
            return
        if self.turn == len(self.step.turns) - 1:
            self.next()
            return
        self._change_turn(self.turn + 1)

    def turn_at_zero(self) -> bool:
        """With ``auto_advance``, the current turn has reached its zero: the next person's turn starts.

        The time past the zero (a late wake) is already the next person's. After the last turn the step
        itself ends, as any step does at its zero. Returns whether the turn changed.
        """
        moved = False
        while (
            self.running
            and self.has_turns
            and self.agenda.auto_advance_for(self.step)
            and self.turn < len(self.step.turns) - 1
            and self.turn_remaining() <= 0
        ):
            now, past_zero = self.clock.monotonic(), -self.turn_remaining()
            self._count(now - self._running_since - past_zero)
            self._running_since = now - past_zero
            previous, self.turn = self.turn, self.turn + 1
            self._share_turns()
            self._emit("turn", **{"from": previous, "to": self.turn, "auto": True})
            moved = True
        return moved

    def previous_turn(self) -> None:
        """Back to the previous person's turn, whose time counts on from where it stopped."""
        if self.has_turns and self.turn > 0:
            self._change_turn(self.turn - 1)

    def _change_turn(self, turn: int) -> None:
        self._fold()
        previous, self.turn = self.turn, turn
        self._share_turns()
        self._emit("turn", **{"from": previous, "to": turn})

    def session_elapsed(self) -> float:
        """Seconds since the first start, pauses and sleeps included (the room's time)."""
        if not self.started:
            return 0.0
        if self.finished:
            return self._session_base
        return self._session_base + self.clock.boottime() - self._boot_mark

    def planned_end(self) -> float:
        """When the session should end (wall time): the slot's end, else its start plus the agenda's total.

        Without a slot, the actual start (or now, before it) plus the total.
        """
        if self.slot is not None and self.slot.end is not None:
            return self.slot.end
        if self.slot is not None and self.slot.start is not None:
            return self.slot.start + self.agenda.total
        begin = self.started_wall if self.started_wall is not None else self.clock.wall()
        return begin + self.agenda.total

    def projected_end(self) -> float:
        """Now (or the slot's start, while it is ahead), plus what is left of this step and the coming steps."""
        if self.finished:
            return self.ended_wall or self.clock.wall()
        rest = sum(self.durations[self.index + 1 :])
        now = self.clock.wall() if self.started else self.expected_start()
        return now + max(self.remaining(), 0.0) + rest

    def until_start(self) -> float | None:
        """Seconds until the slot's start while it is ahead and the session has not started; else None."""
        if self.started or self.slot is None or self.slot.start is None:
            return None
        ahead = self.slot.start - self.clock.wall()
        return ahead if ahead > 0 else None

    def expected_start(self) -> float:
        """The actual start; before it, the slot's start while it is ahead, else now."""
        if self.started_wall is not None:
            return self.started_wall
        start = self.slot.start if self.slot is not None else None
        return start if start is not None and self.until_start() is not None else self.clock.wall()

    def late_start(self) -> float | None:
        """Seconds the session started after its slot's start (negative: before it); None without a slot start."""
        if self.started_wall is None or self.slot is None or self.slot.start is None:
            return None
        return self.started_wall - self.slot.start

    def drift(self) -> float:
        """Seconds behind (+) or ahead (-) of the planned end."""
        return self.projected_end() - self.planned_end()

    def drift_minutes(self) -> int:
        return whole_minutes(self.drift())

    def phase(self) -> str:
        """``normal``, ``warning``, ``danger`` or ``overtime``, from the step's alert thresholds."""
        remaining = self.remaining()
        if remaining <= 0:
            return "overtime"
        if remaining <= self.agenda.danger_for(self.step):
            return "danger"
        if remaining <= self.agenda.warn_for(self.step):
            return "warning"
        return "normal"

    def digits(self) -> str | None:
        """What the big digits show: the time left, the time spent (``display: countup``), or None when hidden."""
        if self.hidden:
            return None
        hours = self.durations[self.index] >= 3600
        if self.step.display == "countup":
            return clock_text(whole_seconds(self.step_elapsed()), hours)
        return countdown_text(self.remaining(), hours)

    def message_now(self) -> dict[str, Any] | None:
        """The message the room sees now: None when there is none or its time is up."""
        message = self.message
        if message is None or (message.get("until") is not None and self.clock.wall() >= message["until"]):
            return None
        return message

    def state(self) -> str:
        """``ready``, ``running``, ``paused`` or ``finished``."""
        if self.finished:
            return "finished"
        if self.running:
            return "running"
        return "paused" if self.started else "ready"

    # ----- commands: each changes the state, then records one event -----

    def toggle(self) -> None:
        """Space: start, pause or resume."""
        if self.finished:
            return
        if self.running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        if self.running or self.finished:
            return
        first = not self.started
        if first:
            self.started_wall = self.clock.wall()
            self._session_base, self._boot_mark = 0.0, self.clock.boottime()
        self.running = True
        self._running_since = self.clock.monotonic()
        if self.step_starts[self.index] is None:
            self.step_starts[self.index] = self.clock.wall()
        late = self.late_start() if first else None
        self._emit("start" if first else "resume", **({"late": round(late, 3)} if late is not None else {}))
        if self.step.roti:
            self.audience.open_for_step()

    def pause(self) -> None:
        if not self.running:
            return
        self._fold()
        self.running = False
        self._emit("pause")

    def go_to(self, index: int) -> None:
        """Move to another step; the timer keeps running (or stays paused)."""
        if self.finished and index < len(self.durations):
            self.finished = False  # the room's time ran on while it stood finished: session elapsed keeps it
            self.ended_wall = None
        index = max(0, min(index, len(self.durations) - 1))
        if index == self.index:
            return
        self._fold()
        previous, self.index = self.index, index
        if self.started and self.step_starts[index] is None:
            self.step_starts[index] = self.clock.wall()
        # Forward, a step starts at its first turn; back, at its last (where it was left).
        self.turn = 0 if index > previous else max(0, len(self.step.turns) - 1)
        self._share_turns()
        self.hidden = self.step.display == "hidden"  # each step starts as its agenda says
        self._emit("step", **{"from": previous, "to": index})
        if self.step.roti:
            self.audience.open_for_step()

    def next(self) -> None:
        """Next step; on the last step, finish the session."""
        if self.index == len(self.durations) - 1:
            self.finish()
        else:
            self.go_to(self.index + 1)

    def previous(self) -> None:
        if self.finished:
            self.go_to(self.index)
            self._emit("reopen")
        else:
            self.go_to(self.index - 1)

    def finish(self) -> None:
        if self.finished or not self.started:
            return
        self._fold()
        self._session_base, self._boot_mark = self.session_elapsed(), self.clock.boottime()
        self.running = False
        self.finished = True
        self.ended_wall = self.clock.wall()
        self._emit("finish")

    def adjust(self, seconds: int = ADJUST_STEP) -> None:
        """Add (or, negative, remove) time to the current step, through its current turn when it has turns;
        never below zero.

        Added in overtime, the time counts from now: at +0:30, one more minute leaves 01:00, not 00:30.
        """
        before = self.durations[self.index]
        if self.has_turns:  # the turn's change is the step's change
            i, j = self.index, self.turn
            allotted = self.turn_durations[i][j]
            self.turn_durations[i][j] = _adjusted(allotted, self.turn_elapsed(), seconds)
            change = self.turn_durations[i][j] - allotted
            self.turn_adjusted[i][j] = max(0, round(self.turn_adjusted[i][j] + change))
            after = max(0, round(before + change))
        else:
            after = _adjusted(before, self.step_elapsed(), seconds)
        self.durations[self.index] = after
        if after != before:
            self._emit("adjust", delta=after - before)

    def add_note(self, raw: str, author: str | None = None) -> Note | None:
        """Record a note typed by the facilitator (or by ``author``); blank input records nothing.

        ``#+ text`` adds a measure instead (it comes up in the discussion): ``#N`` notes can then cite it.
        """
        added = added_from_note(raw)
        if added is not None:
            try:
                self.change_board("measure_add", fields={"measure": added[:MAX_FIELD]})
                return None
            except MeasureError:  # the session holds as many measures as it may: kept as a note
                pass
        kind, text, hypotheses = classify_note(raw)
        if not text:
            return None
        turn = self.turn if self.has_turns else None
        note = Note(text, kind, hypotheses, self.index, self.clock.wall(), self.session_elapsed(), author or None, turn)
        self.notes.append(note)
        self._emit("note", note=_note_to_dict(note))
        return note

    def show_message(self, text: str, flash: bool = False, seconds: float | None = None) -> None:
        """Show ``text`` large to the room, for ``seconds`` or until cleared; blank text clears the message."""
        text = " ".join(text.split())
        if not text:
            self.clear_message()
            return
        until = round(self.clock.wall() + seconds, 3) if seconds else None
        self.message = {"text": text, "flash": flash, "until": until}
        self.room_messages.append(RoomMessage(text, self.index, self.clock.wall()))
        self._emit("message", **self.message)

    def clear_message(self) -> None:
        if self.message is not None:
            self.message = None
            self._emit("message", text=None, flash=False, until=None)

    def change_board(self, kind: str, **details: object) -> None:
        """A verdict, an edit, an added measure, the vote opened, closed, revealed, or a vote
        (:data:`atelier_timer.measures.EVENTS`); MeasureError, and nothing recorded, when refused."""
        self.board.apply(kind, details)
        self._emit(kind, **details)

    def set_hidden(self, hidden: bool) -> None:
        """Hide or show the digits; the alerts still follow the time left."""
        if hidden != self.hidden:
            self.hidden = hidden
            self._emit("display", hidden=hidden)

    def rebalance_plan(self) -> RebalancePlan:
        """Preview: the coming steps resized so the session ends on its planned end."""
        gap = round(self.drift())
        protected = [step.protected for step in self.agenda.steps]
        floors = [min(60, step.duration) for step in self.agenda.steps]
        new, overrun = rebalance(self.durations, self.index, protected, gap, floors)
        return RebalancePlan(tuple(self.durations), tuple(new), self.index, gap, overrun)

    def apply_rebalance(self, plan: RebalancePlan) -> None:
        if list(plan.new) == self.durations:
            return
        self.durations = list(plan.new)
        for i, step in enumerate(self.agenda.steps):  # turns scale with their step
            if step.turns and i > self.index and plan.new[i] != plan.old[i]:
                shares = split_evenly(plan.new[i], [turn.duration for turn in step.turns])
                self.turn_durations[i] = list[float](shares)
                self.turn_adjusted[i] = list(shares)
        self._emit("rebalance", old=list(plan.old), new=list(plan.new))

    def account_sleep(self, seconds: float, as_elapsed: bool = True) -> None:
        """The machine slept ``seconds``: count them in the running step, or as a pause."""
        if as_elapsed and self.running:
            self._count(seconds)
        self._emit("sleep", seconds=round(seconds, 3), counted=as_elapsed)

    def mark(self, kind: str, **details: Any) -> None:
        """Record an event that changes no timing (``export``, ``quit``)."""
        self._emit(kind, **details)

    # ----- the journal side -----

    def _fold(self) -> None:
        """Fold the running segment into the step's elapsed time, so a change starts a new one."""
        if self.running:
            now = self.clock.monotonic()
            self._count(now - self._running_since)
            self._running_since = now

    def _count(self, seconds: float) -> None:
        """Add ``seconds`` to the current step, and to its current turn."""
        self._elapsed[self.index] += seconds
        if self.has_turns:
            self._turn_elapsed[self.index][self.turn] += seconds

    def snapshot(self) -> dict[str, Any]:
        """The timing state, enough to restore the session without replaying time."""
        return {
            "step": self.index,
            "running": self.running,
            "finished": self.finished,
            "elapsed": [round(self.step_elapsed(i), 3) for i in range(len(self.durations))],
            "durations": list(self.durations),
            "session_elapsed": round(self.session_elapsed(), 3),
            "started": self.started_wall,
            "ended": self.ended_wall,
            "turn": self.turn,
            "turn_elapsed": [
                [round(self.turn_elapsed(j, i), 3) for j in range(len(step.turns))] for i, step in enumerate(self.agenda.steps)
            ],
            "turn_durations": [list(allotted) for allotted in self.turn_durations],
            "turn_adjusted": [list(chosen) for chosen in self.turn_adjusted],
            "slot": self.slot.to_dict() if self.slot is not None else None,
            "message": self.message,
            "hidden": self.hidden,
            "step_starts": list(self.step_starts),
        }

    def _emit(self, kind: str, **details: Any) -> None:
        event = {"type": kind, "wall": round(self.clock.wall(), 3), **details, "state": self.snapshot()}
        self.event_count += 1
        self.record(event)

    @classmethod
    def restore(
        cls, agenda: Agenda, events: Iterable[Event], clock: Clock, record: Recorder | None = None, slot: Slot | None = None
    ) -> Session:
        """Rebuild a session from its journal's events, as it stands now.

        If it was running when the program stopped, the time since its last event counts as elapsed
        (the room kept going): ``away`` says how long that was. ``slot`` is the journal header's; the
        last snapshot's wins when it has one. The events must be well formed (:func:`well_formed`)
        and fit the agenda (:func:`fits_agenda`), as the journal reader ensures.
        """
        session = cls(agenda, clock, slot=slot)
        session.resumed = True
        last = None
        for event in events:
            session.event_count += 1
            if event.get("type") == "note":
                session.notes.append(_note_from_dict(event["note"]))
            session.audience.replay(event)
            session.board.replay(event)
            if event.get("type") == "message" and event.get("text"):
                session.room_messages.append(RoomMessage(event["text"], event.get("state", {}).get("step", 0), event.get("wall", 0.0)))
            if "state" in event:
                last = event
        if last is not None:
            state = last["state"]
            session.index = state["step"]
            session.durations = list(state["durations"])
            session._elapsed = [float(x) for x in state["elapsed"]]
            session.running = state["running"]
            session.finished = state["finished"]
            session.started_wall = state["started"]
            session.ended_wall = state.get("ended")
            session._restore_turns(state)
            session.slot = Slot.from_dict(state.get("slot")) or slot
            session.message = state.get("message")  # journals before messages and hiding lack these two
            session.hidden = state.get("hidden", session.step.display == "hidden")
            starts = state.get("step_starts")  # journals before it show the planned starts
            if isinstance(starts, list) and len(starts) == len(agenda.steps) and all(x is None or _number(x) for x in starts):
                session.step_starts = list(starts)
            away = max(0.0, clock.wall() - last["wall"]) if not session.finished else 0.0
            session.away = away
            if session.running:
                session._count(away)
            session._running_since = clock.monotonic()
            session._session_base = state["session_elapsed"] + away
            session._boot_mark = clock.boottime()
        session.record = record if record is not None else (lambda event: None)
        return session

    def _restore_turns(self, state: dict[str, Any]) -> None:
        """The turns' part of a snapshot; a journal written before turns existed leaves them as planned."""
        shape = [len(step.turns) for step in self.agenda.steps]
        elapsed, allotted, chosen = state.get("turn_elapsed"), state.get("turn_durations"), state.get("turn_adjusted")
        if isinstance(elapsed, list) and [len(row) for row in elapsed] == shape:
            self._turn_elapsed = [[float(x) for x in row] for row in elapsed]
        if isinstance(allotted, list) and [len(row) for row in allotted] == shape:
            self.turn_durations = [[float(x) for x in row] for row in allotted]
            self.turn_adjusted = [[round(x) for x in row] for row in allotted]  # a journal before "turn_adjusted"
        if isinstance(chosen, list) and [len(row) for row in chosen] == shape:
            self.turn_adjusted = [[int(x) for x in row] for row in chosen]
        turn = state.get("turn", 0)
        self.turn = turn if isinstance(turn, int) and 0 <= turn < max(1, shape[self.index]) else 0


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _well_formed_state(state: object) -> bool:
    """Whether a snapshot has every key :meth:`Session.restore` reads, of the right type (newer keys are optional)."""
    if not isinstance(state, dict):
        return False
    elapsed, durations = state.get("elapsed"), state.get("durations")
    return (
        _index(state.get("step"))
        and isinstance(state.get("running"), bool)
        and isinstance(state.get("finished"), bool)
        and isinstance(elapsed, list)
        and isinstance(durations, list)
        and len(elapsed) == len(durations) > state["step"]
        and all(_number(x) for x in elapsed + durations)
        and _number(state.get("session_elapsed"))
        and (state.get("started") is None or _number(state["started"]))
        and (state.get("ended") is None or _number(state["ended"]))
        and _well_formed_slot(state.get("slot"))
    )


def _well_formed_slot(slot: object) -> bool:
    return not slot or (isinstance(slot, dict) and all(slot.get(k) is None or _number(slot[k]) for k in ("start", "end")))


def _well_formed_note(note: object) -> bool:
    return (
        isinstance(note, dict)
        and isinstance(note.get("text"), str)
        and note.get("kind") in ("note", *NOTE_KINDS.values())
        and isinstance(note.get("hypotheses"), list)
        and all(_index(n) for n in note["hypotheses"])
        and _index(note.get("step"))
        and _number(note.get("wall"))
        and _number(note.get("elapsed"))
        and (note.get("author") is None or isinstance(note["author"], str))
    )


def well_formed(event: object) -> bool:
    """Whether a journal line is an event a reader can use without meeting a missing key or a wrong type."""
    if not isinstance(event, dict) or not isinstance(event.get("type"), str) or not _number(event.get("wall")):
        return False
    if "state" in event and not _well_formed_state(event["state"]):
        return False
    if event["type"] == "header":
        return isinstance(event.get("agenda_yaml"), str) and _well_formed_slot(event.get("slot"))
    return event["type"] != "note" or _well_formed_note(event.get("note"))


def fits_agenda(event: Event, agenda: Agenda) -> bool:
    """Whether a well-formed event describes a session of ``agenda`` (as many steps, notes on one of them)."""
    steps = len(agenda.steps)
    if "state" in event and len(event["state"]["durations"]) != steps:
        return False
    return bool(event["type"] != "note" or event["note"]["step"] < steps)


def _note_to_dict(note: Note) -> dict[str, Any]:
    data = {
        "text": note.text,
        "kind": note.kind,
        "hypotheses": list(note.hypotheses),
        "step": note.step,
        "wall": round(note.wall, 3),
        "elapsed": round(note.elapsed, 3),
    }
    if note.turn is not None:  # only a note written during a turn says whose turn it was
        data["turn"] = note.turn
    if note.author:  # only a second note-taker's notes say who wrote them
        data["author"] = note.author
    return data


def _note_from_dict(data: dict[str, Any]) -> Note:
    return Note(
        data["text"], data["kind"], tuple(data["hypotheses"]), data["step"], data["wall"], data["elapsed"],
        data.get("author"), data.get("turn"),
    )
