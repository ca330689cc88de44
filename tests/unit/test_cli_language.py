"""The command line speaks the agenda's language: plan's headers, new's and import's results."""

from __future__ import annotations

from tests.unit.test_cli_agenda import atelier_timer_cmd

ENGLISH = """\
version: 1
title: Workshop
language: en
steps:
  - {title: Opening, duration: 5m, speaker: Sam}
"""


def test_plan_speaks_the_agendas_language(tmp_path):
    (tmp_path / "en.yaml").write_text(ENGLISH, encoding="utf-8")
    for output in ("table", "markdown"):
        french = atelier_timer_cmd("plan", "temoignages", "--start", "14:00", "--format", output, cwd=tmp_path).stdout
        english = atelier_timer_cmd("plan", "en.yaml", "--start", "14:00", "--format", output, cwd=tmp_path).stdout
        assert all(word in french for word in ("Début", "Fin", "Durée", "Étape")), french
        assert "Duration" not in french and "Start" not in french
        assert all(word in english for word in ("Start", "End", "Duration", "Step", "Speaker")), english


def test_new_says_what_it_wrote_in_the_agendas_language(tmp_path):
    result = atelier_timer_cmd("new", "mon-atelier.yaml", "--from", "temoignages", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("mon-atelier.yaml écrit (une copie de temoignages)")
