"""An agenda from a spreadsheet or a Markdown table: ``atelier-timer import FILE``.

Facilitators often draft a workshop in a spreadsheet: one row per step with its title, duration,
speaker and prompt. This reads such a table, as a spreadsheet saves it (CSV with commas, or with
semicolons as French spreadsheets write it, TSV pasted from one, UTF-8 or Windows-1252 or UTF-16) or
as a Markdown table, and writes the YAML agenda that ``check`` and ``run`` read. Every bad row is
reported by its line, with the other problems, before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import unicodedata
from pathlib import Path

from atelier_timer.agenda import (
    MAX_FILE_BYTES,
    AgendaError,
    Problem,
    format_duration,
    parse_agenda,
    parse_duration,
)
from atelier_timer.safetext import json_safe, printable, quoted
from atelier_timer.texts import reason

# The column names understood, by the step field they fill, in English then French (compared without
# case, accents, spaces or a trailing "(min)"); a name's language is the agenda's language guess.
COLUMNS = {
    "title": {"en": ("title", "step", "name"), "fr": ("titre", "etape", "nom", "sequence")},
    "duration": {"en": ("duration", "time", "length", "minutes"), "fr": ("duree", "temps")},
    "speaker": {
        "en": ("speaker", "who", "host"),
        "fr": ("intervenant", "intervenante", "qui", "orateur", "oratrice", "animateur", "animatrice"),
    },
    "prompt": {"en": ("prompt", "instructions", "instruction"), "fr": ("consigne", "consignes")},
}  # fmt: skip


def import_file(path: str) -> str:
    """The YAML text of an agenda read from the table in the file at ``path`` (see ``import_agenda``)."""
    try:
        mode = Path(path).stat().st_mode
        if not stat.S_ISREG(mode):
            raise AgendaError([Problem(path, 1, 1, "is a directory" if stat.S_ISDIR(mode) else "is not a regular file")])
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        why = "no such file" if isinstance(error, FileNotFoundError) else f"cannot be read: {reason(error)}"
        raise AgendaError([Problem(path, 1, 1, why)]) from None
    return import_agenda(data, path)


def import_agenda(data: bytes, source: str) -> str:
    """The YAML text of an agenda read from a table's bytes; ``AgendaError`` naming every bad row.

    ``source`` is the file's path as given: it names the problems and, without a ``# heading``,
    gives the title.
    """

    def fail(message: str, line: int = 1) -> AgendaError:
        return AgendaError([Problem(source, line, 1, message)])

    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is too large for a table of steps (more than {MAX_FILE_BYTES // 1024} KiB)")
    text = re.sub(r"\r\n?", "\n", _decoded(data))  # Windows line ends, in cells too
    if "\x00" in text:
        raise fail("is a binary file (it contains NUL bytes), not a table")
    lines = text.splitlines()
    heading = None
    rule = next((index for index, line in enumerate(lines) if index and "|" in line and _MARKDOWN_RULE.fullmatch(line)), None)
    if rule is not None:
        heading = next((match[1].strip() for line in lines[:rule] if (match := re.match(r"\s*#+\s+(.+)", line))), None)
        header_line, header, rows = _markdown_table(lines, rule)
    else:
        try:
            header_line, header, rows = _delimited_table(text)
        except csv.Error as error:
            raise fail(f"cannot be read as CSV: {error}") from None
    fields, language = _columns(header)
    if "title" not in fields or "duration" not in fields:
        names = ", ".join(quoted(name, 20) for name in header if name.strip()) or "none"
        needed = "title" if "title" not in fields else "duration"
        raise fail(
            f"no {needed!r} column: the header must name the columns title, duration, speaker, prompt "
            f"(or titre, durée, intervenant, consigne); found {names}",
            header_line,
        )
    steps, problems = [], []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row between parts of the agenda
        try:
            steps.append(_step({field: cells[index].strip() if index < len(cells) else "" for field, index in fields.items()}))
        except ValueError as error:
            problems.append(Problem(source, line, 1, str(error)))
    if problems:
        raise AgendaError(problems)
    if not steps:
        raise fail("has a header but no rows: an agenda needs at least one step", header_line)
    title = heading or _title_from_name(source)
    yaml_text = _agenda_yaml(title, language, steps, source)
    if len(yaml_text.encode("utf-8")) > MAX_FILE_BYTES:
        raise fail(f"makes an agenda larger than {MAX_FILE_BYTES // 1024} KiB, too large to be read back")
    parse_agenda(yaml_text, f"{source} (as YAML)")  # what is written always passes `check`
    return yaml_text


def _decoded(data: bytes) -> str:
    """The text of a spreadsheet export: UTF-16 with its mark (Excel's "Unicode text"), UTF-8, or
    else Windows-1252, which Excel uses for CSV in Western Europe."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# The line under a Markdown table's header: "|---|:--:|", "--- | ---".
_MARKDOWN_RULE = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")


def _markdown_table(lines: list[str], rule: int) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The Markdown table whose rule is ``lines[rule]``: its header's line, its header cells, and its
    rows with their lines (up to the first line that is not one)."""
    rows = []
    for number, line in enumerate(lines[rule + 1 :], start=rule + 2):
        if "|" not in line:
            break
        rows.append((number, _markdown_cells(line)))
    return rule, _markdown_cells(lines[rule - 1]), rows


def _markdown_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _delimited_table(text: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The rows of CSV or TSV text, split on whichever of tab, semicolon and comma makes the header
    name the most known columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(
        ("\t", ";", ","), key=lambda candidate: (_known_count(next(csv.reader([first], delimiter=candidate))), first.count(candidate))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for cells in reader:
        records.append((start, cells))
        start = reader.line_num + 1  # a quoted cell may hold line breaks
    records = [(line, cells) for line, cells in records if any(cell.strip() for cell in cells)] or [(1, [])]
    (header_line, header), rows = records[0], records[1:]
    return header_line, header, rows


def _normal(name: str) -> str:
    """A column name as compared: "Durée (min)" → "duree"."""
    name = re.sub(r"\(.*?\)", "", name)
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return re.sub(r"[^a-z]", "", "".join(char for char in decomposed if not unicodedata.combining(char)))


def _field_of(name: str) -> tuple[str, str] | None:
    normal = _normal(name)
    for field, names in COLUMNS.items():
        for language, words in names.items():
            if normal in words:
                return field, language
    return None


def _known_count(header: list[str]) -> int:
    return sum(_field_of(name) is not None for name in header)


def _columns(header: list[str]) -> tuple[dict[str, int], str]:
    """Each known field's column index (the first column naming it; other columns are left out),
    and the language the names are in (French when most are)."""
    fields: dict[str, int] = {}
    votes = {"fr": 0, "en": 0}
    for index, name in enumerate(header):
        found = _field_of(name)
        if found is not None:
            fields.setdefault(found[0], index)
            votes[found[1]] += 1
    return fields, "fr" if votes["fr"] > votes["en"] else "en"


def _step(cells: dict[str, str]) -> dict[str, str | int]:
    """A step from a row's cells by field; ``ValueError`` saying what is wrong with it."""
    title, duration = cells["title"], cells["duration"]
    if not title:
        raise ValueError("the step has no title")
    if not duration:
        raise ValueError(f"step {quoted(title)} has no duration")
    if re.fullmatch(r"\d{1,6},\d{1,6}", duration):  # "7,5" minutes, as a French spreadsheet writes 7.5
        duration = duration.replace(",", ".")
    try:
        seconds = parse_duration(float(duration) if re.fullmatch(r"\d{1,6}\.\d{1,6}", duration) else duration)
    except ValueError as error:
        raise ValueError(f"step {quoted(title)}: {error}") from None
    step: dict[str, str | int] = {"title": title, "duration": seconds}
    for field in ("speaker", "prompt"):
        if cells.get(field):
            step[field] = re.sub(r"<br\s*/?>", "\n", cells[field])  # a line break in a Markdown cell
    return step


def _title_from_name(source: str) -> str:
    """ "atelier-impact_2025.csv" → "Atelier impact 2025"."""
    words = re.sub(r"[-_.\s]+", " ", Path(source).stem).strip()
    return (words[:1].upper() + words[1:]) or "Atelier"


def _quoted_yaml(text: str) -> str:
    """Text as a YAML double-quoted scalar: a JSON string is one, with every control escaped."""
    return json_safe(json.dumps(text, ensure_ascii=False))


def _agenda_yaml(title: str, language: str, steps: list[dict[str, str | int]], source: str) -> str:
    lines = [
        "# yaml-language-server: $schema=atelier-timer.schema.json",
        "#",
        f"# Imported by atelier-timer from {printable(Path(source).name)}. Check it with `atelier-timer check`,",
        "# see it with `atelier-timer plan`, run it with `atelier-timer run`.",
        "",
        "version: 1",
        f"title: {_quoted_yaml(title)}",
        f"language: {language}",
        "steps:",
    ]
    for step in steps:
        lines.append(f"  - title: {_quoted_yaml(str(step['title']))}")
        lines.append(f"    duration: {format_duration(int(step['duration']))}")
        for field in ("speaker", "prompt"):
            if field in step:
                lines.append(f"    {field}: {_quoted_yaml(str(step[field]))}")
    return "\n".join(lines) + "\n"
