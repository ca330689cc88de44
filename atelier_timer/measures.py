"""Impact measures: the agenda's hypotheses as measures, their verdicts, and the room's vote (no Textual).

A hypothesis is a line of text, or a mapping with ``measure`` (required), ``for``, ``dimension``
(beta.gouv.fr's impact matrix), ``stage`` (the AARRI funnel), ``source``, ``frequency``, ``baseline``
and ``target``. During a session the facilitator gives each a verdict (keep, rework, drop), edits its
fields, adds one that comes up; the room gives points on two criteria, useful and usable, while the
vote is open. :class:`Board` holds all of it and is changed only through :meth:`Board.apply`, the same
for a change made now and for one replayed from the journal, so that ``resume`` rebuilds it exactly.
A vote never changes a verdict: the team decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # for their types only: the agenda and the session import this module
    from yaml.nodes import Node

    from atelier_timer.agenda.nodes import NodeReader
    from atelier_timer.session import Note

Details = dict[str, Any]  # a change's fields, as journaled: from the journal, a dialog or the network
Row = dict[str, Any]  # one measure as the record and the export write it

FIELDS = ("measure", "for", "dimension", "stage", "source", "frequency", "baseline", "target")
DIMENSIONS = ("usable", "used", "useful", "impactful", "efficient")
STAGES = ("acquisition", "activation", "retention", "referral", "impact")
VERDICTS = ("keep", "rework", "drop")
CRITERIA = ("useful", "usable")
DEFAULT_POINTS = 3
MAX_POINTS = 20  # a browser's points per criterion at most (an agenda's vote: {points: N})
MAX_MEASURES = 60  # measures in a session at most (agenda and added): the room's page stays short
MAX_FIELD = 300  # characters of one field
MAX_VOTERS = 5000  # browsers whose points are counted at most
BROWSER = re.compile(r"[A-Za-z0-9_-]{16,64}")  # a browser's id, as its page makes it

# the words on screen and in the record, per language; the agenda accepts either language's word
LABELS = {
    "fr": {
        "usable": "utilisable", "used": "utilisé", "useful": "utile", "impactful": "impactant", "efficient": "efficient",
        "acquisition": "acquisition", "activation": "activation", "retention": "rétention", "referral": "recommandation",
        "impact": "impact", "keep": "garder", "rework": "retravailler", "drop": "abandonner",
    },
    "en": {
        "usable": "usable", "used": "used", "useful": "useful", "impactful": "impactful", "efficient": "efficient",
        "acquisition": "acquisition", "activation": "activation", "retention": "retention", "referral": "referral",
        "impact": "impact", "keep": "keep", "rework": "rework", "drop": "drop",
    },
}  # fmt: skip
# more words a team may write for a dimension or a stage (without accents, the funnel's "recommendation")
_ALIASES = {"utilise": "used", "retention": "retention", "recommendation": "referral", "recommandation": "referral"}


def label(word: str | None, lang: str) -> str:
    """A dimension, stage or verdict in the screen's language; empty for None."""
    if word is None:
        return ""
    return LABELS.get(lang, LABELS["en"]).get(word, word)


def word_of(text: str, choices: tuple[str, ...]) -> str | None:
    """The key a team's word stands for (``utile`` -> ``useful``), in either language; None if none."""
    plain = text.strip().casefold()
    for key in choices:
        if plain in (key, LABELS["fr"][key].casefold()):
            return key
    alias = _ALIASES.get(plain)
    return alias if alias in choices else None


class Measure(NamedTuple):
    """One impact measure, as the team wrote it (``for`` is ``whom`` here: a Python keyword)."""

    text: str
    whom: str | None = None
    dimension: str | None = None  # one of DIMENSIONS
    stage: str | None = None  # one of STAGES
    source: str | None = None
    frequency: str | None = None
    baseline: str | None = None
    target: str | None = None

    def fields(self) -> dict[str, str | None]:
        """The measure by the agenda's own keys (``measure``, ``for``, ...)."""
        return dict(zip(FIELDS, self))

    @classmethod
    def of(cls, item: Measure | str) -> Measure:
        return item if isinstance(item, Measure) else cls(str(item))


class MeasureError(ValueError):
    """A change the board refuses; the message is one line."""


def clean_fields(fields: object, partial: bool) -> dict[str, str | None]:
    """Fields of a measure checked (known keys, text, a known dimension and stage); ``partial``: an edit."""
    if not isinstance(fields, dict) or not fields:
        raise MeasureError("fields must be a mapping of a measure's keys to text")
    cleaned: dict[str, str | None] = {}
    for key, value in fields.items():
        if key not in FIELDS:
            raise MeasureError(f"unknown field {str(key)[:40]!r} (fields: {', '.join(FIELDS)})")
        if value is not None and (not isinstance(value, str) or len(value) > MAX_FIELD or "\n" in value):
            raise MeasureError(f"{key} must be one line of at most {MAX_FIELD} characters")
        text = " ".join(value.split()) if value else None
        if key in ("dimension", "stage") and text is not None:
            choices = DIMENSIONS if key == "dimension" else STAGES
            word = word_of(text, choices)
            if word is None:
                raise MeasureError(f"{key} must be one of {', '.join(choices)}, not {text[:40]!r}")
            text = word
        cleaned[key] = text
    if ("measure" in cleaned or not partial) and not cleaned.get("measure"):
        raise MeasureError("a measure needs its text ('measure')")
    return cleaned


def measure_from(fields: dict[str, str | None], base: Measure | None = None) -> Measure:
    """A measure with ``fields`` (by the agenda's keys) over ``base``."""
    merged = {**(base.fields() if base else {}), **fields}
    return Measure(merged["measure"] or "", *(merged.get(key) for key in FIELDS[1:]))


# -- the agenda's grammar, read by the agenda's checker (file:line:col, unknown keys with a hint) -----


def parse_hypotheses(checker: NodeReader, node: Node) -> tuple[Measure, ...]:
    """The agenda's ``hypotheses``: each a line of text or a mapping of FIELDS."""
    from yaml.nodes import MappingNode

    measures = []
    for number, item in enumerate(checker.sequence(node, "hypotheses") or (), start=1):
        where = f"hypothesis {number}"
        if not isinstance(item, MappingNode):
            text = checker.text(item, where)
            if text is not None:
                measures.append(Measure(text))
            continue
        entries = checker.mapping(item, where, FIELDS, required=("measure",))
        if entries is None:
            continue
        values: dict[str, str | None] = {}
        for key, (_, value_node) in entries.items():
            text = checker.text(value_node, f"{where}: {key}", optional=key != "measure")
            if text is not None and key in ("dimension", "stage"):
                choices = DIMENSIONS if key == "dimension" else STAGES
                word = word_of(text, choices)
                if word is None:
                    french = ", ".join(LABELS["fr"][c] for c in choices)
                    checker.error(value_node, f"{where}: {key} must be one of {', '.join(choices)} ({french}), not {text!r}")
                text = word
            values[key] = text
        if values.get("measure"):
            measures.append(measure_from(values))
    if len(measures) > MAX_MEASURES:
        checker.error(node, f"hypotheses: at most {MAX_MEASURES} measures, not {len(measures)}")
    return tuple(measures)


def parse_vote(checker: NodeReader, node: Node) -> int:
    """The agenda's ``vote: {points: N}``: each browser's points per criterion."""
    entries = checker.mapping(node, "vote", ("points",))
    if not entries or "points" not in entries:
        return DEFAULT_POINTS
    value_node = entries["points"][1]
    raw = getattr(value_node, "value", "")
    if not isinstance(raw, str) or not re.fullmatch(r"\d{1,3}", raw.strip()) or not 1 <= int(raw) <= MAX_POINTS:
        checker.error(value_node, f"vote.points must be a whole number from 1 to {MAX_POINTS}, not {raw!r}"[:200])
        return DEFAULT_POINTS
    return int(raw)


# -- the session's board ------------------------------------------------------------------------------

EVENTS = ("measure_verdict", "measure_edit", "measure_add", "vote_open", "vote_close", "vote", "vote_reveal")


class Tally(NamedTuple):
    """The room's points per measure number and criterion, and how many browsers gave any."""

    points: dict[int, dict[str, int]]
    voters: int


class Board:
    """The session's measures (numbered from 1, as ``#N`` in a note), their verdicts and the vote."""

    def __init__(self, hypotheses: tuple[Measure | str, ...] = (), points: int = DEFAULT_POINTS) -> None:
        self.measures: list[Measure] = [Measure.of(item) for item in hypotheses]
        self.added: set[int] = set()  # numbers of the measures added during the session
        self.verdicts: dict[int, str] = {}
        self.points = points  # each browser's, per criterion
        self.open = False  # the vote takes points
        self.shown = False  # the tally is on the stage
        self.ballots: dict[str, dict[tuple[int, str], int]] = {}  # browser -> (measure, criterion) -> points
        self.version = 0  # counts the changes: a screen redraws the board only when it moved

    def numbers(self) -> range:
        return range(1, len(self.measures) + 1)

    def measure(self, number: object) -> Measure:
        """Measure ``number`` (from 1), or MeasureError: ``number`` may come from a journal or a dialog."""
        if not isinstance(number, int) or isinstance(number, bool) or number not in self.numbers():
            raise MeasureError(f"there is no measure #{number}")
        return self.measures[number - 1]

    def given(self, browser: str, criterion: str) -> int:
        """The points a browser has given on a criterion."""
        return sum(p for (_, c), p in self.ballots.get(browser, {}).items() if c == criterion)

    def tally(self) -> Tally:
        points = {n: {c: 0 for c in CRITERIA} for n in self.numbers()}
        for ballot in self.ballots.values():
            for (number, criterion), given in ballot.items():
                points[number][criterion] += given
        voters = sum(1 for ballot in self.ballots.values() if any(ballot.values()))
        return Tally(points, voters)

    def check(self, kind: str, details: Details) -> None:
        """Raise MeasureError if ``kind`` with ``details`` cannot be applied now (nothing changes)."""
        if kind not in EVENTS:
            raise MeasureError(f"unknown change {kind!r}")
        if kind == "measure_verdict":
            self.measure(details.get("number"))
            if details.get("verdict") not in (*VERDICTS, None):
                raise MeasureError(f"a verdict is one of {', '.join(VERDICTS)}")
        elif kind == "measure_edit":
            self.measure(details.get("number"))
            clean_fields(details.get("fields"), partial=True)
        elif kind == "measure_add":
            if len(self.measures) >= MAX_MEASURES:
                raise MeasureError(f"at most {MAX_MEASURES} measures")
            clean_fields(details.get("fields"), partial=False)
        elif kind == "vote_reveal" and not isinstance(details.get("shown"), bool):
            raise MeasureError("'shown' is true or false")
        elif kind == "vote":
            self._check_vote(details)

    def _check_vote(self, details: Details) -> None:
        browser, number, criterion, points = (details.get(k) for k in ("browser", "measure", "criterion", "points"))
        if not self.open:
            raise MeasureError("the vote is closed")
        if not isinstance(browser, str) or not BROWSER.fullmatch(browser):
            raise MeasureError("a vote needs the browser's id")
        self.measure(number)
        if criterion not in CRITERIA:
            raise MeasureError(f"a criterion is one of {', '.join(CRITERIA)}")
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise MeasureError("points are a whole number from 0")
        if browser not in self.ballots and len(self.ballots) >= MAX_VOTERS:
            raise MeasureError("too many browsers have voted")
        ballot = self.ballots.get(browser, {})
        if self.given(browser, criterion) - ballot.get((number, criterion), 0) + points > self.points:  # type: ignore[arg-type]
            raise MeasureError(f"each browser has {self.points} points per criterion")

    def apply(self, kind: str, details: Details) -> None:
        """Apply a change (checked first: a refused one changes nothing)."""
        self.check(kind, details)
        self.version += 1
        if kind == "measure_verdict":
            if details.get("verdict") is None:
                self.verdicts.pop(details["number"], None)
            else:
                self.verdicts[details["number"]] = details["verdict"]
        elif kind == "measure_edit":
            number = details["number"]
            self.measures[number - 1] = measure_from(clean_fields(details["fields"], partial=True), self.measures[number - 1])
        elif kind == "measure_add":
            self.measures.append(measure_from(clean_fields(details["fields"], partial=False)))
            self.added.add(len(self.measures))
        elif kind in ("vote_open", "vote_close"):
            self.open = kind == "vote_open"
        elif kind == "vote_reveal":
            self.shown = details["shown"]
        elif kind == "vote":
            ballot = self.ballots.setdefault(details["browser"], {})
            key = (details["measure"], details["criterion"])
            if details["points"]:
                ballot[key] = details["points"]
            else:
                ballot.pop(key, None)

    def replay(self, event: Details) -> None:
        """A journal's event, if it is one of the board's; one the board would refuse is skipped."""
        if event.get("type") in EVENTS:
            try:
                self.apply(event["type"], event)
            except (MeasureError, KeyError, TypeError):
                pass

    def view(self) -> Details:
        """The board as the room sees it (``live.view_state``): the tally only once revealed."""
        tally = self.tally()
        items: list[Details] = [
            {"number": n, "text": m.text, "verdict": self.verdicts.get(n), "dimension": m.dimension, "stage": m.stage}
            for n, m in zip(self.numbers(), self.measures)
        ]
        if self.shown:
            for number, item in zip(self.numbers(), items):
                item["points"] = tally.points[number]
        return {"measures": items, "vote": {"open": self.open, "shown": self.shown, "points": self.points, "voters": tally.voters}}


def added_from_note(raw: str) -> str | None:
    """The measure a note written ``#+ text`` adds, else None."""
    text = raw.strip()
    return " ".join(text[2:].split()) or None if text.startswith("#+") else None


# -- the record: one row per measure, for the Markdown table and for the team's own tracking --------

ROW_FIELDS = ("number", *FIELDS, "verdict", "useful", "usable", "added", "notes")
_FORMULA = ("=", "@", "\t", "\r")  # a cell a spreadsheet would run as a formula: kept as text


def rows(board: Board, notes: Sequence[Note], lang: str) -> list[Row]:
    """Each measure as a row of ROW_FIELDS: its fields, the verdict, the room's points, the notes citing it.

    Dimensions, stages and verdicts are in ``lang``; ``notes`` are the session's (their ``hypotheses``
    are the numbers they cite).
    """
    tally = board.tally()
    made = []
    for number, measure in zip(board.numbers(), board.measures):
        made.append(
            {
                "number": number,
                **measure.fields(),
                "dimension": label(measure.dimension, lang) or None,
                "stage": label(measure.stage, lang) or None,
                "verdict": label(board.verdicts.get(number), lang) or None,
                "useful": tally.points[number]["useful"],
                "usable": tally.points[number]["usable"],
                "added": number in board.added,
                "notes": [note.text for note in notes if number in note.hypotheses],
            }
        )
    return made


def render_csv(made: list[Row]) -> str:
    """The rows as CSV with a header (UTF-8 once written): a spreadsheet or Grist imports it as it is."""
    import csv
    import io

    from atelier_timer.safetext import printable

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            value = " ; ".join(value)
        text = printable(str(value))
        return "'" + text if text.startswith(_FORMULA) else text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180's line ends
    writer.writerow(ROW_FIELDS)
    for row in made:
        writer.writerow([cell(row[key]) for key in ROW_FIELDS])
    return out.getvalue()


def render_json(made: list[Row]) -> str:
    """The rows as JSON: ``{"measures": [row, ...]}``, the notes as a list."""
    import json

    from atelier_timer.safetext import json_safe

    return json_safe(json.dumps({"measures": made}, ensure_ascii=False, indent=2)) + "\n"
