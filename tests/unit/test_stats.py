"""``atelier-timer stats``: per-step statistics over journals written by real sessions on the fake clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atelier_timer.agenda import load_agenda, parse_agenda, read_agenda_source, slugify
from atelier_timer.cli import main
from atelier_timer.clock import FakeClock
from atelier_timer.journal import Journal
from atelier_timer.session import Session
from atelier_timer.stats import finished_records, percentile, step_stats, suggest_agenda_text, suggested_durations
from tests.helpers import T0
from tests.unit.test_report import check_golden

DAY = 24 * 3600
# Three runs of codev (planned 10, 10, 10, 25, 5 minutes): (minutes per step, pause before step 3).
CODEV_RUNS = [
    ([11, 10, 10, 22, 7], 0),
    ([12, 11, 11, 20, 6], 2),
    ([11, 9.5, 9.5, 23.5, 6.5], 0),
]


def record_session(state_dir: Path, agenda_name: str, minutes: list, pause: float, day: int) -> Path:
    """A session as the app records it: a journal, the session's events, each step run ``minutes``
    (a list of figures for a step of turns: each turn's minutes, ``t`` between them)."""
    text, source = read_agenda_source(agenda_name)
    agenda = parse_agenda(text, source)
    clock = FakeClock(wall=T0 + day * DAY)
    journal = Journal.create(state_dir, text, source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    try:
        session.toggle()
        for i, length in enumerate(minutes):
            if i == 2 and pause:
                session.pause()
                clock.advance(pause * 60)
                session.start()
            for turn_length in length[:-1] if isinstance(length, list) else ():
                clock.advance(turn_length * 60)
                session.next_turn()
            clock.advance((length[-1] if isinstance(length, list) else length) * 60)
            session.next()
    finally:
        journal.close()
    assert session.finished
    return journal.path


@pytest.fixture
def state(tmp_path: Path) -> Path:
    folder = tmp_path / "state"
    for day, (minutes, pause) in enumerate(CODEV_RUNS):
        record_session(folder, "codev", minutes, pause, day)
    return folder


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """``atelier-timer stats ARGS`` in an 80-column terminal: exit code, stdout, stderr."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "80")
        code = main(["stats", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_each_step_has_its_median_p90_overruns_and_drift(paris, state: Path) -> None:
    stats = step_stats(load_agenda("codev"), finished_records(state))
    assert stats.sessions == 3
    first, second, third, fourth, last = stats.steps
    assert (first.planned, first.median, first.overruns, first.runs) == (600, 660, 3, 3)
    assert first.p90 == pytest.approx(60 * (11 + 0.8 * 1))  # 11, 12: 80 % of the way
    assert (second.median, second.overruns) == (600, 1)  # 10 is on time, 11 is over
    assert third.overruns == 1 and fourth.overruns == 0 and last.overruns == 3
    # behind at the end of step 2: 1, 3 and 0.5 minutes; of step 3: 1, 6 (its 2-minute pause counts), 0
    assert second.drift == 60
    assert third.drift == 60
    assert last.drift == 0  # 0, +2 and 0 at the end


def test_percentile_interpolates_and_one_value_is_itself() -> None:
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0], 0.9) == 10.0


@pytest.mark.parametrize("form", ["table", "markdown", "csv", "json"])
def test_stats_codev_in_each_format_matches_its_golden_file(paris, state: Path, capsys, form: str) -> None:
    code, out, err = run_cli(capsys, "codev", "--state-dir", str(state), "--format", form, "--lang", "en")
    assert code == 0 and err == ""
    check_golden(f"stats/codev.{ {'table': 'txt', 'markdown': 'md'}.get(form, form) }", out)


def test_the_table_shows_each_step_with_its_median_and_overruns(paris, state: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "codev", "--state-dir", str(state), "--lang", "fr")
    assert code == 0
    assert "3 session(s) terminée(s)" in out
    row = next(line for line in out.splitlines() if line.startswith(" 1  Intro et tour de"))
    assert "10:00" in row and "11:00" in row and "3/3" in row and "█" in row


def test_json_is_per_agenda_and_per_step_in_seconds(paris, state: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, "codev", "--state-dir", str(state), "--format", "json")
    (agenda,) = json.loads(out)
    assert agenda["sessions"] == 3
    assert [step["median"] for step in agenda["steps"]] == [660, 600, 600, 1320, 390]


def test_without_agenda_every_recorded_agenda_gets_its_table(paris, state: Path, capsys) -> None:
    record_session(state, "temoignages", [5, 8, 7, 7, 30, 4], 0, 5)
    code, out, _ = run_cli(capsys, "--state-dir", str(state), "--format", "markdown")
    assert code == 0
    assert out.count("\n## ") + out.startswith("## ") == 2
    assert "co-développement" in out and "témoignages" in out.lower()


def test_only_finished_sessions_of_that_title_count(paris, state: Path, capsys) -> None:
    text, source = read_agenda_source("codev")
    agenda = parse_agenda(text, source)
    clock = FakeClock(wall=T0 + 9 * DAY)
    journal = Journal.create(state, text, source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.toggle()
    clock.advance(3600)  # an hour on the first step, never finished: not a lesson
    journal.close()
    assert step_stats(agenda, finished_records(state)).steps[0].median == 660


def test_no_session_says_so_in_one_line(paris, tmp_path: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "codev", "--state-dir", str(tmp_path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "aucune session terminée de « Atelier impact — co-développement »" in err


def test_suggest_follows_the_medians_keeps_the_total_and_never_overwrites(paris, state: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "codev-suggested.yaml"
    code, _, err = run_cli(capsys, "codev", "--state-dir", str(state), "--suggest", str(target), "--format", "json")
    assert code == 0 and "écrit : durées tirées des médianes" in err
    suggested = load_agenda(str(target))
    original = load_agenda("codev")
    assert suggested.total == original.total
    # the free steps share 55 minutes as their medians (11, 10, 10, 22) do; the protected last step keeps 5
    assert [step.duration for step in suggested.steps] == [12 * 60, 10 * 60, 10 * 60, 23 * 60, 5 * 60]
    # the listed turns are scaled with their step, so the copy still passes check (below)
    assert sum(turn.duration for turn in suggested.steps[3].turns) == 23 * 60
    assert original.steps[4].protected
    assert main(["check", str(target)]) == 0
    # comments and layout survive: only the duration values changed
    before, after = read_agenda_source("codev")[0].splitlines(), target.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and all("duration:" in a and "duration:" in b for a, b in changed)
    capsys.readouterr()
    code, _, err = run_cli(capsys, "codev", "--state-dir", str(state), "--suggest", str(target))
    assert code == 2 and "existe déjà" in err


def test_protected_steps_keep_their_time(paris, tmp_path: Path) -> None:
    text = """\
version: 1
title: Atelier protégé
steps:
  - title: Ouverture
    duration: 10m   # toujours 10 minutes
  - title: Cœur
    duration: 30m
    protected: true
  - title: Clôture
    duration: 10m
"""
    agenda_file = tmp_path / "a.yaml"
    agenda_file.write_text(text)
    for day in range(3):
        record_session(tmp_path / "state", str(agenda_file), [15, 40, 5], 0, day)
    stats = step_stats(load_agenda(str(agenda_file)), finished_records(tmp_path / "state"))
    durations = suggested_durations(stats)
    assert durations == [15 * 60, 30 * 60, 5 * 60]  # 20 free minutes shared 15 to 5; the protected 30 kept
    edited = suggest_agenda_text(text, "a.yaml", durations)
    assert "# toujours 10 minutes" in edited
    assert [s.duration for s in parse_agenda(edited, "a.yaml").steps] == durations


def test_typed_titles_reach_the_terminal_as_plain_text(paris, tmp_path: Path, capsys) -> None:
    agenda_file = tmp_path / "a.yaml"
    agenda_file.write_text('version: 1\ntitle: "Atelier [bold]x[/bold]"\nsteps:\n  - title: "Tour \\u202e\\e[2J"\n    duration: 5m\n')
    record_session(tmp_path / "state", str(agenda_file), [6], 0, 0)
    code, out, _ = run_cli(capsys, str(agenda_file), "--state-dir", str(tmp_path / "state"))
    assert code == 0
    assert "Atelier [bold]x[/bold]" in out  # not Rich markup
    assert "\u202e" not in out and "\x1b" not in out and "\\u202e" in out


def test_suggest_scales_the_turns_of_the_bundled_testimonies(paris, tmp_path: Path, capsys) -> None:
    state = tmp_path / "state"
    for day in range(3):  # the opening runs 7 of its 5 min, the testimonies 8 each of their 7, the exchanges 20 of 30
        record_session(state, "temoignages", [7, [8, 8, 8], 20, 4], 0, day)
    target = tmp_path / "temoignages-suggested.yaml"
    code, _, err = run_cli(capsys, "temoignages", "--state-dir", str(state), "--suggest", str(target), "--format", "json")
    assert code == 0, err
    assert "médianes de 3 session(s) terminée(s)" in err and "attention" not in err
    suggested, original = load_agenda(str(target)), load_agenda("temoignages")
    (testimonies,) = [step for step in suggested.steps if step.turns]
    assert testimonies.duration > 21 * 60 and len({turn.duration for turn in testimonies.turns}) == 1, "each turn scaled alike"
    assert sum(turn.duration for turn in testimonies.turns) == testimonies.duration
    assert testimonies.turns_share == "strict" and suggested.total == original.total
    assert main(["check", str(target)]) == 0


def test_suggest_scales_each_in_turns_by_role(paris, tmp_path: Path) -> None:
    text = """\
version: 1
title: Atelier par rôle
roles: {coach: Coachs}
participants: [{name: Ana, role: coach}, {name: Bo, role: coach}]
steps:
  - title: Ouverture
    duration: 10m
  - title: Conseils
    turns: {role: coach, each: 5m}   # cinq minutes chacun
"""
    agenda_file = tmp_path / "a.yaml"
    agenda_file.write_text(text)
    for day in range(3):
        record_session(tmp_path / "state", str(agenda_file), [5, [7.5, 7.5]], 0, day)
    durations = suggested_durations(step_stats(load_agenda(str(agenda_file)), finished_records(tmp_path / "state")))
    edited = suggest_agenda_text(text, "a.yaml", durations)
    assert "each: 7m30s" in edited and "# cinq minutes chacun" in edited
    assert [step.duration for step in parse_agenda(edited, "a.yaml").steps] == [5 * 60, 15 * 60]


def test_a_suggestion_from_fewer_than_three_sessions_says_so(paris, tmp_path: Path, capsys) -> None:
    state = tmp_path / "state"
    record_session(state, "codev", [0.15, 0, 0, 0, 0], 0, 0)  # a single 9-second session
    code, _, err = run_cli(capsys, "codev", "--state-dir", str(state), "--suggest", str(tmp_path / "s.yaml"))
    assert code == 0  # codev is a French agenda: its command line speaks French
    assert "médianes de 1 session(s) terminée(s)" in err
    assert "attention : 1 session(s) terminée(s) seulement, trop peu" in err
    code, _, err = run_cli(capsys, "codev", "--lang", "en", "--state-dir", str(state), "--suggest", str(tmp_path / "t.yaml"))
    assert code == 0
    assert "warning: only 1 finished session(s): too few for a median to mean much" in err
