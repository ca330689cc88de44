"""The booked slot on the command line: ``plan --start/--end``, ``run --start/--end``, ``sessions``."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from atelier_timer.journal import Journal
from atelier_timer.session import Slot
from tests.unit.test_cli_agenda import assert_clean_failure, atelier_timer_cmd

SCHEDULED = (
    'title: Atelier\nschedule: {start: "9:30", end: "10:20"}\nsteps:\n  - {title: Intro, duration: 30}\n  - {title: Fin, duration: 30}\n'
)


def plan_json(tmp_path, *args: str) -> dict:
    result = atelier_timer_cmd("plan", *args, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_plan_with_an_end_works_backwards_to_the_start(tmp_path):
    plan = plan_json(tmp_path, "codev", "--end", "15:00")
    assert (plan["start"], plan["end"]) == ("14:00", "15:00")
    assert plan["steps"][-1]["start"] == "14:55"


@pytest.mark.parametrize(
    ("end", "free", "sentence"),
    [
        ("14:50", -600, "L'agenda dépasse le créneau 14:00 → 14:50 de 10 min."),  # in the agenda's language
        ("15:10", 600, "L'agenda laisse 10 min libres dans le créneau 14:00 → 15:10."),
        ("15h", 0, "L'agenda remplit exactement le créneau 14:00 → 15:00."),
    ],
)
def test_plan_with_a_start_and_an_end_says_how_the_agenda_fits(tmp_path, end, free, sentence):
    plan = plan_json(tmp_path, "codev", "--start", "14:00", "--end", end)
    assert plan["free_seconds"] == free
    assert plan["end"] == "15:00", "the agenda's own end, whatever the slot"
    for output in ("table", "markdown"):
        result = atelier_timer_cmd("plan", "codev", "--start", "14:00", "--end", end, "--format", output, cwd=tmp_path)
        assert sentence in result.stdout


def test_plan_follows_the_agenda_schedule_and_the_options_override_it(tmp_path):
    (tmp_path / "a.yaml").write_text(SCHEDULED, encoding="utf-8")
    plan = plan_json(tmp_path, "a.yaml")
    assert (plan["start"], plan["slot"], plan["free_seconds"]) == ("09:30", {"start": "09:30", "end": "10:20"}, -600)
    assert plan_json(tmp_path, "a.yaml", "--start", "9:00")["free_seconds"] == 1200


@pytest.mark.parametrize("command", ["plan", "run"])
def test_a_slot_across_midnight_is_refused_in_one_line(tmp_path, command):
    result = atelier_timer_cmd(command, "codev", "--start", "23:30", "--end", "00:30", cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.splitlines() == [
        f"atelier-timer {command}: error: the slot 23:30 → 00:30 ends before it starts: a slot across midnight is not supported"
    ]


@pytest.mark.parametrize("option", ["--start", "--end"])
def test_run_refuses_a_bad_time_in_one_line(tmp_path, option):
    result = atelier_timer_cmd("run", "codev", option, "noon", "--state-dir", str(tmp_path), cwd=tmp_path)
    assert_clean_failure(result)
    assert len(result.stderr.splitlines()) == 1 and option in result.stderr and "'noon'" in result.stderr


def test_run_refuses_an_end_already_past_in_one_line(tmp_path):
    now = datetime.now()
    if now.hour == 0 and now.minute < 3:
        pytest.skip("no earlier time today")
    past = now - timedelta(minutes=2)
    result = atelier_timer_cmd("run", "codev", "--end", f"{past:%H:%M}", "--state-dir", str(tmp_path), cwd=tmp_path)
    assert_clean_failure(result)
    assert len(result.stderr.splitlines()) == 1
    assert f"the slot's end {past:%H:%M} has already passed" in result.stderr
    assert not (tmp_path / "sessions").exists(), "nothing recorded"


def test_check_places_a_schedule_across_midnight(tmp_path):
    (tmp_path / "a.yaml").write_text(SCHEDULED.replace('"10:20"', '"00:20"'), encoding="utf-8")
    result = atelier_timer_cmd("check", "a.yaml", cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.startswith("a.yaml:2:32: error: schedule.end 00:20 is not after schedule.start 09:30")


def test_sessions_shows_the_slot(tmp_path):
    start = datetime.now().replace(hour=14, minute=0, second=0, microsecond=0).timestamp()
    Journal.create(tmp_path, SCHEDULED, "a.yaml", "a", start, Slot(start, start + 3600).to_dict()).close()
    Journal.create(tmp_path, SCHEDULED, "a.yaml", "b", start + 1, None).close()
    result = atelier_timer_cmd("sessions", "--state-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with_slot, without = result.stdout.splitlines()
    assert "14:00 → 15:00" in with_slot and with_slot.endswith("Atelier")
    assert "→" not in without and without.endswith("Atelier")
