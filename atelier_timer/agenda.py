"""Agenda files: the model, the duration forms, and a loader that reports every problem with its place.

The loader composes the YAML into a node tree (which keeps line and column of every value) and builds
the agenda from the nodes itself, so that:

- nothing is ever constructed from a tag: a ``!!python/...`` tag is reported, never run;
- aliases are refused outright, so an alias bomb ("billion laughs") stops at its first ``*``;
- duplicate keys, which PyYAML would silently accept, are seen and reported;
- YAML 1.1 surprises do not reach the agenda: ``7:30`` stays seven minutes thirty (not the base-60
  integer 450), ``010`` stays ten minutes (not octal 8), a speaker called ``No`` stays a name.

``parse_agenda`` is pure (text in, agenda or ``AgendaError`` out): the journal stores the text of the
agenda a session ran and parses it again on resume.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import stat
import unicodedata
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier_timer.safetext import printable, quoted, shortened
from atelier_timer.sound import SOUND_MODES
from atelier_timer.texts import reason

MAX_DURATION = 24 * 3600
# An agenda is a few kilobytes (the bundled ones 4 and 5); the cap keeps a stray or hostile large
# file from keeping the parser busy: 64 KiB of YAML with a problem on every line take 0.1 to 0.3 s.
MAX_FILE_BYTES = 64 * 1024
# Agendas nest four levels at most; the cap keeps a "[[[[[..." file from exhausting the stack.
MAX_DEPTH = 20
LANGUAGES = ("fr", "en")
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
    hypotheses: tuple[str, ...] = ()
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


class AgendaError(Exception):
    """An agenda could not be read or is not valid; ``problems`` lists every reason found.

    Its text shows the first ``MAX_SHOWN_PROBLEMS`` of them, one line each, then a line that counts
    the others, placed at the first one not shown.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(problem) for problem in self.problems[:MAX_SHOWN_PROBLEMS]]
        hidden = self.problems[MAX_SHOWN_PROBLEMS:]
        if hidden:
            more = f"… and {len(hidden)} more problem{'s' if len(hidden) > 1 else ''}"
            lines.append(str(Problem(hidden[0].path, hidden[0].line, hidden[0].col, more)))
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------------------------------
# Durations

# Unit words, in English and French ("10 min", "90 secondes", "2 heures").
HOUR_UNITS = ("hours", "hour", "hrs", "hr", "heures", "heure", "h")
MINUTE_UNITS = ("minutes", "minute", "mins", "min", "mn", "m")
SECOND_UNITS = ("seconds", "second", "secondes", "seconde", "secs", "sec", "s")
_H, _M, _S = ("(?:" + "|".join(units) + ")" for units in (HOUR_UNITS, MINUTE_UNITS, SECOND_UNITS))
_CLOCK_FORM = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d{2})")
_UNIT_FORM = re.compile(rf"(?:(?P<h>\d+)\s*{_H}\s*)?(?:(?P<m>\d+)\s*{_M}\s*)?(?:(?P<s>\d+)\s*{_S})?")
# "1h30" (minutes after the hours) and "1m30" (seconds after the minutes), as people write them.
_TRAILING_FORM = re.compile(rf"(?P<h>\d+)\s*{_H}\s*(?P<hm>\d+)|(?P<m>\d+)\s*{_M}\s*(?P<ms>\d+)")
DURATION_FORMS = 'a number of minutes or a text such as "10m", "90s", "1h30", "7:30" (min:sec), "1m30s"'


def parse_duration(value: int | float | str) -> int:
    """Seconds in a duration: a number is minutes; text may be "10m", "90s", "1h30", "7:30", "1m30s"…

    Raises ``ValueError`` saying what is wrong and which forms work.
    """
    try:
        return _duration_seconds(value, allow_zero=False)
    except ValueError as error:
        raise ValueError(f"duration {error}") from None


def _duration_seconds(value: int | float | str, *, allow_zero: bool) -> int:
    """Seconds in ``value``; a ``ValueError`` whose message reads after the word "duration"."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")
    if isinstance(value, int):
        seconds = value * 60
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")
        exact = value * 60
        seconds = round(exact)
        if abs(exact - seconds) > 1e-6:
            raise ValueError(f"must be a whole number of seconds, not {_shown(value)} minutes")
    else:
        seconds = _text_duration_seconds(value)
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError(f"must be more than zero, not {_shown(value)}")
    if seconds > MAX_DURATION:
        raise ValueError(f"must be at most 24 hours, not {_shown(value)}")
    return seconds


def _text_duration_seconds(value: str) -> int:
    text = value.strip().lower()
    if re.fullmatch(r"[-+]?\d+", text):
        return _whole(text) * 60
    if text.startswith("-"):
        raise ValueError(f"must be more than zero, not {_shown(value)}")
    match = _CLOCK_FORM.fullmatch(text)
    if match:
        if _whole(match["s"]) >= 60 or (match["h"] is not None and _whole(match["m"]) >= 60):
            raise ValueError(f"must be min:sec or h:min:sec with seconds and minutes under 60, not {_shown(value)}")
        return _whole(match["h"] or "0") * 3600 + _whole(match["m"]) * 60 + _whole(match["s"])
    match = _TRAILING_FORM.fullmatch(text)
    if match:
        if match["h"] is not None:
            return _whole(match["h"]) * 3600 + _whole(match["hm"]) * 60
        return _whole(match["m"]) * 60 + _whole(match["ms"])
    match = _UNIT_FORM.fullmatch(text)
    if text and match:
        return _whole(match["h"] or "0") * 3600 + _whole(match["m"] or "0") * 60 + _whole(match["s"] or "0")
    raise ValueError(f"must be {DURATION_FORMS}; not {_shown(value)}")


def _whole(number: str) -> int:
    """The integer a run of digits (with an optional sign) writes, capped at a billion.

    Any number of more than nine digits is far beyond 24 hours, and Python refuses to convert more
    than 4300 digits at all: the cap keeps "at most 24 hours" the answer for every length.
    """
    digits = number.lstrip("+-").lstrip("0")
    magnitude = int(digits) if 0 < len(digits) <= 9 else (10**9 if digits else 0)
    return -magnitude if number.startswith("-") else magnitude


def format_duration(seconds: int) -> str:
    """The canonical text of a duration: "10m", "90s" → "1m30s", "1h30m", "24h"."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ValueError(f"expected a whole number of seconds, not {seconds!r}")
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{amount}{unit}" for amount, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if amount)


_TIME_OF_DAY = re.compile(r"\s*(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?\s*")
TIME_OF_DAY_FORMS = 'a time of day such as "14:00", "9:05" or "14h30"'


def parse_time_of_day(value: str) -> tuple[int, int] | None:
    """(hour, minute) of a time of day ("14:00", "9:05", "14h30", "14h"), or None if it is not one."""
    match = _TIME_OF_DAY.fullmatch(value)
    if not match or (match[2] is None and ":" in value):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _shown(value: object) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --------------------------------------------------------------------------------------------------
# Reading files


def bundled_agendas() -> dict[str, Path]:
    """The agendas that ship with atelier-timer, by name: ``{"codev": path, "temoignages": path}``."""
    folder = _bundled_folder()
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))} if folder else {}


def _bundled_folder() -> Path | None:
    # A plain path, not importlib.resources: the wheel installs files on disk, and importing
    # importlib.resources costs the timer's start-up 15 to 20 ms.
    package = Path(__file__).resolve().parent
    for folder in (package / "agendas", package.parent / "agendas"):  # the wheel, then a source checkout
        if folder.is_dir():
            return folder
    return None


def schema_text() -> str:
    """The JSON Schema of agenda files (draft 2020-12), as shipped in the package."""
    return (Path(__file__).resolve().parent / "schema.json").read_text(encoding="utf-8")


def read_agenda_source(name_or_path: str) -> tuple[str, str]:
    """The YAML text of an agenda file or bundled agenda, and the label its problems are shown with.

    An existing file wins over a bundled name. Raises ``AgendaError`` (one problem at line 1,
    column 1, or where the bad byte is) for a missing file, a directory, a binary or non-UTF-8 file.
    """
    path = Path(name_or_path)
    bundled = bundled_agendas()
    label = name_or_path

    def fail(message: str, line: int = 1, col: int = 1) -> AgendaError:
        return AgendaError([Problem(label, line, col, message)])

    try:
        mode: int | None = path.stat().st_mode
    except (OSError, ValueError) as error:
        if isinstance(error, OSError) and not isinstance(error, (FileNotFoundError, NotADirectoryError)):
            raise fail(f"cannot be read: {reason(error)}") from None
        mode = None
    if not (mode is not None and stat.S_ISREG(mode)) and name_or_path in bundled:
        return bundled[name_or_path].read_text(encoding="utf-8"), name_or_path
    if mode is None:
        names = ", ".join(bundled) or "none"
        raise fail(f"no such file (bundled agendas: {names})")
    if stat.S_ISDIR(mode):
        raise fail("is a directory, not an agenda file")
    if not stat.S_ISREG(mode):
        raise fail("is not a regular file")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot be read: {reason(error)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is too large for an agenda (more than {MAX_FILE_BYTES // 1024} KiB)")
    encoding = _wide_encoding(data)
    if encoding:
        raise fail(f"is encoded in {encoding}; save it as UTF-8")
    if b"\x00" in data:
        raise fail("is a binary file (it contains NUL bytes), not a YAML agenda")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = _position(data, error.start)
        raise fail(f"is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8", line, col) from None
    return text, label


def _wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" for text saved in one of them (with a byte order mark, or as plain
    ASCII text spreads its NUL bytes), else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: it starts the same
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = data[:400]
    for width in (4, 2):
        if len(sample) >= width and len(sample) % width == 0:
            columns = [sample[offset::width] for offset in range(width)]
            text_columns = [column for column in columns if column.strip(b"\x00")]
            if len(text_columns) == 1 and b"\x00" not in text_columns[0]:
                return f"UTF-{width * 8}"
    return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as far as they decode) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def load_agenda(name_or_path: str) -> Agenda:
    """Read and validate an agenda file or bundled agenda."""
    return parse_agenda(*read_agenda_source(name_or_path))


# --------------------------------------------------------------------------------------------------
# Parsing


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not wanted in an agenda; its ``problem`` is the whole message."""


class _Guard:
    """Looks at the YAML events before any tree is built, and refuses what an agenda has no use for.

    Aliases are refused at their first ``*``, so an alias bomb ("billion laughs") never expands;
    nesting deeper than ``MAX_DEPTH`` is refused before the composer recurses into it; an anchor given
    twice is named (YAML's own message only says "second occurrence").
    """

    def __init__(self) -> None:
        self.depth = 0
        self.anchors: dict[str, yaml.Mark] = {}

    def see(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            message = f"aliases (*{shortened(event.anchor, 40)}) are not allowed in an agenda: write the value out"
            raise _Refused(None, None, message, event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            if anchor in self.anchors:
                first = self.anchors[anchor].line + 1
                message = f"the anchor &{shortened(anchor, 40)} is given a second time (first on line {first}); an agenda needs no anchors"
                raise _Refused(None, None, message, event.start_mark)
            self.anchors[anchor] = event.start_mark
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(None, None, "the YAML is nested too deeply for an agenda", event.start_mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.depth -= 1


_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# PyYAML resolves a plain "<<" to the merge tag and a plain "=" to the value tag: text here (a
# speaker called "="), except "<<" as a key, a merge that is told as such.
_PLAIN_TEXT_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_TEXT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "timestamp")} | _PLAIN_TEXT_TAGS
_MERGE = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"

TOP_KEYS = (
    "version", "title", "language", "roles", "alerts", "auto_advance", "turns_share", "schedule", "participants",
    "hypotheses", "messages", "steps",
)  # fmt: skip
STEP_KEYS = (
    "title", "duration", "speaker", "prompt", "reminders", "warn", "danger", "protected", "auto_advance", "turns", "repeat",
    "display", "turns_share",
)  # fmt: skip
SCHEDULE_KEYS = ("start", "end")
TURN_KEYS = ("name", "duration", "role")
TURNS_BY_ROLE_KEYS = ("role", "each")
BLOCK_KEYS = ("times", "steps", "rotate")
MAX_REPEAT = 50
MAX_TURNS = 200
TURNS_FORMS = "'participants', {role: ROLE, each: DURATION} or a list of {name: NAME, duration: DURATION}"
ALERT_KEYS = ("warn", "danger", "sound", "volume", "bell")
DISPLAYS = ("countdown", "countup", "hidden")
TURNS_SHARES = ("strict", "shared")
# Without a word from the step or the agenda, turns that each have a length of their own (a list with
# durations, {role, each}) keep it strictly: that length was promised to the person (7 minutes per
# testimony); turns that divide the step's duration between them share it: the step's end was promised.
PARTICIPANT_KEYS = ("name", "role")


def parse_agenda(text: str, source: str) -> Agenda:
    """Validate the YAML text of an agenda; raise ``AgendaError`` listing every problem found."""
    checker = _Checker(source)
    refused = _REFUSED_CHARACTER.search(text)
    if refused:
        line, col = _line_col(text, refused.start())
        raise AgendaError([Problem(source, line, col, _refused_character(refused.group()))])
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if "another document" in message:
            message = "an agenda is a single YAML document (a second '---' starts another)"
        if not isinstance(error, _Refused):
            message = f"invalid YAML: {message}{_syntax_hint(message, text, mark)}"
        raise AgendaError([Problem(source, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)]) from None
    except yaml.YAMLError as error:
        raise AgendaError([Problem(source, 1, 1, f"invalid YAML: {error}")]) from None
    if root is None:
        raise AgendaError([Problem(source, 1, 1, "the file is empty: an agenda needs at least a title and steps")])
    agenda = checker.agenda(root)
    if checker.problems or agenda is None:
        # A repeated block is read once per round: the same problem is told once.
        raise AgendaError(sorted(dict.fromkeys(checker.problems), key=lambda p: (p.line, p.col)))
    return agenda


# What YAML refuses (controls other than tab and line breaks), and the characters YAML 1.1 reads as
# line breaks where an editor shows none (NEL, U+2028, U+2029): they would put every line number
# after them out of step with the editor's. Listed as they are, not as the complement of what YAML
# accepts: that class took 6 ms to compile at every start.
_REFUSED_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = {"\x85": "next line (NEL)", "\u2028": "line separator", "\u2029": "paragraph separator"}


def _refused_character(char: str) -> str:
    if char in _LINE_BREAKS:
        return (
            f"the character U+{ord(char):04X} ({_LINE_BREAKS[char]}) is not allowed: YAML reads it as a line "
            "break where an editor shows none; use an ordinary line break or remove it"
        )
    return f"invalid YAML: the control character U+{ord(char):04X} is not allowed"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting line breaks as YAML does."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


# PyYAML's own parser words syntax errors better than libyaml (it names the character it met), but
# slowly (0.3 s for 16 KiB of flow items): it words them for files up to this many characters.
PYTHON_MESSAGES_MAX = 12 * 1024


def _compose(text: str) -> Node | None:
    """The YAML node tree, with the line and column of every value.

    libyaml's C parser does it ten times faster than PyYAML's own (it is most of the timer's start-up
    after the imports), so it is used when it is there. The events are guarded before the tree is
    built. A syntax error in a file of ordinary size is read again by PyYAML's parser, whose message
    is the one the user reads.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        return _guarded_compose(text, fast or yaml.SafeLoader)
    except _Refused:
        raise
    except yaml.YAMLError:
        if fast is None or len(text) > PYTHON_MESSAGES_MAX:
            raise
    return _guarded_compose(text, yaml.SafeLoader)


def _guarded_compose(text: str, loader: type) -> Node | None:
    guard = _Guard()
    for event in yaml.parse(text, Loader=loader):
        guard.see(event)
    return yaml.compose(text, Loader=loader)


def _syntax_hint(message: str, text: str, mark: yaml.Mark | None) -> str:
    if "'\\t'" in message or (mark is not None and _character_at(text, mark) == "\t"):
        return " (indent with spaces, not tabs)"
    if mark is not None and mark.column > 1024 and _character_at(text, mark) == ":":
        return " (a key longer than 1024 characters must be written '? key' on its own line)"
    if "mapping values are not allowed" in message:
        return " (text containing ': ' must be put in quotes)"
    return ""


def _character_at(text: str, mark: yaml.Mark) -> str:
    lines = re.split(r"\r\n|\r|\n", text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


class _Checker:
    """Walks the node tree, building the agenda and collecting a problem for everything wrong."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.hint_budget = HINT_COMPARISONS
        self.hints: dict[tuple[str, frozenset[str]], str | None] = {}  # (word, choices): the close choice
        self.declared: tuple[tuple[Role, ...], frozenset[str], dict[str, int]] | None = None  # see role_keys
        self.turns_share: str | None = None  # the agenda's turns_share, the default of its steps with turns

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.source, node.start_mark.line + 1, node.start_mark.column + 1, message))

    # -- generic shapes ----------------------------------------------------------------------------

    def tag_ok(self, node: Node) -> bool:
        """False (and a problem) for any tag outside plain YAML, checked over the whole subtree; and
        for a lone surrogate (a "\\ud800" escape), which is no character and no file can hold."""
        if node.tag not in _STANDARD_TAGS and not (isinstance(node, ScalarNode) and node.tag in _PLAIN_TEXT_TAGS):
            shown = shortened(node.tag.replace("tag:yaml.org,2002:", "!!"), 60)
            self.error(node, f"the tag {shown} is not allowed: agendas are plain YAML")
            return False
        surrogate = _SURROGATE.search(node.value) if isinstance(node, ScalarNode) else None
        if surrogate:
            code = f"U+{ord(surrogate.group()):04X}"
            self.error(node, f"{code} is half of a UTF-16 pair (a surrogate), not a character: write the character itself")
            return False
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            children = [item for pair in node.value for item in pair]
        return all([self.tag_ok(child) for child in children])

    def mapping(self, node: Node, where: str, known: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, tuple[Node, Node]] | None:
        """The entries of a mapping by key (key node, value node), with unknown, duplicate and missing keys reported."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{where or 'the agenda'} must be a mapping of keys to values, not {_kind(node)}")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        meant: set[str] = set()  # known keys that an unknown key is probably a typo of
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"{_prefix(where)}a key must be a plain name, not {_kind(key_node)}")
                continue
            key = key_node.value
            if key_node.tag == _MERGE:
                self.error(key_node, f"{_prefix(where)}merge keys ('<<') are not supported in an agenda: write the keys out")
                continue
            if key in entries:
                first = entries[key][0].start_mark.line + 1
                self.error(key_node, f"{_prefix(where)}duplicate key {quoted(key)} (first given on line {first})")
                continue
            entries[key] = (key_node, value_node)
            if known and key not in known:
                close = self.close(key, known)
                hint = f"did you mean '{close}'?" if close else f"known keys: {', '.join(known)}"
                self.error(key_node, f"{_prefix(where)}unknown key {quoted(key)} ({hint})")
                meant.update([close] if close else [])
        for key in required:
            if key not in entries and key not in meant:  # a typo already said "did you mean"
                self.error(node, f"{_prefix(where)}missing required key '{key}'")
        return {key: pair for key, pair in entries.items() if not known or key in known}

    def close(self, word: str, choices: tuple[str, ...] | frozenset[str]) -> str | None:
        """The choice ``word`` is probably a typo of (or the French for), if any.

        The work is bounded for a hostile file: long words are not compared, a typo made again is
        answered from memory, and one file gets ``HINT_COMPARISONS`` comparisons in all (1000
        look-alike roles took 10 s unbounded).
        """
        french = _FRENCH_KEYS.get(word.lower())
        if french in choices:
            return french
        if len(word) > MAX_HINT_LENGTH:
            return None
        asked = (word, frozenset(choices))
        if asked not in self.hints and len(choices) <= self.hint_budget:
            candidates = sorted(choice for choice in choices if len(choice) <= MAX_HINT_LENGTH)
            self.hint_budget -= len(candidates)
            match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
            self.hints[asked] = match[0] if match else None
        return self.hints.get(asked)

    def undeclared(self, key: str, declared: frozenset[str]) -> str:
        """Why a role key is refused, with the role it is probably a typo of."""
        if not declared:
            return f"role {quoted(key)} is not declared (the agenda has no 'roles')"
        close = self.close(key, declared)
        hint = f"did you mean {quoted(close)}?" if close else f"declared roles: {_names(declared)}"
        return f"role {quoted(key)} is not declared in 'roles' ({hint})"

    def text(self, node: Node, where: str, *, optional: bool = False) -> str | None:
        """A line of text; numbers and dates are taken as written, so a speaker called No stays No."""
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            if not optional:
                self.error(node, f"{where} must not be empty")
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _TEXT_TAGS:
            self.error(node, f"{where} must be text, not {_kind(node)}")
            return None
        value = node.value.strip()
        if not value and not optional:
            self.error(node, f"{where} must not be empty")
            return None
        return value or None

    def boolean(self, node: Node, where: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, f"{where} must be true or false, not {_kind(node)}")
        return None

    def duration(self, node: Node, where: str, *, allow_zero: bool = False) -> int | None:
        value: int | float | str
        if not isinstance(node, ScalarNode) or node.tag in (_NULL, _BOOL):
            self.error(node, f"{where} must be {DURATION_FORMS}; not {_kind(node)}")
            return None
        raw = node.value.strip()
        # Read from the text as written: YAML 1.1 would make "7:30" the integer 450 and "010" octal 8.
        # A longer number stays text, so that the message quotes it as written, not as a huge value.
        if re.fullmatch(r"[-+]?\d{1,9}", raw):
            value = int(raw)
        elif node.tag == _FLOAT and re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+)", raw) and len(raw) <= 20:
            value = float(raw)
        else:
            value = raw
        try:
            return _duration_seconds(value, allow_zero=allow_zero)
        except ValueError as error:
            self.error(node, f"{where} {error}")
            return None

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if isinstance(node, SequenceNode):
            return node.value
        self.error(node, f"{where} must be a list (lines starting with '- '), not {_kind(node)}")
        return None

    # -- the agenda --------------------------------------------------------------------------------

    def agenda(self, root: Node) -> Agenda | None:
        if not self.tag_ok(root):
            return None
        top = self.mapping(root, "", TOP_KEYS, required=("title", "steps"))
        if top is None:
            return None
        value = {key: pair[1] for key, pair in top.items()}

        if "version" in value:
            node = value["version"]
            if not (isinstance(node, ScalarNode) and node.tag == _INT and node.value.strip() == "1"):
                self.error(node, f"version must be 1 (the only agenda format so far), not {_kind(node)}")
        title = self.text(value["title"], "title") if "title" in value else None
        language = "fr"
        if "language" in value:
            node = value["language"]
            language = self.text(node, "language") or "fr"
            if language not in LANGUAGES:
                self.error(node, f"language must be 'fr' or 'en', not {quoted(language)}")
        roles = self.roles(value["roles"]) if "roles" in value else ()
        declared = frozenset(role.key for role in roles)
        alerts = self.alerts(value["alerts"]) if "alerts" in value else Alerts()
        auto_advance = bool(self.boolean(value["auto_advance"], "auto_advance")) if "auto_advance" in value else False
        self.turns_share = self.sharing(value["turns_share"], "turns_share") if "turns_share" in value else None
        schedule = self.schedule(value["schedule"]) if "schedule" in value else Schedule()
        participants = self.participants(value["participants"], declared) if "participants" in value else ()
        hypotheses = self.hypotheses(value["hypotheses"]) if "hypotheses" in value else ()
        messages = self.texts(value["messages"], "messages", "message") if "messages" in value else ()
        steps = self.steps(value["steps"], roles, participants) if "steps" in value else ()

        if title is None or not steps:
            return None
        return Agenda(
            title=title,
            steps=steps,
            language=language,
            roles=roles,
            alerts=alerts,
            auto_advance=auto_advance,
            participants=participants,
            hypotheses=hypotheses,
            schedule=schedule,
            messages=messages,
            turns_share=self.turns_share,
            source=self.source,
        )

    def schedule(self, node: Node) -> Schedule:
        """The booked slot: each time of day checked, and the end after the start (not across midnight)."""
        entries = self.mapping(node, "schedule", SCHEDULE_KEYS)
        if entries is None:
            return Schedule()
        times: dict[str, str | None] = {}
        for key in SCHEDULE_KEYS:
            if key not in entries:
                continue
            value_node = entries[key][1]
            text = self.text(value_node, f"schedule.{key}")
            parsed = parse_time_of_day(text) if text is not None else None
            if text is not None and parsed is None:
                self.error(value_node, f"schedule.{key} must be {TIME_OF_DAY_FORMS}, not {quoted(text)}")
            times[key] = f"{parsed[0]:02d}:{parsed[1]:02d}" if parsed else None
        start, end = times.get("start"), times.get("end")
        if start and end and end <= start:
            self.error(
                entries["end"][1],
                f"schedule.end {end} is not after schedule.start {start} (a slot across midnight is not supported)",
            )
            return Schedule()
        return Schedule(start, end)

    def roles(self, node: Node) -> tuple[Role, ...]:
        entries = self.mapping(node, "roles", ())
        if entries is None:
            return ()
        roles = []
        for key, (key_node, value_node) in entries.items():
            if not key.strip():
                self.error(key_node, "roles: a role key must not be empty")
                continue
            label = self.text(value_node, f"roles: the label of {quoted(key)}")
            roles.append(Role(key, label or key))
        return tuple(roles)

    def alerts(self, node: Node) -> Alerts:
        entries = self.mapping(node, "alerts", ALERT_KEYS)
        if entries is None:
            return Alerts()
        defaults = Alerts()
        warn = self.duration(entries["warn"][1], "alerts.warn", allow_zero=True) if "warn" in entries else None
        danger = self.duration(entries["danger"][1], "alerts.danger", allow_zero=True) if "danger" in entries else None
        sound = self.sound(entries["sound"][1]) if "sound" in entries else None
        if "bell" in entries:  # the older form: bell: false is sound: off
            bell = self.boolean(entries["bell"][1], "alerts.bell")
            if "sound" in entries:
                self.error(entries["bell"][0], "alerts: give sound or bell, not both (bell: false is sound: off)")
            elif bell is False:
                sound = "off"
        volume = self.volume(entries["volume"][1]) if "volume" in entries else None
        return Alerts(
            warn=defaults.warn if warn is None else warn,
            danger=defaults.danger if danger is None else danger,
            sound=sound,
            volume=volume,
        )

    def sound(self, node: Node) -> str | None:
        # YAML 1.1 reads a bare on/off as a boolean: take the word as written.
        word = node.value.strip().lower() if isinstance(node, ScalarNode) else None
        if word in ("true", "yes", "y"):
            word = "on"
        elif word in ("false", "no", "n"):
            word = "off"
        if word not in SOUND_MODES:
            self.error(node, f"alerts.sound must be on, bell or off, not {_kind(node)}")
            return None
        return word

    def volume(self, node: Node) -> int | None:
        raw = node.value.strip() if isinstance(node, ScalarNode) and node.tag == _INT else ""
        if not re.fullmatch(r"\d{1,3}", raw) or int(raw) > 100:
            self.error(node, f"alerts.volume must be a whole number from 0 to 100 (percent), not {_kind(node)}")
            return None
        return int(raw)

    def participants(self, node: Node, declared: frozenset[str]) -> tuple[Participant, ...]:
        items = self.sequence(node, "participants")
        participants = []
        for number, item in enumerate(items or (), start=1):
            where = f"participant {number}"
            entries = self.mapping(item, where, PARTICIPANT_KEYS, required=("name", "role"))
            if entries is None:
                continue
            name = self.text(entries["name"][1], f"{where}: name") if "name" in entries else None
            role = self.role_key(entries["role"][1], where, declared) if "role" in entries else None
            if name is not None and role is not None:
                participants.append(Participant(name, role))
        return tuple(participants)

    def role_key(self, node: Node, where: str, declared: frozenset[str]) -> str | None:
        key = self.text(node, f"{where}: role")
        if key is not None and key not in declared:
            self.error(node, f"{where}: {self.undeclared(key, declared)}")
            return None
        return key

    def hypotheses(self, node: Node) -> tuple[str, ...]:
        return self.texts(node, "hypotheses", "hypothesis")

    def texts(self, node: Node, where: str, each: str) -> tuple[str, ...]:
        """A list of lines of text (``where``), each named ``each N`` in a problem."""
        items = self.sequence(node, where)
        texts = (self.text(item, f"{each} {number}") for number, item in enumerate(items or (), start=1))
        return tuple(text for text in texts if text is not None)

    def steps(self, node: Node, roles: tuple[Role, ...], participants: tuple[Participant, ...]) -> tuple[Step, ...]:
        items = self.sequence(node, "steps")
        if items is None:
            return ()
        if not items:
            self.error(node, "steps: the agenda needs at least one step")
            return ()
        whole = _Round(participants)
        steps = [step for number, item in enumerate(items, start=1) for step in self.item(item, f"step {number}", roles, whole)]
        return tuple(steps)

    def item(self, node: Node, where: str, roles: tuple[Role, ...], round_: _Round) -> list[Step]:
        """The steps one item of a list of steps stands for: a step (maybe repeated) or a repeated block."""
        block = _block_node(node)
        if block is None:
            return self.step(node, where, roles, round_)
        if len(node.value) > 1:
            self.error(block, f"{where}: repeat: a repeated block ({{times, steps}}) stands alone in the list of steps; to repeat this one step, write repeat: 3")
            return []
        if round_.label:
            self.error(block, f"{where}: repeat: a repeated block cannot hold another repeated block")
            return []
        where = f"{where}: repeat"
        entries = self.mapping(block, where, BLOCK_KEYS, required=("times", "steps"))
        if entries is None:
            return []
        times = self.times(entries["times"][1], f"{where}: times") if "times" in entries else None
        rotate = self.rotation(entries["rotate"][1], where, roles, round_.cast) if "rotate" in entries else None
        items = self.sequence(entries["steps"][1], f"{where}: steps") if "steps" in entries else None
        if items == []:
            self.error(entries["steps"][1], f"{where}: steps: the block needs at least one step")
        if not items:
            return []
        failed = not times or ("rotate" in entries and rotate is None)  # the steps are still checked, once
        steps = []
        for number in range(times or 1):
            cast = _rotated(round_.cast, rotate, number) if rotate else round_.cast
            rotation = _Round(cast, f" ({number + 1}/{times or 1})", fill=rotate is not None)
            for k, item in enumerate(items, start=1):
                steps += self.item(item, f"{where}: step {k}", roles, rotation)
        return [] if failed else steps

    def times(self, node: Node, where: str) -> int | None:
        """How many times a step or block is repeated: a whole number from 1 to MAX_REPEAT."""
        if isinstance(node, ScalarNode) and node.tag == _INT and re.fullmatch(r"\+?\d+", node.value.strip()):
            count = int(node.value)
            if 1 <= count <= MAX_REPEAT:
                return count
        self.error(node, f"{where} must be a whole number of times from 1 to {MAX_REPEAT}, not {_kind(node)}")
        return None

    def rotation(self, node: Node, where: str, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str | None:
        """The role that passes from participant to participant, one round after another."""
        role = self.role_key(node, f"{where}: rotate", self.role_keys(roles)[0])
        if role is not None and not any(person.role == role for person in cast):
            self.error(node, f"{where}: rotate: no participant has the role '{role}' to pass on")
            return None
        return role

    def step(self, node: Node, where: str, roles: tuple[Role, ...], round_: _Round) -> list[Step]:
        with_turns = isinstance(node, MappingNode) and any(
            isinstance(key, ScalarNode) and key.value == "turns" for key, _ in node.value
        )
        entries = self.mapping(node, where, STEP_KEYS, required=("title",) if with_turns else ("title", "duration"))
        if entries is None:
            return []
        value = {key: pair[1] for key, pair in entries.items()}
        title = self.text(value["title"], f"{where}: title") if "title" in value else None
        duration = self.duration(value["duration"], f"{where}: duration") if "duration" in value else None
        speaker = self.text(value["speaker"], f"{where}: speaker", optional=True) if "speaker" in value else None
        prompt = self.text(value["prompt"], f"{where}: prompt", optional=True) if "prompt" in value else None
        reminders = self.reminders(value["reminders"], where, roles) if "reminders" in value else ()
        warn = self.duration(value["warn"], f"{where}: warn", allow_zero=True) if "warn" in value else None
        danger = self.duration(value["danger"], f"{where}: danger", allow_zero=True) if "danger" in value else None
        protected = bool(self.boolean(value["protected"], f"{where}: protected")) if "protected" in value else False
        auto_advance = self.boolean(value["auto_advance"], f"{where}: auto_advance") if "auto_advance" in value else None
        display = self.display(value["display"], where) if "display" in value else "countdown"
        sharing = self.sharing(value["turns_share"], f"{where}: turns_share") if "turns_share" in value else None
        if sharing is not None and "turns" not in value:
            self.error(entries["turns_share"][0], f"{where}: turns_share is for a step with turns, and this one has none")
        times = self.times(value["repeat"], f"{where}: repeat") if "repeat" in value else 1
        turns: tuple[Turn, ...] = ()
        if "turns" in value:
            wanted = self.turns(value["turns"], where, roles, round_.cast)
            if wanted is None or ("duration" in value and duration is None):
                return []
            shared = self.share(wanted, duration, where, value.get("duration"), value["turns"])
            if shared is None:
                return []
            duration, turns = sum(turn.duration for turn in shared), shared
            own_lengths = all(seconds is not None for _, seconds, _ in wanted)
            sharing = sharing or self.turns_share or ("strict" if own_lengths else "shared")
        if title is None or duration is None or times is None:
            return []
        if round_.fill:
            title, speaker, prompt = (_filled(text, roles, round_.cast) for text in (title, speaker, prompt))
        step = Step(
            title + round_.label, duration, speaker, prompt, reminders, warn, danger, protected, turns, auto_advance, display,
            sharing or "shared",
        )
        if times == 1:
            return [step]
        return [step._replace(title=f"{step.title} ({number}/{times})") for number in range(1, times + 1)]

    def turns(
        self, node: Node, where: str, roles: tuple[Role, ...], cast: tuple[Participant, ...]
    ) -> list[tuple[str, int | None, str | None]] | None:
        """Who takes a turn, for how long (None: a share of the step's duration) and in which role, in one of the three forms."""
        declared = self.role_keys(roles)[0]
        subject = f"{where}: turns"
        role: str | None = None
        each: int | None = None
        if isinstance(node, SequenceNode):
            return self.turn_list(node, subject, declared)
        if isinstance(node, MappingNode):
            entries = self.mapping(node, subject, TURNS_BY_ROLE_KEYS)
            if entries is None:
                return None
            if "role" in entries:
                role = self.role_key(entries["role"][1], subject, declared)
                if role is None:
                    return None
            if "each" in entries:
                each = self.duration(entries["each"][1], f"{subject}: each")
                if each is None:
                    return None
        elif not (isinstance(node, ScalarNode) and node.tag in _TEXT_TAGS and node.value.strip() == "participants"):
            self.error(node, f"{subject} must be {TURNS_FORMS}; not {_kind(node)}")
            return None
        people = [person for person in cast if role is None or person.role == role]
        if not people:
            whom = f"no participant has the role '{role}'" if role else "'participants' needs the agenda's participants, and it lists none"
            self.error(node, f"{subject}: {whom}")
            return None
        if len(people) > MAX_TURNS:
            self.error(node, f"{subject}: at most {MAX_TURNS} turns in a step, not {len(people)}")
            return None
        return [(person.name, each, person.role) for person in people]

    def turn_list(self, node: SequenceNode, subject: str, declared: frozenset[str]) -> list[tuple[str, int | None, str | None]] | None:
        """The explicit form: each item a name, or {name, duration}."""
        if not node.value:
            self.error(node, f"{subject}: the list of turns is empty")
            return None
        if len(node.value) > MAX_TURNS:
            self.error(node, f"{subject}: at most {MAX_TURNS} turns in a step, not {len(node.value)}")
            return None
        wanted: list[tuple[str, int | None, str | None]] = []
        for number, item in enumerate(node.value, start=1):
            where = f"{subject}: turn {number}"
            role = None
            if isinstance(item, ScalarNode):
                name, duration = self.text(item, f"{where}: name"), None
            else:
                entries = self.mapping(item, where, TURN_KEYS, required=("name",))
                if entries is None:
                    continue
                name = self.text(entries["name"][1], f"{where}: name") if "name" in entries else None
                duration = self.duration(entries["duration"][1], f"{where}: duration") if "duration" in entries else None
                if "duration" in entries and duration is None:
                    continue
                role = self.role_key(entries["role"][1], where, declared) if "role" in entries else None
                if "role" in entries and role is None:
                    continue
            if name is not None:
                wanted.append((name, duration, role))
        return wanted if len(wanted) == len(node.value) else None

    def share(
        self, wanted: list[tuple[str, int | None, str | None]], duration: int | None, where: str, duration_node: Node | None, turns_node: Node
    ) -> tuple[Turn, ...] | None:
        """The turns with their durations: their own, or an even share of what the step's duration leaves them.

        When every turn has its own duration and the step gives one too, the two must agree.
        """
        given = sum(seconds for _, seconds, _ in wanted if seconds is not None)
        unset = [number for number, (_, seconds, _) in enumerate(wanted) if seconds is None]
        shares = [seconds or 0 for _, seconds, _ in wanted]
        if not unset:
            if duration is not None and duration_node is not None and duration != given:
                self.error(
                    duration_node,
                    f"{where}: duration {format_duration(duration)} does not agree with its turns, which add up to "
                    f"{format_duration(given)} (give one of the two, or make them agree)",
                )
                return None
        elif duration is None:
            self.error(turns_node, f"{where}: turns: give the step a duration to share between its turns, or each turn its own (each: 5m)")
            return None
        else:
            left = duration - given
            if left < len(unset):
                self.error(
                    duration_node or turns_node,
                    f"{where}: duration {format_duration(duration)} leaves {format_duration(max(left, 0))} "
                    f"for the {len(unset)} turns without a duration of their own",
                )
                return None
            base, extra = divmod(left, len(unset))
            for rank, number in enumerate(unset):
                shares[number] = base + (1 if rank < extra else 0)
        if sum(shares) > MAX_DURATION:
            self.error(turns_node, f"{where}: turns: they add up to more than 24 hours ({format_duration(sum(shares))})")
            return None
        return tuple(Turn(name, seconds, role) for (name, _, role), seconds in zip(wanted, shares))

    def sharing(self, node: Node, where: str) -> str | None:
        """``strict`` or ``shared``: how the turns of a step use its time."""
        word = self.text(node, where)
        if word is not None and word not in TURNS_SHARES:
            self.error(node, f"{where} must be strict (each turn keeps its own length) or shared (the turns share the step's time), not {quoted(word)}")
        return word if word in TURNS_SHARES else None

    def display(self, node: Node, where: str) -> str:
        word = self.text(node, f"{where}: display")
        if word is not None and word not in DISPLAYS:
            self.error(node, f"{where}: display must be countdown, countup or hidden, not {word!r}")
        return word if word in DISPLAYS else "countdown"

    def reminders(self, node: Node, where: str, roles: tuple[Role, ...]) -> tuple[tuple[str, str], ...]:
        entries = self.mapping(node, f"{where}: reminders", ())
        if entries is None:
            return ()
        declared, order = self.role_keys(roles)
        texts: dict[str, str] = {}
        for key, (key_node, value_node) in entries.items():
            if key not in declared:
                self.error(key_node, f"{where}: reminders: {self.undeclared(key, declared)}")
                continue
            subject = f"{where}: reminder for {quoted(key)}"
            if isinstance(value_node, SequenceNode):  # a list of short lines
                lines = [self.text(line, subject) for line in value_node.value]
                text = "\n".join(line for line in lines if line) or None
            else:
                text = self.text(value_node, subject, optional=True)
            if text is not None:
                texts[key] = text
        return tuple(sorted(texts.items(), key=lambda item: order[item[0]]))

    def role_keys(self, roles: tuple[Role, ...]) -> tuple[frozenset[str], dict[str, int]]:
        """The declared role keys, and each one's place: made once, not for every step's reminders
        (a thousand steps and a thousand roles made a million)."""
        if self.declared is None or self.declared[0] is not roles:
            self.declared = (roles, frozenset(role.key for role in roles), {role.key: index for index, role in enumerate(roles)})
        return self.declared[1], self.declared[2]


class _Round(NamedTuple):
    """Who holds which role while a list of steps is read, and what a repeated round adds to titles."""

    cast: tuple[Participant, ...]
    label: str = ""  # " (2/3)" in the second of three rounds
    fill: bool = False  # whether "{client}" in a title, speaker or prompt becomes that role's names


def _block_node(node: Node) -> Node | None:
    """The value of ``repeat`` when ``node`` is a repeated block (``repeat: {times, steps}``), else None."""
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "repeat" and isinstance(value, MappingNode):
            return value
    return None


def _rotated(cast: tuple[Participant, ...], role: str, number: int) -> tuple[Participant, ...]:
    """The cast of round ``number`` (0-based): the role passes along the participants, in their order.

    Round 0 keeps the roles as declared; in each next round the following participant takes ``role``
    and whoever held it takes that participant's own role (so, in a Troika, each is the client once).
    """
    first = next(number for number, person in enumerate(cast) if person.role == role)
    chosen = (first + number) % len(cast)
    given_up = cast[chosen].role
    return tuple(
        Participant(person.name, role if rank == chosen else given_up if person.role == role else person.role)
        for rank, person in enumerate(cast)
    )


def _filled(text: str | None, roles: tuple[Role, ...], cast: tuple[Participant, ...]) -> str | None:
    """``text`` with each ``{role}`` replaced by the names holding that role in this round."""
    if text is None:
        return None
    declared = {role.key for role in roles}

    def names(match: re.Match[str]) -> str:
        key = match[1]
        return ", ".join(person.name for person in cast if person.role == key) if key in declared else match[0]

    return re.sub(r"\{([^{}\s]+)\}", names, text)


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "an empty value"
    return quoted(node.value)


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


# Keys a French-speaking facilitator may write in French.
_FRENCH_KEYS = {
    "titre": "title", "durée": "duration", "duree": "duration", "étapes": "steps", "etapes": "steps",
    "intervenant": "speaker", "intervenante": "speaker", "orateur": "speaker", "oratrice": "speaker",
    "consigne": "prompt", "rappels": "reminders", "rôles": "roles", "langue": "language",
    "alertes": "alerts", "cloche": "bell", "sonnerie": "bell", "son": "sound", "affichage": "display",
    "hypothèses": "hypotheses", "horaires": "schedule", "créneau": "schedule", "debut": "start", "début": "start",
    "fin": "end", "protégé": "protected", "protégée": "protected", "nom": "name", "rôle": "role",
    "tours": "turns", "répéter": "repeat", "repeter": "repeat", "fois": "times", "chacun": "each", "chaque": "each",
}  # fmt: skip


# "Did you mean" compares words of this many characters at most, and this many pairs per file.
MAX_HINT_LENGTH = 40
HINT_COMPARISONS = 500


@functools.lru_cache(maxsize=8)  # asked again for each undeclared role of a file
def _names(names: frozenset[str], shown: int = 8) -> str:
    """Names for a message: the first few in order, shortened, then how many there are in all."""
    listed = ", ".join(shortened(name, 20) for name in sorted(names)[:shown])
    return listed + (f", … ({len(names)} in all)" if len(names) > shown else "")


# --------------------------------------------------------------------------------------------------
# Names

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slugify(title: str) -> str:
    """A file-name-safe form of a title: "Atelier impact — co-développement" → "atelier-impact-co-developpement"."""
    decomposed = unicodedata.normalize("NFKD", title.translate(_LIGATURES))
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "agenda"
