"""What past sessions teach the next workshop: per step, how long it really takes, and a better agenda.

Plain Python (no Textual), read by ``atelier-timer stats``. The sessions of an agenda are the
finished sessions recorded with its title. Each recorded step is matched to the agenda's step of the
same title (the n-th step titled so, when titles repeat), so a session run on an older version of
the agenda still counts for the steps that kept their name.
"""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import yaml

from atelier_timer.agenda import Agenda, AgendaError, Step, format_duration, parse_agenda
from atelier_timer.errors import AtelierError
from atelier_timer.i18n import Translator
from atelier_timer.journal import JournalError, JournalRecord, read_journal, sessions_dir
from atelier_timer.report import escape_markdown
from atelier_timer.safetext import json_safe, printable
from atelier_timer.texts import duration_text

STATS_STRINGS: dict[str, dict[str, str]] = {
    "step": {"fr": "Étape", "en": "Step"},
    "planned": {"fr": "Prévu", "en": "Planned"},
    "median": {"fr": "Médiane", "en": "Median"},
    "p90": {"fr": "P90", "en": "P90"},
    "over": {"fr": "Dépassé", "en": "Over"},
    "drift": {"fr": "Écart", "en": "Drift"},
    "sessions": {"fr": "{count} session(s) terminée(s)", "en": "{count} finished session(s)"},
    "legend": {
        "fr": "Durées en minutes:secondes. P90 : 9 sessions sur 10 tiennent dans ce temps. Dépassé : sessions "
        "où l'étape a dépassé son temps prévu. Écart : retard (+) ou avance (-) habituel à la fin de l'étape, "
        "pauses comprises.",
        "en": "Durations in minutes:seconds. P90: 9 sessions in 10 fit in that time. Over: sessions in which the "
        "step ran over its planned time. Drift: the usual delay (+) or lead (-) when the step ends, pauses included.",
    },
    "bar_legend": {"fr": "█ médiane, ░ jusqu'au P90, │ prévu", "en": "█ median, ░ up to P90, │ planned"},
}
BAR_WIDTH = 16
FEW_SESSIONS = 3  # below this many finished sessions, a suggestion says it rests on too few


class StatsError(AtelierError):
    """A suggested agenda that cannot be made from the file; the message is one line, naming the file."""

    located = True


class StepStats(NamedTuple):
    """One step across the sessions that ran it (times in seconds)."""

    number: int
    title: str
    planned: int
    runs: int  # sessions in which the step was run
    median: float | None
    p90: float | None
    overruns: int  # sessions in which it took longer than that session's agenda planned
    drift: float | None  # usual (median) delay at the step's end, from the session's start, pauses included


class AgendaStats(NamedTuple):
    title: str
    agenda: Agenda
    sessions: int
    steps: tuple[StepStats, ...]


class _Run(NamedTuple):
    """One finished session, step by step, keyed by the position of each step in the reference agenda."""

    actual: dict[int, float]
    planned: dict[int, int]
    drift: dict[int, float]


# --------------------------------------------------------------------------------------------------
# Reading sessions


def finished_records(state_dir: Path) -> list[JournalRecord]:
    """Every finished session in the state dir, oldest first (damaged journals are skipped)."""
    records = []
    for path in sorted(sessions_dir(state_dir).glob("*.jsonl")):
        try:
            record = read_journal(path)
        except JournalError:
            continue
        state = record.last_state()
        if state and state.get("finished"):
            records.append(record)
    return records


def recorded_agenda(record: JournalRecord) -> Agenda | None:
    """The agenda a session ran, as its journal kept it (None if it no longer reads)."""
    try:
        return parse_agenda(record.header.get("agenda_yaml", ""), record.header.get("agenda_source", ""))
    except AgendaError:
        return None


def _run(record: JournalRecord, ran: Agenda, reference: Agenda) -> _Run:
    """What ``record`` says of each step of ``reference``: actual time, planned time, delay at its end."""
    final = record.last_state() or {}
    elapsed = final.get("elapsed", [])
    ends = _step_ends(record, len(ran.steps))
    seen: dict[str, int] = {}
    places = {}
    for i, step in enumerate(ran.steps):
        nth = seen.get(step.title, 0)
        seen[step.title] = nth + 1
        matches = [j for j, mine in enumerate(reference.steps) if mine.title == step.title]
        if nth < len(matches) and i < len(elapsed):
            places[i] = matches[nth]
    actual = {j: float(elapsed[i]) for i, j in places.items()}
    planned = {j: ran.steps[i].duration for i, j in places.items()}
    drift = {}
    for i, j in places.items():
        if i in ends:
            drift[j] = ends[i] - sum(step.duration for step in ran.steps[: i + 1])
    return _Run(actual, planned, drift)


def _step_ends(record: JournalRecord, count: int) -> dict[int, float]:
    """Session elapsed seconds when each step was left for the last time (pauses included)."""
    ends: dict[int, float] = {}
    previous = None
    for event in record.events:
        state = event.get("state")
        if not state:
            continue
        if previous is not None and (state["step"] != previous["step"] or state["finished"]):
            left = previous["step"]
            if state["finished"] or state["step"] > left:
                ends[left] = state["session_elapsed"]
        previous = state
    return {i: ends[i] for i in range(count) if i in ends}


def step_stats(agenda: Agenda, records: Iterable[JournalRecord]) -> AgendaStats:
    """The statistics of ``agenda``'s steps over the finished sessions recorded with its title."""
    runs = []
    for record in records:
        ran = recorded_agenda(record)
        if ran is None or ran.title != agenda.title:
            continue
        try:
            runs.append(_run(record, ran, agenda))
        except (KeyError, TypeError, ValueError, IndexError):
            continue  # a journal damaged by hand: it teaches nothing, and stats still answer
    steps = []
    for j, step in enumerate(agenda.steps):
        actual = [run.actual[j] for run in runs if j in run.actual]
        drift = [run.drift[j] for run in runs if j in run.drift]
        overruns = sum(1 for run in runs if j in run.actual and round(run.actual[j]) > run.planned[j])
        steps.append(
            StepStats(
                j + 1,
                step.title,
                step.duration,
                len(actual),
                statistics.median(actual) if actual else None,
                percentile(actual, 0.9) if actual else None,
                overruns,
                statistics.median(drift) if drift else None,
            )
        )
    return AgendaStats(agenda.title, agenda, len(runs), tuple(steps))


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile, interpolated between the nearest values (the 90th of one value is itself)."""
    ordered = sorted(values)
    at = fraction * (len(ordered) - 1)
    low = math.floor(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def recorded_agendas(records: list[JournalRecord]) -> list[Agenda]:
    """One agenda per title recorded, as its latest session ran it, in the order titles first appear."""
    latest: dict[str, Agenda] = {}
    for record in records:
        ran = recorded_agenda(record)
        if ran is not None:
            latest[ran.title] = ran  # a dict keeps the place of the first: only the agenda is replaced
    return list(latest.values())


# --------------------------------------------------------------------------------------------------
# Showing them


def _time(seconds: float | None, signed: bool = False) -> str:
    return "—" if seconds is None else duration_text(seconds, signed)


def _cells(step: StepStats) -> list[str]:
    return [
        _time(step.planned),
        _time(step.median),
        _time(step.p90),
        f"{step.overruns}/{step.runs}",
        _time(step.drift, signed=True),
    ]


def _headers(t: Translator) -> list[str]:
    return [t("planned"), t("median"), t("p90"), t("over"), t("drift")]


def bar(step: StepStats, scale: float, width: int = BAR_WIDTH) -> str:
    """``█`` up to the median, ``░`` on to the 90th percentile, ``│`` where the plan ends."""
    cells = [" "] * width
    if step.median is not None:
        median = min(width, round(step.median * scale))
        p90 = min(width, round((step.p90 or 0) * scale))
        for i in range(width):
            cells[i] = "█" if i < median else "░" if i < p90 else " "
    planned = min(width - 1, max(0, round(step.planned * scale) - 1))
    cells[planned] = "│" if cells[planned] == " " else "┃"
    return "".join(cells).rstrip()


def render_table(all_stats: list[AgendaStats], lang: str = "fr", width: int = 80) -> str:
    """The statistics as a terminal table per agenda, ``width`` columns wide, with a bar per step."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # typed titles as plain text: "[b]" in a title is not Rich markup

    t = Translator(STATS_STRINGS, lang)
    output = io.StringIO()
    console = Console(file=output, width=width, color_system=None, highlight=False)
    for stats in all_stats:
        longest = max([s.planned for s in stats.steps] + [s.p90 or 0 for s in stats.steps]) or 1
        table = Table(
            title=Text(f"{printable(stats.title)} — {t('sessions', count=stats.sessions)}"),
            caption=f"{t('bar_legend')}. {t('legend')}",
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            collapse_padding=True,
        )
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column(t("step"), overflow="fold", min_width=12)
        for header in _headers(t):
            table.add_column(header, justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, min_width=BAR_WIDTH)
        for step in stats.steps:
            table.add_row(str(step.number), Text(printable(step.title)), *_cells(step), bar(step, BAR_WIDTH / longest))
        console.print(table)
    return output.getvalue()


def render_markdown_table(all_stats: list[AgendaStats], lang: str = "fr") -> str:
    """The statistics as one Markdown table per agenda, the titles escaped as in the record."""
    t = Translator(STATS_STRINGS, lang)
    blocks = []
    for stats in all_stats:
        rows = [["#", t("step"), *_headers(t)], ["--:", "---"] + ["--:"] * 5]
        for step in stats.steps:
            rows.append([str(step.number), escape_markdown(step.title, cell=True), *_cells(step)])
        table = "\n".join("| " + " | ".join(row) + " |" for row in rows)
        blocks.append(f"## {escape_markdown(stats.title)}\n\n{t('sessions', count=stats.sessions)}\n\n{table}\n\n_{t('legend')}_")
    return "\n\n".join(blocks) + "\n"


def render_csv(all_stats: list[AgendaStats]) -> str:
    """One row per step, every agenda in one file; times in whole seconds, empty when never run."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["agenda", "sessions", "number", "step", "planned_s", "median_s", "p90_s", "overruns", "runs", "drift_at_end_s"])
    for stats in all_stats:
        for step in stats.steps:
            seconds = [step.planned, step.median, step.p90]
            writer.writerow(
                [printable(stats.title), stats.sessions, step.number, printable(step.title)]
                + ["" if s is None else round(s) for s in seconds]
                + [step.overruns, step.runs, "" if step.drift is None else round(step.drift)]
            )
    return out.getvalue()


def render_json(all_stats: list[AgendaStats]) -> str:
    """The statistics as JSON: a list of agendas, each with its steps (times in seconds)."""
    data = [
        {"title": stats.title, "sessions": stats.sessions, "steps": [step._asdict() for step in stats.steps]}
        for stats in all_stats
    ]
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


# --------------------------------------------------------------------------------------------------
# A better agenda


def suggested_durations(stats: AgendaStats) -> list[int]:
    """Durations that follow the medians, keeping the total; protected steps (and unrun ones) keep theirs.

    The free steps share what the others leave, in proportion to their medians, in whole minutes
    (half minutes when the agenda has some), the remainders to the largest shares, never below one.
    """
    steps = stats.agenda.steps
    grain = 60 if all(step.duration % 60 == 0 for step in steps) else 30
    free = [i for i, step in enumerate(steps) if not step.protected and stats.steps[i].median is not None]
    budget = sum(steps[i].duration for i in free)
    weights = {i: max(stats.steps[i].median or 0.0, 1.0) for i in free}  # each free step has a median
    durations = [step.duration for step in steps]
    if not free or budget < grain * len(free):
        return durations
    units, rest = divmod(budget, grain)
    shares = {i: max(1.0, units * weights[i] / sum(weights.values())) for i in free}
    whole = {i: math.floor(shares[i]) for i in free}
    for i in sorted(free, key=lambda i: shares[i] - whole[i], reverse=True)[: units - sum(whole.values())]:
        whole[i] += 1
    while sum(whole.values()) > units:  # the one-grain floors took more than there was
        largest = max(free, key=lambda i: whole[i])
        whole[largest] -= 1
    for i in free:
        durations[i] = whole[i] * grain
    durations[max(free, key=lambda i: durations[i])] += rest  # what no grain divides stays in the plan
    return durations


def suggest_agenda_text(text: str, source: str, durations: list[int]) -> str:
    """The agenda's YAML ``text`` with each step's duration replaced, comments and layout kept.

    Each ``duration`` value is rewritten in place, at the position of its YAML node; a step whose
    turns give its length has its turns scaled instead (each listed turn's duration, or ``each``).
    The result is read back and must give ``durations`` (a step of ``{role, each}`` turns: the
    nearest whole seconds each turn can share).
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise StatsError(f"{source}: cannot read the agenda: {' '.join(str(error).split())}") from None
    steps_node = _value(root, "steps")
    nodes = steps_node.value if isinstance(steps_node, yaml.SequenceNode) else []
    mismatch = StatsError(f"{source}: the steps in the file do not match the agenda's steps; no suggestion written")
    steps = parse_agenda(text, source).steps
    if len(nodes) != len(durations) or len(steps) != len(durations):
        raise mismatch
    edits: list[tuple[yaml.Node, int]] = []
    expected = []
    for step, node, seconds in zip(steps, nodes, durations):
        turn_edits, seconds = _turn_edits(step, _value(node, "turns"), seconds)
        value = _value(node, "duration")
        if isinstance(value, yaml.ScalarNode):
            edits.append((value, seconds))
        elif not turn_edits:
            raise mismatch
        edits += turn_edits
        expected.append(seconds)
    if len({id(node) for node, _ in edits}) != len(edits):
        raise mismatch
    edited = text
    for node, seconds in sorted(edits, key=lambda pair: pair[0].start_mark.index, reverse=True):
        edited = edited[: node.start_mark.index] + format_duration(seconds) + edited[node.end_mark.index :]
    agenda = parse_agenda(edited, source)
    if [step.duration for step in agenda.steps] != expected:
        raise StatsError(f"{source}: the suggested durations did not read back; no suggestion written")
    return edited


def _turn_edits(step: Step, turns: yaml.Node | None, seconds: int) -> tuple[list[tuple[yaml.Node, int]], int]:
    """The new durations of a step's turns when each gives its own, scaled to the step's new ``seconds``,
    and the step's length they then add up to: listed turns keep adding up to ``seconds`` (the last
    one takes the rounding), ``each`` becomes the nearest whole seconds. Turns that share the step's
    time (``participants``, a role without ``each``) need no edit."""
    each = _value(turns, "each")
    if isinstance(each, yaml.ScalarNode) and step.turns:
        share = max(1, round(seconds / len(step.turns)))
        return [(each, share)], share * len(step.turns)
    values = [_value(turn, "duration") for turn in turns.value] if isinstance(turns, yaml.SequenceNode) else []
    scalars = [value for value in values if isinstance(value, yaml.ScalarNode)]
    if not values or len(scalars) != len(values) or len(values) != len(step.turns):
        return [], seconds
    scaled = [round(turn.duration * seconds / step.duration) for turn in step.turns[:-1]]
    return list(zip(scalars, [*scaled, seconds - sum(scaled)])), seconds


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
    for key_node, value_node in pairs:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None
