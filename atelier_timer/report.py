"""The Markdown record of a session: what was decided, what was said, and how the time really went.

Plain Python (no Textual): the screen's ``e`` key, the way out on ``q`` and ``atelier-timer export``
all call :func:`write_export`. The Markdown is meant to be pasted or committed as is, so everything
the facilitator typed is escaped (a note such as ``#2 *important* | yes`` shows literally and never
breaks the table), no raw HTML is written, and the timeline is a Mermaid ``gantt`` block, which
GitHub and GitBook draw.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from atelier_timer.agenda import parse_agenda, slugify
from atelier_timer.clock import Clock, FakeClock
from atelier_timer.errors import AtelierError
from atelier_timer.files import write_atomic
from atelier_timer.i18n import Translator
from atelier_timer.journal import JournalRecord
from atelier_timer.measures import rows
from atelier_timer.session import Note, Session, Slot, fits_agenda
from atelier_timer.texts import drift_text, duration_text, duration_words, minutes_text, reason, time_of_day, whole_seconds

REPORT_STRINGS: dict[str, dict[str, str]] = {
    "date": {"fr": "**Date** : {date}", "en": "**Date**: {date}"},
    "start": {"fr": "**Début** : {time}", "en": "**Start**: {time}"},
    "end": {"fr": "**Fin** : {time} (prévue à {planned})", "en": "**End**: {time} (planned for {planned})"},
    "end_open": {
        "fr": "**Fin** : session non terminée (état à {time} ; fin prévue à {planned})",
        "en": "**End**: not finished (as of {time}; planned end {planned})",
    },
    "length": {
        "fr": "**Durée** : {actual}, pauses comprises (prévue : {planned})",
        "en": "**Length**: {actual}, pauses included (planned: {planned})",
    },
    "slot": {"fr": "**Créneau** : {slot}", "en": "**Slot**: {slot}"},
    "start_late": {"fr": "{time}, {late} après le début du créneau", "en": "{time}, {late} after the slot's start"},
    "start_early": {"fr": "{time}, {early} avant le début du créneau", "en": "{time}, {early} before the slot's start"},
    "slot_drift": {
        "fr": "**Écart à la fin prévue** : {drift}",
        "en": "**Drift from the planned end**: {drift}",
    },
    "not_started": {"fr": "**Session** : pas encore commencée", "en": "**Session**: not started yet"},
    "participants": {"fr": "Participants", "en": "Participants"},
    "role": {"fr": "**{role}** : {names}", "en": "**{role}**: {names}"},
    "timing": {"fr": "Déroulé", "en": "Timing"},
    "col_step": {"fr": "Étape", "en": "Step"},
    "col_planned": {"fr": "Prévu", "en": "Planned"},
    "col_adjusted": {"fr": "Ajusté", "en": "Adjusted"},
    "col_actual": {"fr": "Réel", "en": "Actual"},
    "col_difference": {"fr": "Écart", "en": "Difference"},
    "total": {"fr": "Total", "en": "Total"},
    "current": {"fr": "en cours", "en": "in progress"},
    "timing_legend": {
        "fr": "Durées en minutes:secondes ; l'écart compare le réel au prévu (+ : dépassement).",
        "en": "Durations in minutes:seconds; the difference compares actual with planned (+: overrun).",
    },
    "gantt_title": {"fr": "Prévu et réel", "en": "Planned and actual"},
    "gantt_planned": {"fr": "Prévu", "en": "Planned"},
    "gantt_actual": {"fr": "Réel", "en": "Actual"},
    "gantt_pauses": {"fr": "Pauses, {duration}", "en": "Pauses, {duration}"},
    "actions": {"fr": "Actions", "en": "Actions"},
    "no_actions": {"fr": "Aucune action notée.", "en": "No action noted."},
    "learnings": {"fr": "Apprentissages", "en": "Learnings"},
    "no_learnings": {"fr": "Aucun apprentissage noté.", "en": "No learning noted."},
    "questions": {"fr": "Questions", "en": "Questions"},
    "no_questions": {"fr": "Aucune question notée.", "en": "No question noted."},
    "hypotheses": {"fr": "Hypothèses d'impact", "en": "Impact hypotheses"},
    "nothing_said": {"fr": "Rien de noté.", "en": "Nothing noted."},
    "measures": {"fr": "Mesures d'impact", "en": "Impact measures"},
    "col_measure": {"fr": "Mesure", "en": "Measure"},
    "col_verdict": {"fr": "Verdict", "en": "Verdict"},
    "col_useful": {"fr": "Utile", "en": "Useful"},
    "col_usable": {"fr": "Utilisable", "en": "Usable"},
    "col_source": {"fr": "Source", "en": "Source"},
    "col_frequency": {"fr": "Fréquence", "en": "Frequency"},
    "col_target": {"fr": "Départ → cible", "en": "Baseline → target"},
    "col_notes": {"fr": "Notes", "en": "Notes"},
    "for_whom": {"fr": "pour {whom}", "en": "for {whom}"},
    "added": {"fr": "ajoutée pendant la session", "en": "added during the session"},
    "measures_legend": {
        "fr": "Points : ceux que la salle a donnés depuis le lien des participants ({voters} navigateurs ont voté). "
        "Le verdict est celui de l'équipe.",
        "en": "Points: those the room gave from the participants' link ({voters} browsers voted). The verdict is the team's.",
    },
    "notes_by_step": {"fr": "Notes par étape", "en": "Notes by step"},
    "room_messages": {"fr": "Messages à la salle", "en": "Messages to the room"},
    "where": {"fr": "{time}, étape {number}", "en": "{time}, step {number}"},
    "step_number": {"fr": "étape {number}", "en": "step {number}"},
    "whose_turn": {"fr": "tour : {name}", "en": "turn: {name}"},
    "kind_action": {"fr": "Action", "en": "Action"},
    "kind_learning": {"fr": "Apprentissage", "en": "Learning"},
    "kind_question": {"fr": "Question", "en": "Question"},
    "kind_label": {"fr": "{kind} : ", "en": "{kind}: "},
    "by": {"fr": "par {author}", "en": "by {author}"},
    "audience_questions": {"fr": "Questions du public", "en": "Questions from the audience"},
    "status_waiting": {"fr": "en attente", "en": "waiting"},
    "status_shown": {"fr": "montrée à la salle", "en": "shown to the room"},
    "status_answered": {"fr": "répondue", "en": "answered"},
    "status_dropped": {"fr": "écartée", "en": "dropped"},
    "anonymous": {"fr": "anonyme", "en": "anonymous"},
    "roti": {"fr": "ROTI (retour sur le temps investi)", "en": "ROTI (return on time invested)"},
    "roti_score": {"fr": "Note", "en": "Score"},
    "roti_votes": {"fr": "Votes", "en": "Votes"},
    "roti_mean": {"fr": "Moyenne : **{mean}** / 5 ({count} votes)", "en": "Mean: **{mean}** / 5 ({count} votes)"},
    "roti_none": {"fr": "Aucun vote.", "en": "No vote."},
}


class ExportError(AtelierError):
    """The record could not be written; the message is one line naming the path and the reason."""

    exit_code = 1
    located = True


# --------------------------------------------------------------------------------------------------
# Text that is safe in Markdown and in Mermaid

# Characters that act on the page instead of showing: C0 and C1 controls, and the bidi embeddings,
# overrides and isolates (a pasted U+202E would reverse the " — 14:14, étape 12" written after a note).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Backslash-escaping any ASCII punctuation is valid CommonMark, so escaping a little too much is
# harmless; these are the characters that would otherwise start emphasis, code, links, HTML, entities,
# headings, tables, strikethrough or (on GitHub) maths.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~&$])")
# At the start of a list item, a heading or a cell, these would open a list, a rule (``---``, ``-- -``)
# or a nested list: the first character is escaped.
_BLOCK_START = re.compile(r"^([-+]|\d+[.)])")
# A web address, written as an autolink ``<…>`` (CommonMark's own, drawn by every renderer): inside it
# nothing is escaped, so the link and the text shown are the address as typed. An address without a
# scheme (``www.…``) cannot be an autolink: it becomes a link to ``http://`` that address, showing it.
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address (a closing bracket only when unbalanced).
_URL_TRAILING = ".,:;!?'\"»…)]}*_~"
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def shown_text(text: str) -> str:
    """What a reader sees of a typed ``text``: one line, without control characters."""
    return _CONTROLS.sub("", " ".join(text.split()))


def escape_markdown(text: str, cell: bool = False) -> str:
    """``text`` as literal inline Markdown, on one line, isolated for bidi; web addresses stay links.

    ``#2 *important* | yes`` shows as typed; ``---`` stays text; an Arabic or Hebrew note, or a
    stray U+202E, cannot reorder what follows it. ``cell``: the text goes in a table cell, where a
    ``|`` must be escaped even inside a link.
    """
    text = shown_text(text)
    parts = []
    at = 0
    for match in _URL.finditer(text):
        url = _trim_url(match.group())
        begins = re.match(r"\w+://|www\.", url, re.IGNORECASE)  # it does: _URL starts with one or the other
        scheme = begins.group() if begins else ""
        if len(url) <= len(scheme):
            continue  # ``https://`` alone is not an address
        parts.append(_escape_plain(text[at : match.start()], first=at == 0))
        pipe = "\\|" if cell else "|"
        if scheme.endswith("//"):
            parts.append("<" + url.replace("|", pipe) + ">")
        else:  # in a link's destination, backslash escapes and entities are read: escape them
            destination = re.sub(r"([\\&])", r"\\\1", "http://" + url).replace("|", pipe)
            parts.append(f"[{_escape_plain(url, first=False)}](<{destination}>)")
        at = match.start() + len(url)
    parts.append(_escape_plain(text[at:], first=at == 0))
    body = "".join(parts)
    return FIRST_STRONG_ISOLATE + body + POP_DIRECTIONAL_ISOLATE if body else ""


def _escape_plain(text: str, first: bool) -> str:
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    match = _BLOCK_START.match(text) if first else None
    if match:
        marker = match.group(1)
        text = marker[:-1] + "\\" + text[len(marker) - 1 :]
    return text


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING:
        if url[-1] in ")]}" and url.count(url[-1]) <= url.count("([{"[")]}".index(url[-1])]):
            break  # balanced: ``https://fr.wikipedia.org/wiki/Loi_(droit)`` keeps its bracket
        url = url[:-1]
    return url


def mermaid_label(text: str, limit: int = 48) -> str:
    """A Mermaid task name: no ``:``, ``#`` or ``;`` (they end the name or start a comment), one short line."""
    text = " ".join(re.sub(r"[:;#]|%%", " ", shown_text(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------------
# The record


def render_markdown(session: Session, lang: str = "fr") -> str:
    """The Markdown record of ``session`` as it stands (live, or restored from its journal)."""
    t = Translator(REPORT_STRINGS, lang)
    agenda = session.agenda
    blocks = [f"# {escape_markdown(agenda.title)}", _summary(session, t)]
    if agenda.participants:
        blocks += [f"## {t('participants')}", _participants(session, t)]
    blocks += [f"## {t('timing')}", _steps_table(session, t), f"_{t('timing_legend')}_"]
    if session.started:
        blocks.append(_gantt(session, t))
    for kind, heading, empty in (
        ("action", "actions", "no_actions"),
        ("learning", "learnings", "no_learnings"),
        ("question", "questions", "no_questions"),
    ):
        notes = [note for note in session.notes if note.kind == kind]
        blocks.append(f"## {t(heading)}")
        bullet = "- [ ] " if kind == "action" else "- "
        lines = [f"{bullet}{_note_text(note, t)} — {_where(note, session, t)}" for note in notes]
        blocks.append("\n".join(lines) or t(empty))
        if kind == "question" and session.audience.questions:
            blocks += [f"### {t('audience_questions')}", _audience_questions(session, t)]
    if session.board.measures:
        blocks += [f"## {t('measures')}", _measures_table(session, t), f"## {t('hypotheses')}", _hypotheses(session, t)]
    if session.audience.roti_opened:
        blocks += [f"## {t('roti')}", _roti(session, t)]
    if session.notes:
        blocks += [f"## {t('notes_by_step')}", *_notes_by_step(session, t)]
    if session.room_messages:
        lines = [
            f"- **{time_of_day(m.wall)}** {escape_markdown(m.text)} — {t('step_number', number=m.step + 1)}" for m in session.room_messages
        ]
        blocks += [f"## {t('room_messages')}", "\n".join(lines)]
    return "\n\n".join(blocks) + "\n"


def _audience_questions(session: Session, t: Translator) -> str:
    """Every question the audience sent, in order, with who asked (when they said) and what became of it."""
    lines = []
    for q in session.audience.questions:
        who = escape_markdown(q.name) if q.name else f"_{t('anonymous')}_"
        lines.append(f"- **{time_of_day(q.wall)}** {escape_markdown(q.text)} — {who} · {t('status_' + q.status)}")
    return "\n".join(lines)


def _roti(session: Session, t: Translator) -> str:
    """The ROTI's distribution as a table, and its mean."""
    audience = session.audience
    counts = audience.distribution()
    rows = [f"| {t('roti_score')} | {t('roti_votes')} |", "|---:|---:|"]
    rows += [f"| {score} | {count} |" for score, count in zip(range(1, 6), counts)]
    mean = audience.mean()
    if mean is None:
        return "\n".join(rows) + "\n\n" + t("roti_none")
    said = f"{mean:.1f}".replace(".", "," if t.lang == "fr" else ".")
    return "\n".join(rows) + "\n\n" + t("roti_mean", mean=said, count=len(audience.votes))


def _summary(session: Session, t: Translator) -> str:
    if not session.started:
        return "- " + t("not_started")
    start = session.started_wall
    planned_end = time_of_day(session.planned_end())
    lines = [t("date", date=time.strftime("%Y-%m-%d", time.localtime(start)))]
    if session.slot is not None:
        lines.append(t("slot", slot=session.slot.text()))
    lines.append(t("start", time=_start_text(session, t)))
    if session.finished:
        lines.append(t("end", time=time_of_day(session.ended_wall or session.clock.wall()), planned=planned_end))
    else:
        lines.append(t("end_open", time=time_of_day(session.clock.wall()), planned=planned_end))
    if session.slot is not None:
        lines.append(t("slot_drift", drift=drift_text(session.drift_minutes())))
    lines.append(
        t("length", actual=duration_text(session.session_elapsed()), planned=duration_text(session.agenda.total))
    )
    return "\n".join("- " + line for line in lines)


def _start_text(session: Session, t: Translator) -> str:
    """The start time, and how far it was from the slot's start (when a minute or more)."""
    assert session.started_wall is not None  # said of a session that started only
    start = time_of_day(session.started_wall)
    late = session.late_start()
    if late is None or abs(late) < 60:
        return start
    if late > 0:
        return t("start_late", time=start, late=minutes_text(late))
    return t("start_early", time=start, early=minutes_text(late))


def _participants(session: Session, t: Translator) -> str:
    agenda = session.agenda
    keys = [role.key for role in agenda.roles]
    keys += [p.role for p in agenda.participants if p.role not in keys]
    lines = []
    for key in dict.fromkeys(keys):
        names = [escape_markdown(p.name) for p in agenda.participants if p.role == key]
        if names:
            lines.append("- " + t("role", role=escape_markdown(agenda.role_label(key)), names=", ".join(names)))
    return "\n".join(lines)


def _done(session: Session, index: int) -> bool:
    """Whether a step is behind the session (its actual length is final)."""
    return session.finished or index < session.index


def _steps_table(session: Session, t: Translator) -> str:
    agenda = session.agenda
    adjusted = any(session.durations[i] != step.duration for i, step in enumerate(agenda.steps)) or any(
        chosen != turn.duration
        for i, step in enumerate(agenda.steps)
        for chosen, turn in zip(session.turn_adjusted[i], step.turns)
    )
    header = ["#", t("col_step"), t("col_planned")] + ([t("col_adjusted")] if adjusted else [])
    header += [t("col_actual"), t("col_difference")]
    rows = [header, ["--:", "---"] + ["--:"] * (len(header) - 2)]
    actual_total = 0
    difference_total: int | None = None
    for i, step in enumerate(agenda.steps):
        actual = whole_seconds(session.step_elapsed(i))
        actual_total += actual
        label = escape_markdown(step.title, cell=True)
        if step.speaker:
            label += f" — {escape_markdown(step.speaker, cell=True)}"
        if session.started and not _done(session, i) and i == session.index:
            label += f" _({t('current')})_"
        row = [str(i + 1), label]
        done = _done(session, i)
        difference = _timing_cells(row, session, step.duration, session.durations[i], actual, done, adjusted)
        if difference is not None:
            difference_total = (difference_total or 0) + difference
        rows.append(row)
        for j, turn in enumerate(step.turns):
            label = f"↳ {escape_markdown(turn.name, cell=True)}"
            current = session.started and not done and i == session.index and j == session.turn
            if current:
                label += f" _({t('current')})_"
            turn_done = done or (i == session.index and j < session.turn)
            actual_turn = whole_seconds(session.turn_elapsed(j, i))
            row = ["", label]
            _timing_cells(row, session, turn.duration, session.turn_adjusted[i][j], actual_turn, turn_done, adjusted)
            rows.append(row)
    total = ["", f"**{t('total')}**", f"**{duration_text(agenda.total)}**"]
    if adjusted:
        total.append("")  # a sum of adjusted lengths would mix overruns already spent with plans
    total.append(f"**{duration_text(actual_total)}**" if session.started else "—")
    total.append(f"**{duration_text(difference_total, signed=True)}**" if difference_total is not None else "—")
    rows.append(total)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _timing_cells(
    row: list[str], session: Session, planned: int, allotted: int, actual: int, done: bool, adjusted: bool
) -> int | None:
    """Append the planned, adjusted, actual and difference cells of a step or turn; the difference once it is done."""
    row.append(duration_text(planned))
    if adjusted:
        row.append(duration_text(allotted) if allotted != planned else "")
    reached = done or actual > 0
    row.append(duration_text(actual) if session.started and reached else "—")
    if session.started and done:
        row.append(duration_text(actual - planned, signed=True))
        return actual - planned
    row.append("—")
    return None
# Mermaid's own tick steps, from a second to half a day: the axis takes the first that leaves at most
# ten ticks, so a short session is not labelled eleven times ``14:02``.
_TICKS = (
    [(n, f"{n}second") for n in (1, 2, 5, 10, 15, 30)]
    + [(n * 60, f"{n}minute") for n in (1, 2, 5, 10, 15, 30)]
    + [(n * 3600, f"{n}hour") for n in (1, 2, 3, 6, 12)]
)


def _axis(span: float) -> tuple[str, str]:
    """``(tickInterval, axisFormat)`` for a chart ``span`` seconds wide: seconds shown below a minute's step."""
    seconds, interval = next(((s, i) for s, i in _TICKS if span / s <= 10), _TICKS[-1])
    return interval, "%H:%M:%S" if seconds < 60 else "%H:%M"


def _gantt(session: Session, t: Translator) -> str:
    """Planned against actual, both from the start, in the workshop's local time.

    Start times are local wall times (``YYYY-MM-DD HH:mm:ss``, read by Mermaid in the reader's zone
    as they are written, so the axis shows the room's clock) and lengths are seconds (``700s``):
    Mermaid 10 to 12 all draw this alike, unlike ``dateFormat X``. The actual bars are laid end to
    end; the pauses follow them as one bar, so the actual row ends when the session did.
    """
    agenda = session.agenda
    start = round(session.started_wall or 0)
    actual = [whole_seconds(session.step_elapsed(i)) for i in range(len(agenda.steps))]
    paused = max(0, whole_seconds(session.session_elapsed()) - sum(actual))
    interval, axis = _axis(max(agenda.total, sum(actual) + paused))
    lines = [
        "```mermaid",
        "gantt",
        f"    title {mermaid_label(t('gantt_title'))}",
        "    dateFormat YYYY-MM-DD HH:mm:ss",
        f"    axisFormat {axis}",
        f"    tickInterval {interval}",
        "    todayMarker off",
        f"    section {mermaid_label(t('gantt_planned'))}",
    ]

    def bar(name: str, tag: str, at: int, seconds: int) -> str:
        begin = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))
        return f"    {mermaid_label(name)} :{tag}{begin}, {seconds}s"

    at = start
    for i, step in enumerate(agenda.steps):
        lines.append(bar(f"{i + 1}. {step.title}", "", at, step.duration))
        at += step.duration
    lines.append(f"    section {mermaid_label(t('gantt_actual'))}")
    at = start
    for i, step in enumerate(agenda.steps):
        if actual[i] <= 0:
            continue
        lines.append(bar(f"{i + 1}. {step.title}", "crit, " if actual[i] > step.duration else "", at, actual[i]))
        at += actual[i]
    if paused:
        lines.append(bar(t("gantt_pauses", duration=duration_words(paused)), "done, ", at, paused))
    lines.append("```")
    return "\n".join(lines)


def _kind_label(note: Note, t: Translator) -> str:
    if note.kind == "note":
        return ""
    return t("kind_label", kind=t(f"kind_{note.kind}"))


def _turn_name(note: Note, session: Session) -> str | None:
    """The person whose turn it was when the note was written, if the step had turns."""
    turns = session.agenda.steps[note.step].turns
    if note.turn is None or not 0 <= note.turn < len(turns):
        return None
    return escape_markdown(turns[note.turn].name)


def _where(note: Note, session: Session, t: Translator) -> str:
    where = t("where", time=time_of_day(note.wall), number=note.step + 1)
    name = _turn_name(note, session)
    return f"{where}, {t('whose_turn', name=name)}" if name else where


def _note_text(note: Note, t: Translator) -> str:
    """The note as written, then who wrote it when it was not the facilitator."""
    by = f" ({t('by', author=escape_markdown(note.author))})" if note.author else ""
    return escape_markdown(note.text) + by


def _note_line(note: Note, session: Session, t: Translator, with_step: bool = False) -> str:
    if with_step:
        stamp = _where(note, session, t)
    else:
        name = _turn_name(note, session)
        stamp = f"{time_of_day(note.wall)}, {t('whose_turn', name=name)}" if name else time_of_day(note.wall)
    return f"- **{stamp}** {_kind_label(note, t)}{_note_text(note, t)}"


def _hypotheses(session: Session, t: Translator) -> str:
    items = []
    for number, hypothesis in enumerate(session.board.measures, start=1):
        marker = f"{number}. "
        indent = " " * len(marker)
        tied = [note for note in session.notes if number in note.hypotheses]
        said = [indent + _note_line(note, session, t, with_step=True) for note in tied] or [f"{indent}- _{t('nothing_said')}_"]
        items.append(marker + escape_markdown(hypothesis.text) + "\n" + "\n".join(said))
    return "\n".join(items)


def _measures_table(session: Session, t: Translator) -> str:
    """One row per measure (as ``export --measures`` writes them): what, the verdict, the room's points, where
    the figure comes from, how often, from which baseline to which target, and the notes citing it."""
    header = ["#"] + [t(f"col_{name}") for name in ("measure", "verdict", "useful", "usable", "source", "frequency", "target", "notes")]
    lines = [header, ["--:", "---", "---", "--:", "--:", "---", "---", "---", "---"]]
    for row in rows(session.board, session.notes, t.lang):
        about = [t("for_whom", whom=row["for"])] if row["for"] else []
        about += [word for word in (row["dimension"], row["stage"]) if word] + ([t("added")] if row["added"] else [])
        what = escape_markdown(row["measure"], cell=True) + (" _(" + escape_markdown(", ".join(about), cell=True) + ")_" if about else "")
        span = ""
        if row["baseline"] or row["target"]:
            span = " → ".join(escape_markdown(row[key] or "?", cell=True) for key in ("baseline", "target"))
        cells = [str(row["number"]), what, f"**{escape_markdown(row['verdict'], cell=True)}**" if row["verdict"] else "—"]
        cells += [str(row["useful"]), str(row["usable"])]
        cells += [escape_markdown(row[key], cell=True) if row[key] else "" for key in ("source", "frequency")]
        cells += [span, " · ".join(escape_markdown(note, cell=True) for note in row["notes"])]
        lines.append(cells)
    table = "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
    return table + "\n\n_" + t("measures_legend", voters=session.board.tally().voters) + "_"


def _notes_by_step(session: Session, t: Translator) -> list[str]:
    blocks = []
    for i, step in enumerate(session.agenda.steps):
        notes = [note for note in session.notes if note.step == i]
        if notes:
            blocks.append(f"### {i + 1}. {escape_markdown(step.title)}")
            blocks.append("\n".join(_note_line(note, session, t) for note in notes))
    return blocks


# --------------------------------------------------------------------------------------------------
# Files


# The last line of every record names its session and how many of its events it covers, so that a
# record is never overwritten by another session's, nor by a shorter one of its own (an ``export``
# from a journal that lacks the events a full disk kept in memory). Markdown renderers hide it.
_MARK = re.compile(r"^<!-- atelier-timer record: session=(\S+) events=(\d+) -->$", re.MULTILINE)


def _mark(session: Session) -> str:
    return f"<!-- atelier-timer record: session={_session_key(session)} events={session.event_count} -->\n"


def _session_key(session: Session) -> str:
    """What tells two sessions apart in their records: the start, to the millisecond."""
    return f"{session.started_wall:.3f}" if session.started_wall is not None else "unstarted"


def _mark_of(path: Path) -> tuple[str, int] | None:
    """(session, events) of the record at ``path``; None when there is no file; ("", 0) for a file not ours."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ("", 0)
    marks = _MARK.findall(text)
    return (marks[-1][0], int(marks[-1][1])) if marks else ("", 0)


def export_path(session: Session, notes_dir: Path) -> Path:
    """``<notes-dir>/<YYYY-MM-DD-HHMM>-<agenda-slug>.md`` from the session's start (local time).

    When that name holds another session's record (or a file that is no record), ``-2``, ``-3``...
    is added: one file per session, never shared.
    """
    start = session.started_wall if session.started_wall is not None else session.clock.wall()
    stem = time.strftime("%Y-%m-%d-%H%M", time.localtime(start)) + "-" + slugify(session.agenda.title)
    key, n = _session_key(session), 1
    while True:
        path = Path(notes_dir) / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        mark = _mark_of(path)
        if mark is None or mark[0] == key:
            return path
        n += 1


class RecordKept(ExportError):
    """The file already holds a more complete record of this session; it was kept as it is."""

    def __init__(self, path: Path, kept: int, offered: int) -> None:
        super().__init__(
            f"{path}: kept: it already holds a more complete record of this session ({kept} events, against {offered})"
        )
        self.path = path


def write_export(session: Session, notes_dir: Path, lang: str = "fr", path: Path | None = None) -> Path:
    """Write the record atomically (to ``path``, else :func:`export_path`) and return where it went.

    The notes dir is created if missing; an explicit ``path`` must be in an existing folder. A file
    holding a longer record of the same session is kept (:class:`RecordKept`). Any failure raises
    :class:`ExportError` and leaves no partial file.
    """
    text = render_markdown(session, lang) + "\n" + _mark(session)
    if path is None:
        try:
            Path(notes_dir).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ExportError(f"{notes_dir}: error: cannot create the notes folder: {reason(error)}") from None
        path = export_path(session, notes_dir)
    path = Path(path)
    mark = _mark_of(path)
    if mark and mark[0] == _session_key(session) and mark[1] > session.event_count:
        raise RecordKept(path, mark[1], session.event_count)
    try:
        write_atomic(path, text, private=True)
    except OSError as error:
        raise ExportError(f"{path}: error: cannot write the notes: {reason(error)}") from None
    return path


def session_from_journal(record: JournalRecord, clock: Clock | None = None) -> Session:
    """The session a journal describes, as of its last event, or as it stands now on ``clock`` (resume).

    The clock is frozen at the last event's wall time, so nothing happens "after" the journal: a
    session whose program died while the timer ran gets no away time added, and the export says what
    the journal says (the same record the screen would have written at that moment), however long
    after the workshop it is run.

    Events that do not fit the agenda (another number of steps, a note on a step it lacks) are
    skipped, and their line numbers added to ``record.damaged``.
    """
    agenda = parse_agenda(record.header["agenda_yaml"], str(record.header.get("agenda_source", "")))
    events = []
    for line, event in zip(record.lines, record.events):
        if fits_agenda(event, agenda):
            events.append(event)
        else:
            record.damaged.append(line)
    record.damaged.sort()
    clock = clock or FakeClock(wall=events[-1]["wall"] if events else record.header["wall"])
    return Session.restore(agenda, events, clock, slot=Slot.from_dict(record.header.get("slot")))
