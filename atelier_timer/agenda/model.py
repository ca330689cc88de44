"""The agenda model: what a validated agenda holds, the problems a file can have, and the limits."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from atelier_timer.errors import AtelierError
from atelier_timer.measures import DEFAULT_POINTS, Measure
from atelier_timer.safetext import printable

MAX_DURATION = 24 * 3600
# An agenda is a few kilobytes (the bundled ones 4 and 5); the cap keeps a stray or hostile large
# file from keeping the parser busy: 64 KiB of YAML with a problem on every line take 0.1 to 0.3 s.
MAX_FILE_BYTES = 64 * 1024
# Agendas nest four levels at most; the cap keeps a "[[[[[..." file from exhausting the stack.
MAX_DEPTH = 20
# A file with thousands of mistakes is shown by its first ones: the rest are counted, not printed.
MAX_SHOWN_PROBLEMS = 20

# --------------------------------------------------------------------------------------------------
# The model


class Role(NamedTuple):
    key: str
    label: str


class Participant(NamedTuple):
    name: str
    role: str  # a declared role key


class Alerts(NamedTuple):
    """When the countdown changes colour (seconds left), and how it rings."""

    warn: int = 120
    danger: int = 30
    sound: str | None = None  # "on" | "bell" | "off"; None: as the user's settings say
    volume: int | None = None  # percent; None: as the user's settings say


class Turn(NamedTuple):
    """One person's turn inside a step: a participant of a round, a consultant, a testimony."""

    name: str
    duration: int  # seconds, > 0
    role: str | None = None  # the role of who speaks (a participant's, the turns' role, or the turn's own)


class Step(NamedTuple):
    title: str
    duration: int  # seconds, > 0, <= 24 h; the sum of its turns when it has some
    speaker: str | None = None
    prompt: str | None = None
    reminders: tuple[tuple[str, str], ...] = ()  # (role key, text), in the agenda's role order
    warn: int | None = None  # per-step override of alerts.warn (seconds)
    danger: int | None = None  # per-step override of alerts.danger
    protected: bool = False  # never shortened when rebalancing
    turns: tuple[Turn, ...] = ()  # in order; their durations add up to the step's
    auto_advance: bool | None = None  # per-step override of the agenda's auto_advance
    display: str = "countdown"  # "countdown" | "countup" (the time spent) | "hidden" (no digits)
    # With turns: "strict", each turn keeps its own length whatever the others did, or "shared", the
    # turns share the step's time (an overrun eats into the following turns, a short turn leaves them its time).
    turns_share: str = "shared"
    roti: bool = False  # the ROTI vote opens when the step begins (once a session)


class Schedule(NamedTuple):
    """The booked slot as written in the agenda: times of day ``"HH:MM"``, either or both."""

    start: str | None = None
    end: str | None = None


class Agenda(NamedTuple):
    title: str
    steps: tuple[Step, ...]
    language: str = "fr"
    roles: tuple[Role, ...] = ()
    alerts: Alerts = Alerts()
    auto_advance: bool = False
    participants: tuple[Participant, ...] = ()
    hypotheses: tuple[Measure | str, ...] = ()  # the impact measures the team prepared (a plain line is a Measure's text)
    vote_points: int = DEFAULT_POINTS  # each browser's points per criterion in the room's vote
    schedule: Schedule = Schedule()
    messages: tuple[str, ...] = ()  # presets for the messages to the room
    turns_share: str | None = None  # the agenda's own default for its steps with turns; None: by the rule above TURNS_SHARES
    source: str = ""  # the path or bundled name it came from

    @property
    def total(self) -> int:
        """Planned length of the whole agenda, in seconds."""
        return sum(step.duration for step in self.steps)

    def role_label(self, key: str) -> str:
        """The label shown for a role key (the key itself if it is not declared)."""
        for role in self.roles:
            if role.key == key:
                return role.label
        return key

    def warn_for(self, step: Step) -> int:
        """Seconds left when ``step`` turns to the warning colour."""
        return self.alerts.warn if step.warn is None else step.warn

    def danger_for(self, step: Step) -> int:
        """Seconds left when ``step`` turns to the danger colour."""
        return self.alerts.danger if step.danger is None else step.danger

    def auto_advance_for(self, step: Step) -> bool:
        """Whether ``step`` moves on to the next one by itself at zero."""
        return self.auto_advance if step.auto_advance is None else step.auto_advance


class Problem(NamedTuple):
    """One thing wrong with an agenda file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        # Path and message may quote the file's own text: escaped, so that it stays one line and
        # no escape sequence of the file reaches the terminal.
        return printable(f"{self.path}:{self.line}:{self.col}: error: {self.message}")


class AgendaError(AtelierError):
    """An agenda could not be read or is not valid; ``problems`` lists every reason found.

    Its text shows the first ``MAX_SHOWN_PROBLEMS`` of them, one line each, then a line that counts
    the others, placed at the first one not shown.
    """

    located = True  # each line says FILE:LINE:COL

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(problem) for problem in self.problems[:MAX_SHOWN_PROBLEMS]]
        hidden = self.problems[MAX_SHOWN_PROBLEMS:]
        if hidden:
            more = f"… and {len(hidden)} more problem{'s' if len(hidden) > 1 else ''}"
            lines.append(str(Problem(hidden[0].path, hidden[0].line, hidden[0].col, more)))
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------------------------------
# Names

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slugify(title: str) -> str:
    """A file-name-safe form of a title: "Atelier impact — co-développement" → "atelier-impact-co-developpement"."""
    decomposed = unicodedata.normalize("NFKD", title.translate(_LIGATURES))
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "agenda"
