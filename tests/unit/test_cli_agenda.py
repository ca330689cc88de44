"""The agenda commands, through their real entry points: ``python -m atelier_timer`` and the console script."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import atelier_timer
from atelier_timer.agenda import bundled_agendas
from atelier_timer.cli import COMMANDS

# Subprocesses import the same atelier_timer as these tests, checkout or installed wheel.
ENV = {**os.environ, "PYTHONPATH": str(Path(atelier_timer.__file__).resolve().parents[1]), "COLUMNS": "100"}
SCRIPT = Path(sys.executable).with_name("atelier-timer")
ENTRY_POINTS = {
    "python -m": [sys.executable, "-m", "atelier_timer"],
    "console script": [str(SCRIPT)],
}


def atelier_timer_cmd(*args: str, cwd: Path, entry: str = "python -m") -> subprocess.CompletedProcess[str]:
    if not Path(ENTRY_POINTS[entry][0]).exists():
        pytest.skip("the atelier-timer script is not installed beside this Python")
    return subprocess.run(
        [*ENTRY_POINTS[entry], *args], cwd=cwd, env=ENV, capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_plan_codev_as_json(tmp_path, entry):
    result = atelier_timer_cmd("plan", "codev", "--start", "14:00", "--format", "json", cwd=tmp_path, entry=entry)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert {"title", "total_seconds", "start", "end", "steps"} <= set(plan)
    assert (plan["start"], plan["end"], plan["total_seconds"]) == ("14:00", "15:00", 3600)
    assert [step["duration_seconds"] for step in plan["steps"]] == [600, 600, 600, 1500, 300]
    assert [(step["start"], step["end"]) for step in plan["steps"]] == [
        ("14:00", "14:10"),
        ("14:10", "14:20"),
        ("14:20", "14:30"),
        ("14:30", "14:55"),
        ("14:55", "15:00"),
    ]
    assert all({"title", "speaker"} <= set(step) for step in plan["steps"])
    intro_and_round = plan["steps"][0]["turns"]
    assert [turn["name"] for turn in intro_and_round] == [
        "Le cadre (animation)", "Équipe de la startup d'État", "Coach 1", "Coach 2", "Coach 3"
    ]
    assert [turn["duration_seconds"] for turn in intro_and_round] == [240, 90, 90, 90, 90]
    assert (intro_and_round[1]["start"], intro_and_round[-1]["end"]) == ("14:04", "14:10")
    assert "turns" not in plan["steps"][1]
    assert [step.get("turns_share") for step in plan["steps"]] == ["shared", None, None, "shared", None]


def test_plan_temoignages_shows_the_testimonies_and_the_exchanges(tmp_path):
    result = atelier_timer_cmd("plan", "temoignages", "--start", "9:30", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("7 min") == 3
    assert "30 min" in result.stdout and "Prénom (designer)" in result.stdout
    assert "09:30" in result.stdout and "10:30" in result.stdout and "Total 60 min" in result.stdout


def test_plan_as_markdown(tmp_path):
    result = atelier_timer_cmd("plan", "temoignages", "--start", "14h", "--format", "markdown", cwd=tmp_path)
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 4 + 3  # the steps, and the three testimonies under theirs
    assert rows[2].startswith("| 1 | 14:00 | 14:05 | 5 min |")
    assert rows[4] == "|  | 14:05 | 14:12 | 7 min | ↳ Prénom (intra) |"
    assert "14:00 → 15:00" in result.stdout


def test_plan_starts_now_by_default(tmp_path):
    before = datetime.now().replace(second=0, microsecond=0)
    result = atelier_timer_cmd("plan", "codev", "--format", "json", cwd=tmp_path)
    after = datetime.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    start = json.loads(result.stdout)["start"]
    assert start in {f"{before:%H:%M}", f"{before + timedelta(minutes=1):%H:%M}", f"{after:%H:%M}"}


@pytest.mark.parametrize("start", ["25:00", "14:60", "noon", "14:0"])
def test_plan_refuses_a_bad_start_in_one_line(tmp_path, start):
    result = atelier_timer_cmd("plan", "codev", "--start", start, cwd=tmp_path)
    assert_clean_failure(result)
    assert len(result.stderr.splitlines()) == 1 and "--start" in result.stderr


def test_list_shows_the_bundled_agendas_with_their_totals(tmp_path):
    result = atelier_timer_cmd("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = {line.split()[0]: line for line in lines}
    assert list(listed) == ["1-2-4-all", "codev-6-etapes", "codev", "temoignages", "troika"]
    assert "60 min" in listed["codev"] and "60 min" in listed["temoignages"]
    assert "co-développement" in listed["codev"] and "5 steps" in listed["codev"]
    assert "90 min" in listed["codev-6-etapes"] and "30 min" in listed["troika"] and "12 min" in listed["1-2-4-all"]


@pytest.mark.parametrize("source", ["codev", "temoignages"])
def test_new_writes_a_copy_that_checks_and_is_never_overwritten(tmp_path, source):
    result = atelier_timer_cmd("new", "mon-atelier.yaml", "--from", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "mon-atelier.yaml"
    assert copy.read_text(encoding="utf-8") == bundled_agendas()[source].read_text(encoding="utf-8")
    assert atelier_timer_cmd("check", "mon-atelier.yaml", cwd=tmp_path).returncode == 0

    copy.write_text("title: mine\n", encoding="utf-8")
    again = atelier_timer_cmd("new", "mon-atelier.yaml", cwd=tmp_path)
    assert_clean_failure(again)
    assert "existe déjà" in again.stderr  # in the agenda's language
    assert copy.read_text(encoding="utf-8") == "title: mine\n"
    assert [path.name for path in tmp_path.iterdir()] == ["mon-atelier.yaml"], "no temporary file left"


def test_new_into_a_missing_folder(tmp_path):
    assert_clean_failure(atelier_timer_cmd("new", "nowhere/a.yaml", cwd=tmp_path))


def test_check_accepts_the_bundled_agendas(tmp_path):
    paths = [str(path) for path in bundled_agendas().values()]
    result = atelier_timer_cmd("check", *paths, "codev", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == len(paths) + 1 and result.stderr == ""


BROKEN = {
    "unknown-key.yaml": ("title: A\nsteps:\n  - title: Intro\n    duraton: 10\n", "unknown-key.yaml:4:5: error:"),
    "zero.yaml": ("title: A\nsteps:\n  - {title: Intro, duration: 0}\n", "zero.yaml:3:30: error:"),
    "syntax.yaml": ("title: A\nsteps:\n  - {title: Intro, duration: 10\n", "syntax.yaml:4:1: error:"),
    "duplicate.yaml": ("title: A\ntitle: B\nsteps:\n  - {title: Intro, duration: 10}\n", "duplicate.yaml:2:1: error:"),
    "bomb.yaml": ("a: &a [x, x]\nb: [*a, *a]\n", "bomb.yaml:2:5: error:"),
    "latin1.yaml": ("title: Café\n".encode("latin-1"), "latin1.yaml:1:11: error:"),
    "binary.yaml": (b"\x00\x01\x02", "binary.yaml:1:1: error:"),
    "empty.yaml": ("", "empty.yaml:1:1: error:"),
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("command", [["check"], ["plan", "--start", "14:00"]])
def test_broken_files_exit_2_naming_file_and_line(tmp_path, name, command):
    content, place = BROKEN[name]
    (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = atelier_timer_cmd(*command, name, cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.startswith(place), result.stderr
    assert result.stdout == ""


def test_check_reports_every_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("title: A\nsteps: []\n", encoding="utf-8")
    result = atelier_timer_cmd("check", "codev", "bad.yaml", "missing.yaml", str(tmp_path), cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stdout.startswith("codev: ok")
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()] == [
        "bad.yaml:2:8",
        "missing.yaml:1:1",
        f"{tmp_path}:1:1",
    ]


def test_a_python_tag_runs_nothing(tmp_path):
    (tmp_path / "evil.yaml").write_text('title: !!python/object/apply:os.system ["touch pwned"]\nsteps: []\n', encoding="utf-8")
    result = atelier_timer_cmd("check", "evil.yaml", cwd=tmp_path)
    assert_clean_failure(result)
    assert "evil.yaml:1:8: error: the tag !!python/object/apply:os.system is not allowed" in result.stderr
    assert not (tmp_path / "pwned").exists()


def test_schema_prints_the_json_schema(tmp_path):
    result = atelier_timer_cmd("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["title", "steps"]


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("check", []),
        ("plan", ["--start", "--format"]),
        ("new", ["--from"]),
        ("import", ["--output", "consigne", "Markdown"]),
        ("list", []),
        ("schema", []),
        ("run", ["--lang", "--notes-dir", "--state-dir", "--sound", "--volume", "--no-bell"]),
        ("resume", ["--lang", "--notes-dir", "--state-dir", "--sound", "--volume", "--no-bell"]),
        ("sessions", ["--lang", "--state-dir"]),
        ("export", ["--lang", "--state-dir", "-o"]),
        ("follow", ["--lang", "--state-dir"]),
        ("serve", ["--lang", "--state-dir", "--host", "--port"]),
    ],
)
def test_every_command_has_help(tmp_path, command, options):
    result = atelier_timer_cmd(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: atelier-timer {command}")
    description = result.stdout.split("\n\n")[1]
    assert len(description) > 30, description
    for option in options:
        assert option in result.stdout


def test_top_level_help_lists_the_commands(tmp_path):
    result = atelier_timer_cmd("--help", cwd=tmp_path)
    assert result.returncode == 0
    # the same as those `atelier-timer NAME` takes for a command rather than an agenda
    assert re.findall(r"^    (\S+) ", result.stdout, re.M) == list(COMMANDS)


def test_usage_errors_exit_2(tmp_path):
    assert_clean_failure(atelier_timer_cmd("check", cwd=tmp_path))
    assert_clean_failure(atelier_timer_cmd("plan", "codev", "--format", "pdf", cwd=tmp_path))
    typo = atelier_timer_cmd("chek", "codev", cwd=tmp_path)
    assert_clean_failure(typo)
    assert "did you mean 'check'?" in typo.stderr
    loud = atelier_timer_cmd("run", "--volume", "120", cwd=tmp_path)
    assert_clean_failure(loud)
    assert "argument --volume: must be a whole number from 0 to 100, not '120'" in loud.stderr


def test_main_returns_the_exit_code(capsys):
    from atelier_timer.cli import main

    assert main(["check", "codev"]) == 0
    assert main(["check", "no-such-agenda"]) == 2
    assert main(["check"]) == 2
    assert main(["plan", "--help"]) == 0
    captured = capsys.readouterr()
    assert "codev: ok" in captured.out and "no-such-agenda:1:1: error:" in captured.err


def test_version(tmp_path):
    result = atelier_timer_cmd("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"atelier-timer {atelier_timer.__version__}"


# --------------------------------------------------------------------------------------------------
# Hostile agenda files, through the installed command

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def hostile_files(folder: Path) -> dict[str, Path]:
    """One file for each way an agenda can attack the command that reads it."""
    one_step = "title: A\nsteps:\n  - title: Intro\n    duration: {}\n"
    roles = "".join(f"  role{i:04d}x: R\n" for i in range(1000))
    reminders = "".join(f"      rolx{i:04d}e: hi\n" for i in range(1000))
    key = "k" * 20_000
    texts: dict[str, str | bytes] = {
        "digits.yaml": one_step.format("9" * 4301),
        "digits-text.yaml": one_step.format('"' + "9" * 4301 + 'm"'),
        "roles.yaml": f"title: A\nroles:\n{roles}steps:\n  - title: A\n    duration: 5\n    reminders:\n{reminders}",
        "long-keys.yaml": f"title: A\nroles:\n  ? {key}\n  : R\nsteps:\n  - title: A\n    duration: 5\n"
        f"    reminders:\n      ? {key}x\n      : x\n",
        "many-errors.yaml": "title: A\nsteps:\n" + "  - tite: x\n    duration: 0\n" * 2000,
        "escapes.yaml": 'title: "\\e]0;pwned\\a\\e[2J"\nsteps:\n  - title: A\n    duration: 5\n    "bad\\nkey\\e[2J": 1\n',
        "brackets.yaml": "title: " + "[" * 60_000 + "\n",
        "unclosed.yaml": "title: '" + "x\n" * 30_000,
        "separator.yaml": "title: A\u2028B\nsteps:\n  - {title: A, duration: 5}\n",
        "merge.yaml": "title: A\nsteps:\n  - <<: {title: A}\n    duration: 5\n",
        "anchor.yaml": "title: &a A\nsteps: &a\n  - {title: A, duration: 5}\n",
        "tags.yaml": "title: !!python/object/apply:os.system [true]\nsteps: !custom []\n",
        "utf32.yaml": "title: A\nsteps:\n  - {title: A, duration: 5}\n".encode("utf-32"),
        "binary.yaml": bytes(range(256)) * 64,
        "empty-keys.yaml": "'': 1\ntitle: A\nsteps:\n  - {'': 2, title: A, duration: 5}\n",
        "too-large.yaml": "title: A\n" + "#" * 10_000_000,
        "nan.yaml": "title: A\nsteps:\n  - {title: A, duration: .nan}\n  - {title: B, duration: -.inf}\n",
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / name
        paths[name].write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (folder / "zero.yaml").symlink_to("/dev/zero")
    paths["zero.yaml"] = folder / "zero.yaml"
    if hasattr(os, "mkfifo"):  # where the platform has named pipes
        os.mkfifo(folder / "fifo.yaml")
        paths["fifo.yaml"] = folder / "fifo.yaml"
    return paths


def test_hostile_files_get_located_one_line_errors(tmp_path):
    """Each is refused in a few located lines, never a traceback (how fast: benchmarks/hostile_agendas.py)."""
    for name in hostile_files(tmp_path):
        result = atelier_timer_cmd("check", name, cwd=tmp_path, entry="console script")
        assert_clean_failure(result)
        lines = result.stderr.splitlines()
        assert 1 <= len(lines) <= 21 and len(result.stderr) < 8000, (name, result.stderr[:500])
        assert all(line.startswith(f"{name}:") and re.match(r"[^:]+:\d+:\d+: error: \S", line) for line in lines), lines
        assert not UNSAFE.search(result.stderr), (name, result.stderr)


@pytest.mark.parametrize(
    "command", [["check"], ["plan", "--start", "14:00"], ["plan", "--format", "json"], ["run", "--state-dir", "state"]]
)
def test_4301_digits_are_one_located_line_in_every_command(tmp_path, command):
    (tmp_path / "digits.yaml").write_text("title: A\nsteps:\n  - title: Intro\n    duration: " + "9" * 4301 + "\n")
    result = atelier_timer_cmd(*command, "digits.yaml", cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr == "digits.yaml:4:15: error: step 1: duration must be at most 24 hours, not '" + "9" * 39 + "…'\n"


ESCAPES = (
    'title: "\\e]0;pwned\\a\\e[2J[/oops] [bold]x"\n'
    'steps:\n  - title: "\\e[31mred\\n\\u202e\\x9b2J"\n    duration: 5\n    speaker: "[link=http://x]y\\u2028z"\n'
)


@pytest.mark.parametrize("output", ["table", "markdown", "json"])
def test_plan_shows_untrusted_titles_escaped(tmp_path, output):
    (tmp_path / "escapes.yaml").write_text(ESCAPES, encoding="utf-8")
    result = atelier_timer_cmd("plan", "escapes.yaml", "--start", "14:00", "--format", output, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not UNSAFE.search(result.stdout), result.stdout
    if output == "json":
        plan = json.loads(result.stdout)  # still the same JSON values, only escaped
        assert plan["title"] == "\x1b]0;pwned\x07\x1b[2J[/oops] [bold]x"
        assert plan["steps"][0]["title"] == "\x1b[31mred\n\u202e\x9b2J"
    else:
        assert "\\x1b]0;pwned\\x07\\x1b[2J[/oops] [bold]x" in result.stdout  # no Rich markup read either
        assert "\\x1b[31mred" in result.stdout and "\\u202e\\x9b2J" in result.stdout and "[link=http://x]y\\u2028z" in result.stdout


def test_check_says_ok_with_the_name_escaped(tmp_path):
    name = "a\x1b[2J.yaml"
    (tmp_path / name).write_text("title: A\nsteps:\n  - {title: A, duration: 5}\n", encoding="utf-8")
    result = atelier_timer_cmd("check", name, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("a\\x1b[2J.yaml: ok"), result


# --------------------------------------------------------------------------------------------------
# import

IMPORT_TABLES = Path(__file__).parent / "golden" / "import"


def test_import_writes_an_agenda_beside_the_table_that_checks_and_plans(tmp_path):
    (tmp_path / "plan.csv").write_bytes((IMPORT_TABLES / "atelier-fr.csv").read_bytes())
    result = atelier_timer_cmd("import", "plan.csv", cwd=tmp_path, entry="console script")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("plan.yaml écrit : 4 étapes")  # the table's columns were French
    assert atelier_timer_cmd("check", "plan.yaml", cwd=tmp_path).stdout.startswith("plan.yaml: ok — 4 steps")
    plan = json.loads(atelier_timer_cmd("plan", "plan.yaml", "--start", "14:00", "--format", "json", cwd=tmp_path).stdout)
    assert [step["title"] for step in plan["steps"]] == ["Accueil", "Tour de table", "Pause", "Clôture"]
    again = atelier_timer_cmd("import", "plan.csv", cwd=tmp_path)
    assert_clean_failure(again)
    assert again.stderr == ("plan.yaml : existe déjà ; pas écrasé (choisissez un autre nom avec -o)\n")


def test_import_to_a_chosen_path(tmp_path):
    (tmp_path / "plan.md").write_bytes((IMPORT_TABLES / "temoignages.md").read_bytes())
    result = atelier_timer_cmd("import", "plan.md", "-o", "acte1.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "title: \"Atelier impact : acte 1\"" in (tmp_path / "acte1.yaml").read_text(encoding="utf-8")


def test_import_names_bad_rows_and_writes_nothing(tmp_path):
    (tmp_path / "plan.csv").write_text("titre;durée\nAccueil;10\nPause;dix\n;5\n", encoding="utf-8")
    result = atelier_timer_cmd("import", "plan.csv", cwd=tmp_path)
    assert_clean_failure(result)
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()] == ["plan.csv:3:1", "plan.csv:4:1"]
    assert not (tmp_path / "plan.yaml").exists()


@pytest.mark.parametrize("target", ["missing.csv", "folder"])
def test_import_refuses_what_is_not_a_table(tmp_path, target):
    (tmp_path / "folder").mkdir()
    result = atelier_timer_cmd("import", target, "-o", "out.yaml", cwd=tmp_path)
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{target}:1:1: error: ") and not (tmp_path / "out.yaml").exists()
