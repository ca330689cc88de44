"""``atelier-timer import``: spreadsheets and Markdown tables made into agendas, golden files, bad rows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from atelier_timer.agenda import AgendaError, parse_agenda
from atelier_timer.importer import import_agenda

GOLDEN = Path(__file__).parent / "golden" / "import"
TABLES = sorted(path.name for path in GOLDEN.iterdir() if path.suffix != ".yaml")


def imported(name: str) -> str:
    return import_agenda((GOLDEN / name).read_bytes(), name)


@pytest.mark.parametrize("name", TABLES)
def test_import_matches_the_golden_agenda(name):
    text = imported(name)
    path = GOLDEN / (Path(name).stem + ".yaml")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TABLES)
def test_the_imported_agenda_passes_check(name):
    assert parse_agenda(imported(name), "imported.yaml").steps


def test_a_french_semicolon_csv_keeps_every_cell():
    agenda = parse_agenda(imported("atelier-fr.csv"), "a.yaml")
    assert (agenda.title, agenda.language) == ("Atelier fr", "fr")
    assert [(step.title, step.duration, step.speaker) for step in agenda.steps] == [
        ("Accueil", 600, "Camille"),
        ("Tour de table", 900, None),
        ("Pause", 450, None),
        ("Clôture", 300, "Camille"),
    ]
    assert agenda.steps[0].prompt == "Bienvenue ; installez-vous"
    assert agenda.steps[1].prompt == "Chacun se présente :\nprénom, rôle, attente"


def test_text_that_yaml_would_misread_stays_text():
    agenda = parse_agenda(imported("workshop_en.csv"), "a.yaml")
    assert agenda.language == "en"
    assert [step.title for step in agenda.steps] == ["Welcome", "Pitch", "Questions", "Yes"]
    assert agenda.steps[0].prompt == 'Say "hello", then sit'
    assert agenda.steps[1].prompt == "What is: the problem?"
    assert agenda.steps[3].speaker == "No"
    assert agenda.steps[3].prompt == "- a list-looking line\n# a heading-looking line"
    assert agenda.steps[2].duration == 450


def test_a_markdown_table_takes_its_heading_as_title():
    agenda = parse_agenda(imported("temoignages.md"), "a.yaml")
    assert (agenda.title, agenda.language) == ("Atelier impact : acte 1", "fr")
    assert agenda.steps[0].prompt == "Bienvenue\nà toutes et à tous"
    assert agenda.steps[1].prompt == "Raconter un moment | clé"
    assert agenda.steps[1].speaker == "Prénom (designer)"


def test_control_characters_are_escaped_in_the_yaml():
    text = imported("hostile.csv")
    assert "\x1b" not in text and "\x07" not in text
    assert parse_agenda(text, "a.yaml").steps[0].title == "\x1b]0;pwned\x07"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("TITRE;DUREE;INTERVENANT", "fr"),
        ("  Titre  ; Durée (minutes) ; Intervenante", "fr"),
        ("Title,Duration (min),Speaker", "en"),
        ("title\tduration", "en"),
    ],
)
def test_header_matching_forgives_case_accents_spaces_and_units(header, language):
    separator = ";" if ";" in header else "\t" if "\t" in header else ","
    table = f"{header}\nIntro{separator}10{separator}Ana\n"
    agenda = parse_agenda(import_agenda(table.encode(), "plan.csv"), "a.yaml")
    assert (agenda.steps[0].title, agenda.steps[0].duration, agenda.language) == ("Intro", 600, language)


def problems(table: str | bytes, name: str = "plan.csv") -> list[str]:
    with pytest.raises(AgendaError) as error:
        import_agenda(table if isinstance(table, bytes) else table.encode(), name)
    return str(error.value).splitlines()


def test_bad_rows_are_named_by_line_one_line_each():
    table = 'title;duration\nA;dix\n;5\nB;\n"C\nsur deux lignes";99999999999999\nD;5\n'
    assert problems(table) == [
        'plan.csv:2:1: error: step \'A\': duration must be a number of minutes or a text such as "10m", "90s", "1h30", '
        "\"7:30\" (min:sec), \"1m30s\"; not 'dix'",
        "plan.csv:3:1: error: the step has no title",
        "plan.csv:4:1: error: step 'B' has no duration",
        "plan.csv:5:1: error: step 'C\\nsur deux lignes': duration must be at most 24 hours, not '99999999999999'",
    ]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        pytest.param("a,b\n1,2\n", "plan.csv:1:1: error: no 'title' column", id="no-known-column"),
        pytest.param("titre;intervenant\nA;B\n", "plan.csv:1:1: error: no 'duration' column", id="no-duration"),
        pytest.param("title,duration\n", "plan.csv:1:1: error: has a header but no rows", id="no-rows"),
        pytest.param("", "plan.csv:1:1: error: no 'title' column", id="empty"),
        pytest.param(b"title,duration\x00\n", "plan.csv:1:1: error: is a binary file", id="binary"),
        pytest.param("# Plan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "plan.csv:3:1: error: no 'title' column", id="markdown-header"),
        pytest.param('title,duration\n"A' + "x" * 140_000 + '",5\n', "plan.csv:1:1: error: is too large", id="huge"),
    ],
)
def test_unreadable_tables_say_why(table, expected):
    found = problems(table)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_spreadsheet_encodings_are_read():
    table = "titre;durée\nCafé;5\n"
    for data in (table.encode("cp1252"), table.encode("utf-16"), b"\xef\xbb\xbf" + table.encode()):
        assert parse_agenda(import_agenda(data, "plan.csv"), "a.yaml").steps[0].title == "Café"
