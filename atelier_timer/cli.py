"""The ``atelier-timer`` command: one ``add_parser`` and one ``cmd_*`` function per subcommand.

Only the commands that open a screen import Textual, inside their ``cmd_*`` function, so that
``check``, ``plan`` and the others start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from atelier_timer import __version__
from atelier_timer.agenda import (
    TIME_OF_DAY_FORMS,
    Agenda,
    AgendaError,
    bundled_agendas,
    load_agenda,
    parse_agenda,
    parse_time_of_day,
    read_agenda_source,
    schema_text,
)
from atelier_timer.config import LANGUAGES, SOUND_MODES, THEME_NAMES, volume_of
from atelier_timer.errors import AtelierError
from atelier_timer.files import NoFolder, write_new
from atelier_timer.keys import KeymapError
from atelier_timer.safetext import json_safe, printable
from atelier_timer.session import Slot, SlotError, check_slot
from atelier_timer.texts import duration_words, reason, time_of_day

if TYPE_CHECKING:
    from atelier_timer.stats import AgendaStats

PROG = "atelier-timer"


def _say(language: str | None):
    """The command line's words in the screen's language: ``--lang``, else the agenda's, else the locale."""
    from atelier_timer.i18n import UI_STRINGS, Translator, choose_language

    return Translator(UI_STRINGS, choose_language(None, language))


DEFAULT_AGENDA = "codev"
COMMANDS = ("run", "check", "plan", "new", "import", "list", "schema", "resume", "sessions", "export", "stats", "follow", "serve")
"""The subcommands, in the order ``--help`` lists them (build_parser builds each)."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 runtime failure, 2 bad input or usage)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a non-UTF-8 terminal gets "?" rather than a crash
            stream.reconfigure(errors="replace")
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        arguments = _with_default_command(arguments)
        command = arguments[0] if arguments[0] in COMMANDS else None  # None: --help or --version
        args = build_parser(only=command).parse_args(arguments)
        if args.handler not in (cmd_run, cmd_resume, cmd_follow):
            gc.enable()  # off for a screen's start-up only (atelier_timer.__main__); the app turns it on after
        return args.handler(args)
    except SystemExit as exit_:  # argparse's usage errors (2) and --help (0)
        return exit_.code if isinstance(exit_.code, int) else 2
    except KeymapError as error:  # already "CONFIG: error: keys.ID: ..."
        print(error, file=sys.stderr)
        return 2
    except AtelierError as error:  # every command's bad input and refusals, said here only
        print(error.said_by(f"{PROG} {arguments[0]}"), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `atelier-timer schema | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _with_default_command(arguments: list[str]) -> list[str]:
    """``atelier-timer``, ``atelier-timer AGENDA`` and ``atelier-timer --lang en`` mean ``run``."""
    if not arguments:
        return ["run"]
    first = arguments[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return arguments
    if not first.startswith("-"):
        close = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.75)
        if close and not Path(first).exists() and first not in bundled_agendas():
            build_parser().error(f"unknown command '{first}' (did you mean '{close[0]}'?)")
    return ["run", *arguments]


# --------------------------------------------------------------------------------------------------
# The parser


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line: every subcommand with its options and its ``cmd_*`` handler.

    With ``only``, that one subcommand, which reads its arguments exactly as in the full parser: a
    command needs no other, and building all thirteen took 6 ms of the timer's start-up, one 2 ms.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "A full-screen timer for workshop facilitators. With no command, runs the timer on the "
            f"bundled co-development agenda ({DEFAULT_AGENDA}); `{PROG} AGENDA` is short for `{PROG} run AGENDA`."
        ),
        # shown by `atelier-timer --help` alone, which builds the full parser: the folder is listed for it only
        epilog=None if only else f"Bundled agendas: {', '.join(bundled_agendas()) or 'none'}. `{PROG} COMMAND --help` tells more.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def add(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        summary: str,
        description: str,
        shared: tuple[Callable[[argparse.ArgumentParser], None], ...] = (),
    ) -> argparse.ArgumentParser | None:
        """The subcommand's parser with its ``shared`` options; None when ``only`` names another."""
        if only not in (None, name):
            return None
        command = commands.add_parser(name, help=summary, description=description)
        for add_options in shared:
            add_options(command)
        command.set_defaults(command=name, handler=handler)
        return command

    run = add(
        "run",
        cmd_run,
        "run the full-screen timer on an agenda",
        "Open the full-screen timer on AGENDA (a YAML file or a bundled name). It starts paused on the "
        "first step: press space to start, ? for every key. With a slot (--start, --end, or the agenda's "
        "schedule), the planned end is the slot's end (else its start plus the agenda's total), and "
        "before the start the screen counts down to it.",
        (_sessions_options, _timer_options, _slot_options, _screen_options),
    )
    if run:
        run.add_argument(
            "agenda", nargs="?", default=DEFAULT_AGENDA, metavar="AGENDA", help=f"file or bundled name (default: {DEFAULT_AGENDA})"
        )

    check = add(
        "check",
        cmd_check,
        "validate agenda files",
        "Validate agenda files and print every problem as PATH:LINE:COL: error: MESSAGE. "
        "Exit status 0 when all are valid, 2 otherwise.",
    )
    if check:
        check.add_argument("agendas", nargs="+", metavar="AGENDA", help="file or bundled name")

    plan = add(
        "plan",
        cmd_plan,
        "show the schedule of an agenda",
        "Show each step of AGENDA with its start and end time, its duration and the total. With --end "
        "alone, the schedule works backwards from the end; with --start and --end, it says how much the "
        "agenda overruns the slot or leaves free. Without either, the agenda's schedule, else now.",
        (_slot_options,),
    )
    if plan:
        plan.add_argument("agenda", metavar="AGENDA", help="file or bundled name")
        plan.add_argument(
            "--format", choices=("table", "markdown", "json"), default="table", help="output format (default: table)"
        )

    new = add(
        "new",
        cmd_new,
        "write an editable copy of a bundled agenda",
        "Write an editable copy of a bundled agenda to PATH. An existing file is never overwritten.",
    )
    if new:
        new.add_argument("path", metavar="PATH", help="the new agenda file, e.g. mon-atelier.yaml")
        new.add_argument(
            "--from",
            dest="source",
            choices=sorted(bundled_agendas()),
            default=DEFAULT_AGENDA,
            help=f"the bundled agenda to copy (default: {DEFAULT_AGENDA})",
        )

    imported = add(
        "import",
        cmd_import,
        "make an agenda from a spreadsheet or a Markdown table",
        "Read a table of steps, one row each, and write it as a YAML agenda: CSV (with commas, or "
        "semicolons as French spreadsheets write it), TSV pasted from a spreadsheet, or a Markdown "
        "table. Its header names the columns title, duration, speaker, prompt (or titre, durée, "
        "intervenant, consigne; any case, accents optional); a Markdown '# heading' gives the title, "
        "else the file's name. Bad rows are named by line and nothing is written. An existing file "
        "is never overwritten.",
    )
    if imported:
        imported.add_argument("file", metavar="FILE", help="the table: .csv, .tsv, .txt or .md")
        imported.add_argument("-o", "--output", metavar="PATH", help="the agenda to write (default: FILE's name with .yaml)")

    add("list", cmd_list, "list the bundled agendas", "List the bundled agendas: name, number of steps, total, title.")

    add(
        "schema",
        cmd_schema,
        "print the JSON Schema of agenda files",
        "Print the JSON Schema (draft 2020-12) of agenda files. Save it next to your agendas "
        f"(`{PROG} schema > atelier-timer.schema.json`) so that editors complete and check them.",
    )

    resume = add(
        "resume",
        cmd_resume,
        "reopen an interrupted session",
        "Reopen an interrupted session exactly where it was: step, elapsed times, pause, notes.",
        (_sessions_options, _timer_options, _screen_options),
    )
    if resume:
        resume.add_argument("session", nargs="?", metavar="SESSION", help="session id (default: the latest)")

    add("sessions", cmd_sessions, "list recorded sessions", "List recorded sessions: id, agenda title, start, state.", (_sessions_options,))

    export = add(
        "export",
        cmd_export,
        "write the Markdown notes of a session",
        "Write the Markdown record of a session from its journal.",
        (_sessions_options,),
    )
    if export:
        export.add_argument("session", nargs="?", metavar="SESSION", help="session id (default: the latest)")
        export.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="where to write the Markdown (default: in --notes-dir); with --measures, '-' is the standard output",
        )
        export.add_argument(
            "--measures",
            choices=("csv", "json"),
            help="write the impact measures instead (one row per measure: fields, verdict, points, notes), "
            "to <notes-dir>/<record's name>.measures.csv|json unless -o; never over a file",
        )
        export.add_argument(
            "--notes-dir", metavar="DIR", default="atelier-notes", help="where notes are exported (default: ./atelier-notes)"
        )
        export.add_argument(
            "--post", action="store_true", help="then send it to the Mattermost webhook of your settings file (asks first)"
        )
        export.add_argument("--yes", action="store_true", help="with --post: send without asking (for scripts)")

    stats = add(
        "stats",
        cmd_stats,
        "what past sessions say of each step",
        "For each step of AGENDA (a file or bundled name), across the finished sessions recorded with "
        "its title: the planned time, the median and the 90th percentile of the actual time, how often "
        "it ran over, and the usual delay at its end. Without AGENDA, every agenda recorded, one table "
        "each. With --suggest FILE, write a copy of AGENDA whose durations follow the medians, keeping "
        "the total and the protected steps (never over an existing file).",
        (_sessions_options,),
    )
    if stats:
        stats.add_argument("agenda", nargs="?", metavar="AGENDA", help="file or bundled name (default: every agenda recorded)")
        stats.add_argument(
            "--format", choices=("table", "markdown", "csv", "json"), default="table", help="output format (default: table)"
        )
        stats.add_argument("--suggest", metavar="FILE", help="write a copy of AGENDA with durations from what really happens")

    follow = add(
        "follow",
        cmd_follow,
        "read-only live view of a running session",
        "A read-only live view of a running session, for a second screen.",
        (_sessions_options, _screen_options),
    )
    if follow:
        follow.add_argument("session", nargs="?", metavar="SESSION", help="session id (default: the latest)")

    serve = add(
        "serve",
        cmd_serve,
        "the room's web pages: viewers, and a controller link",
        "Serve a running session to the room's browsers from one process: a read-only viewer page for "
        "everyone, and a controller page on a secret link that drives the running 'run'. "
        "Listens on the loopback interface unless --host says otherwise.",
        (_sessions_options,),
    )
    if serve:
        serve.add_argument("session", nargs="?", metavar="SESSION", help="session id (default: the latest)")
        serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
        serve.add_argument(
            "--name",
            action="append",
            metavar="NAME",
            help="another name the pages are reached by (a proxy's), answered beside the server's own; repeatable",
        )
        serve.add_argument(
            "--terminal", action="store_true", help="serve the terminal view instead (one 'follow' process per browser)"
        )

    return parser


# The options several commands share, each set added to a command's parser by a function (argparse's
# parents= would build one more parser per set at every start).


def _sessions_options(command: argparse.ArgumentParser) -> None:
    """For every command that reads sessions."""
    command.add_argument("--lang", choices=LANGUAGES, help="language of the screen (default: the agenda's)")
    command.add_argument(
        "--state-dir",
        metavar="DIR",
        help="where session journals are kept (default: $ATELIER_TIMER_STATE_DIR, else the user state directory)",
    )


def _timer_options(command: argparse.ArgumentParser) -> None:
    """For the commands that run a timer."""
    command.add_argument(
        "--notes-dir", metavar="DIR", default="atelier-notes", help="where notes are exported (default: ./atelier-notes)"
    )
    ringing = command.add_mutually_exclusive_group()
    ringing.add_argument(
        "--sound",
        choices=SOUND_MODES,
        help="on: chimes through the speakers (the terminal bell where no audio device answers); bell: the "
        "terminal bell only; off: silent (default: the agenda's alerts.sound, else your saved setting, else on)",
    )
    ringing.add_argument("--no-bell", dest="sound", action="store_const", const="off", help="the same as --sound off")
    command.add_argument(
        "--volume", type=_volume, metavar="0-100", help="loudness of the chimes in percent (default: the agenda's, else 80)"
    )


def _slot_options(command: argparse.ArgumentParser) -> None:
    """The booked slot, for run and plan."""
    command.add_argument("--start", metavar="HH:MM", help="when the slot starts (default: the agenda's schedule.start)")
    command.add_argument("--end", metavar="HH:MM", help="when the slot ends (default: the agenda's schedule.end)")


def _screen_options(command: argparse.ArgumentParser) -> None:
    """For the commands that open a screen."""
    command.add_argument(
        "--theme",
        choices=THEME_NAMES,
        help="colours of the screen, remembered for the next start (default: the last one chosen, else dark)",
    )


def state_dir(value: str | None) -> Path:
    """The state directory: ``--state-dir``, else ``$ATELIER_TIMER_STATE_DIR``, else the user state dir."""
    from atelier_timer.journal import default_state_dir

    return Path(value) if value else default_state_dir()


# --------------------------------------------------------------------------------------------------
# The commands


def cmd_check(args: argparse.Namespace) -> int:
    """Validate each agenda: one line on stdout per valid file, every problem on stderr."""
    all_valid = True
    for name in args.agendas:
        try:
            agenda = load_agenda(name)
        except AgendaError as error:
            print(error, file=sys.stderr)
            all_valid = False
            continue
        print(printable(f"{name}: ok — {_steps(agenda)}, {duration_words(agenda.total)}"))
    return 0 if all_valid else 2


def cmd_plan(args: argparse.Namespace) -> int:
    """Print the schedule of an agenda as a table, Markdown or JSON."""
    agenda = load_agenda(args.agenda)
    start, end = slot_times(args, agenda)
    if start is not None and end is not None:
        check_slot(Slot(start.timestamp(), end.timestamp()))  # a plan may be for a slot already past
        schedule = schedule_of(agenda, start, end)
    elif end is not None:  # working backwards from the end
        schedule = schedule_of(agenda, end - timedelta(seconds=agenda.total))
    else:
        schedule = schedule_of(agenda, start or _now_to_the_minute())
    t = _say(agenda.language)
    if args.format == "json":
        print(json_safe(json.dumps(schedule, ensure_ascii=False, indent=2)))
    elif args.format == "markdown":
        print(plan_markdown(schedule, t))
    else:
        _print_plan_table(schedule, t)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a copy of a bundled agenda, never over an existing file."""
    text, _ = read_agenda_source(args.source)
    path = Path(args.path)
    t = _say(load_agenda(args.source).language)
    _write_new_file(path, lambda: text, t)
    print(t("cli.new.wrote", path=path, source=args.source, prog=PROG))
    return 0


def _write_new_file(path: Path, make_text: Callable[[], str], t, exists: str = "cli.exists") -> None:
    """Write ``make_text()`` to a new file, never over one; an ``AtelierError`` saying why it was not."""
    try:
        write_new(path, make_text)
    except FileExistsError:
        raise AtelierError(printable(t(exists, path=path)), located=True) from None
    except NoFolder:
        raise AtelierError(printable(t("cli.no_directory", path=path, folder=path.parent)), located=True) from None
    except OSError as error:
        raise AtelierError(printable(t("cli.cannot_write", path=path, error=reason(error))), exit_code=1, located=True) from None


def cmd_import(args: argparse.Namespace) -> int:
    """Write the agenda read from a table, never over an existing file."""
    from atelier_timer.importer import import_file

    path = Path(args.output) if args.output else Path(args.file).with_suffix(".yaml")
    text = import_file(args.file)  # first: the table's language says the language of what follows
    t = _say(parse_agenda(text, str(path)).language)
    _write_new_file(path, lambda: text, t, exists="cli.exists.import")
    agenda = load_agenda(str(path))
    steps = t("cli.steps" if len(agenda.steps) > 1 else "cli.step", count=len(agenda.steps))
    print(printable(t("cli.import.wrote", path=path, steps=steps, total=duration_words(agenda.total), prog=PROG)))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """One line per bundled agenda: name, steps, total, title."""
    agendas = {name: load_agenda(name) for name in bundled_agendas()}
    width = max((len(name) for name in agendas), default=0)
    for name, agenda in agendas.items():
        steps = _steps(agenda)
        print(f"{name:<{width}}  {steps:>8}  {duration_words(agenda.total):>7}  {printable(agenda.title)}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of agenda files."""
    sys.stdout.write(schema_text())
    return 0


# --------------------------------------------------------------------------------------------------
# Helpers of the commands


def _steps(agenda: Agenda) -> str:
    count = len(agenda.steps)
    return f"{count} step" if count == 1 else f"{count} steps"


def parse_start(value: str) -> datetime | None:
    """Today at the time of day ``value`` ("14:00", "9:05", "14h30", "14h"), or None if it is not one."""
    parsed = parse_time_of_day(value)
    if parsed is None:
        return None
    return datetime.now().replace(hour=parsed[0], minute=parsed[1], second=0, microsecond=0)


def slot_times(args: argparse.Namespace, agenda: Agenda) -> tuple[datetime | None, datetime | None]:
    """Today's start and end of the slot: ``--start`` and ``--end``, else the agenda's ``schedule``."""
    times = []
    for option, value in (("--start", args.start), ("--end", args.end)):
        text = value if value is not None else getattr(agenda.schedule, option[2:])
        parsed = parse_start(text) if text is not None else None
        if text is not None and parsed is None:
            raise SlotError(f"{option} must be {TIME_OF_DAY_FORMS}, not {text!r}")
        times.append(parsed)
    return times[0], times[1]


def run_slot(args: argparse.Namespace, agenda: Agenda) -> Slot | None:
    """The slot a new session runs in, refused when it crosses midnight or its end has passed."""
    start, end = slot_times(args, agenda)
    if start is None and end is None:
        return None
    slot = Slot(start.timestamp() if start else None, end.timestamp() if end else None)
    check_slot(slot, datetime.now().timestamp())
    return slot


def _now_to_the_minute() -> datetime:
    now = datetime.now()
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1 if now.second >= 30 else 0)


def schedule_of(agenda: Agenda, start: datetime, slot_end: datetime | None = None) -> dict:
    """The schedule of ``agenda`` started at ``start``, in the JSON shape of ``plan --format json``.

    With the slot's end, ``slot`` and ``free_seconds`` (negative: the agenda overruns the slot).
    """
    steps = []
    at = start
    for step in agenda.steps:
        end = at + timedelta(seconds=step.duration)
        entry = {
            "title": step.title,
            "duration_seconds": step.duration,
            "start": time_of_day(at),
            "end": time_of_day(end),
            "speaker": step.speaker,
            "protected": step.protected,
        }
        if step.turns:
            entry["turns_share"] = step.turns_share
            entry["turns"] = []
            turn_start = at
            for turn in step.turns:
                turn_end = turn_start + timedelta(seconds=turn.duration)
                entry["turns"].append(
                    {"name": turn.name, "duration_seconds": turn.duration, "start": time_of_day(turn_start), "end": time_of_day(turn_end)}
                )
                turn_start = turn_end
        steps.append(entry)
        at = end
    schedule = {
        "title": agenda.title,
        "total_seconds": agenda.total,
        "start": time_of_day(start),
        "end": time_of_day(at),
        "steps": steps,
    }
    if slot_end is not None:
        schedule["slot"] = {"start": time_of_day(start), "end": time_of_day(slot_end)}
        schedule["free_seconds"] = round((slot_end - at).total_seconds())
    return schedule


def slot_fit(schedule: dict, t) -> str | None:
    """How the agenda fits its slot, in one sentence; None without a slot."""
    if "slot" not in schedule:
        return None
    free, slot = schedule["free_seconds"], f"{schedule['slot']['start']} → {schedule['slot']['end']}"
    if free < 0:
        return t("cli.plan.overruns", slot=slot, time=duration_words(-free))
    if free > 0:
        return t("cli.plan.leaves", slot=slot, time=duration_words(free))
    return t("cli.plan.fills", slot=slot)


def _plan_headers(t) -> list[str]:
    return [t(f"cli.plan.{name}") for name in ("start", "end", "duration", "step", "speaker")]


def plan_markdown(schedule: dict, t) -> str:
    """The schedule as a Markdown table under the agenda's title."""

    def cell(text: str | None) -> str:
        return printable((text or "").replace("|", "\\|").replace("\n", " "))

    with_speakers = any(step["speaker"] for step in schedule["steps"])
    *columns, speaker = _plan_headers(t)
    header = ["#", *columns] + ([speaker] if with_speakers else [])
    rule = ["--:", ":---:", ":---:", "--:", "---"] + (["---"] if with_speakers else [])
    lines = [f"## {cell(schedule['title'])}", "", _row(header), _row(rule)]
    for number, step in enumerate(schedule["steps"], start=1):
        row = [str(number), step["start"], step["end"], duration_words(step["duration_seconds"]), cell(step["title"])]
        lines.append(_row(row + ([cell(step["speaker"])] if with_speakers else [])))
        for turn in step.get("turns", []):
            row = ["", turn["start"], turn["end"], duration_words(turn["duration_seconds"]), f"↳ {cell(turn['name'])}"]
            lines.append(_row(row + ([""] if with_speakers else [])))
    lines += ["", f"**{t('cli.plan.total')} {duration_words(schedule['total_seconds'])}**, {schedule['start']} → {schedule['end']}"]
    fit = slot_fit(schedule, t)
    if fit:
        lines += ["", fit]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _print_plan_table(schedule: dict, t) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def cell(text: str | None) -> Text:  # a Text, not a str: "[bold]" in a title is not Rich markup
        return Text(printable(text or ""))

    table = Table(
        title=cell(schedule["title"]),
        caption=f"{t('cli.plan.total')} {duration_words(schedule['total_seconds'])}, {schedule['start']} → {schedule['end']}",
    )
    start, end, duration, step_, speaker = _plan_headers(t)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(start, no_wrap=True)
    table.add_column(end, no_wrap=True)
    table.add_column(duration, justify="right", no_wrap=True)
    table.add_column(step_, overflow="fold")
    with_speakers = any(step["speaker"] for step in schedule["steps"])
    if with_speakers:
        table.add_column(speaker, overflow="fold")
    for number, step in enumerate(schedule["steps"], start=1):
        row = [str(number), step["start"], step["end"], duration_words(step["duration_seconds"]), cell(step["title"])]
        table.add_row(*row, *([cell(step["speaker"])] if with_speakers else []))
        for turn in step.get("turns", []):
            row = ["", turn["start"], turn["end"], duration_words(turn["duration_seconds"]), cell(f"  ↳ {turn['name']}")]
            table.add_row(*row, *([""] if with_speakers else []), style="dim")
    console = Console()
    console.print(table)
    fit = slot_fit(schedule, t)
    if fit:
        console.print(fit, highlight=False)


# --------------------------------------------------------------------------------------------------
# The commands that run or read sessions


def _volume(text: str) -> int:
    """``--volume``: a whole percentage."""
    volume = volume_of(text)
    if volume is None:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 100, not {text!r}")
    return volume


def _state_dir_of(args: argparse.Namespace) -> Path:
    return state_dir(getattr(args, "state_dir", None))


def _run_app(app) -> int:
    """Run a Textual app; its exit code, or 1 when it failed. What went wrong on the way out is said
    once the terminal is back to normal."""
    app.run()
    for line in getattr(app, "farewell", ()):
        print(line, file=sys.stderr)
    code = app.return_code if app.return_code is not None else 1
    if getattr(app, "last_export", None) is not None and not getattr(app, "read_only", True) and sys.stdin.isatty():
        _offer_post_on_quit(app.last_export, app.lang)
    return code


def _offer_post_on_quit(path: Path, lang: str) -> None:
    """Once the terminal is back: when the settings name a webhook, ask whether to post the record (never
    sent without a yes; a failure is said and changes nothing, the record being written already)."""
    from atelier_timer.config import config_path, load_config
    from atelier_timer.post import BadWebhook, offer_post, webhook_url

    t = _say(lang)
    try:
        url = webhook_url(load_config())
    except BadWebhook as bad:  # said, and nothing sent: the record is in its file already
        print(printable(f"{PROG}: {t('post.bad', config=config_path(), value=str(bad))}"), file=sys.stderr)
        return
    if url is not None:
        offer_post(path, url, t)


def cmd_run(args: argparse.Namespace) -> int:
    """Open the full-screen timer on an agenda, as a new session."""
    from atelier_timer.agenda import parse_agenda

    text, source = read_agenda_source(args.agenda)
    agenda = parse_agenda(text, source)
    slot = run_slot(args, agenda)
    folder = _state_dir_of(args)
    problem = _unwritable_dir(folder)
    if problem:
        raise AtelierError(f"{folder}: error: cannot keep the session journal here: {problem}", located=True)
    from atelier_timer.ui.app import make_app

    app = make_app(
        agenda,
        state_dir=folder,
        source_text=text,
        notes_dir=Path(args.notes_dir),
        lang=args.lang,
        sound=args.sound,
        volume=args.volume,
        slot=slot,
        theme=args.theme,
    )
    return _run_app(app)


def cmd_resume(args: argparse.Namespace) -> int:
    """Reopen an interrupted session where it was; the time the program was away counts if it was running."""
    from atelier_timer.clock import SystemClock
    from atelier_timer.journal import Journal, JournalError, find_session, read_journal
    from atelier_timer.report import session_from_journal

    journal = None
    try:
        latest = args.session is None
        states = ("interrupted", "paused") if latest else None
        path = find_session(_state_dir_of(args), args.session, states=states, live=False if latest else None)
        journal = Journal.reopen(path)  # locked first, and its damaged end set aside, then read
        record = read_journal(path)
        _take_back(record, journal)
        restored = session_from_journal(record, SystemClock())
    except (JournalError, AgendaError) as error:
        if journal is not None:
            journal.close()
        raise _journal_error(error) from None
    from atelier_timer.ui.app import make_app

    app = make_app(
        restored.agenda,
        clock=restored.clock,
        session=restored,
        journal=journal,
        notes_dir=Path(args.notes_dir),
        lang=args.lang,
        sound=args.sound,
        volume=args.volume,
        theme=args.theme,
    )
    restored.mark("reopen", away=round(restored.away, 3), counted=restored.running)
    damage = _damage_lines(record, journal.set_aside)
    if journal.set_aside_lines is not None:
        damage.append(f"{path}: warning: a copy of its damaged lines, each after its number, is in {journal.set_aside_lines}")
    for line in damage:
        print(line, file=sys.stderr)
    if damage:
        app.call_later(app.notify, app.t("journal_damaged", path=str(path)), severity="warning", timeout=12)
    return _run_app(app)


def _journal_error(error: Exception) -> Exception:
    """A journal's error as it is; the agenda a journal holds, refused, as the journal's: its places are
    in no file of the user's, so it is said after the command's name."""
    from atelier_timer.journal import JournalError

    return error if isinstance(error, JournalError) else JournalError(str(error))


def _take_back(record, journal=None) -> None:
    """Merge the session's events kept elsewhere when its disks were full (resume: into the journal, then drop the copies)."""
    from atelier_timer.rescue import take_back

    added, copies = take_back(record)
    if journal is not None and copies:
        for event in added:
            journal.write(event)
        journal.sync()
        for copy in copies:
            copy.unlink(missing_ok=True)
    if added:
        print(f"{record.path}: {len(added)} events taken back from {', '.join(map(str, copies))}", file=sys.stderr)


def _damage_lines(record, set_aside: Path | None = None) -> list[str]:
    """What was skipped of a journal, one line each, for stderr."""
    lines = [record.damage_report()] if record.damage_report() else []
    if set_aside is not None:
        lines.append(f"{record.path}: warning: its damaged end was set aside in {set_aside}; everything before it is kept")
    return lines


def cmd_sessions(args: argparse.Namespace) -> int:
    """List the recorded sessions, oldest first; each unreadable journal named on stderr."""
    from atelier_timer.journal import scan_sessions

    folder = _state_dir_of(args)
    infos, unreadable = scan_sessions(folder)
    for line in unreadable:
        print(line, file=sys.stderr)
    if not infos:
        print(f"no session recorded in {folder}")
        return 0
    width = max(len(info.session_id) for info in infos)
    for info in infos:
        started = datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M")
        last = time_of_day(info.last_event)
        slot = Slot.from_dict(info.slot)
        slot_text = slot.text() if slot else ""
        print(f"{info.session_id:<{width}}  {started}  {last}  {info.state:<11}  {slot_text:<13}  {printable(info.title)}")
        if info.warning:
            print(info.warning, file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the Markdown record of a session from its journal (never over a more complete one)."""
    from atelier_timer.i18n import choose_language
    from atelier_timer.journal import JournalError, find_session, read_journal
    from atelier_timer.report import RecordKept, session_from_journal, write_export

    try:
        record = read_journal(find_session(_state_dir_of(args), args.session))
        _take_back(record)
        session = session_from_journal(record)
    except (JournalError, AgendaError) as error:
        raise _journal_error(error) from None
    for line in _damage_lines(record):
        print(line, file=sys.stderr)
    if args.measures:
        return _export_measures(session, args)
    output = Path(args.output) if args.output else None
    try:
        path = write_export(session, Path(args.notes_dir), choose_language(args.lang, session.agenda.language), output)
    except RecordKept as kept:  # a warning: the more complete record stays where it is
        print(kept, file=sys.stderr)
        path = kept.path
    print(path)
    return _post(path, choose_language(args.lang, session.agenda.language), args.yes) if args.post else 0


def _post(path: Path, lang: str, yes: bool) -> int:
    """``export --post``: the record written, offered to the settings' webhook; 2 when there is none."""
    from atelier_timer.config import config_path, load_config
    from atelier_timer.post import BadWebhook, offer_post, webhook_url

    t = _say(lang)
    try:
        url = webhook_url(load_config())
    except BadWebhook as bad:
        raise AtelierError(printable(t("post.bad", config=config_path(), value=str(bad)))) from None
    if url is None:
        raise AtelierError(t("post.none", config=config_path()))
    return offer_post(path, url, t, yes=yes)


def _export_measures(session, args: argparse.Namespace) -> int:
    """``export --measures csv|json``: the measures table for the team's own tracking, in a new file (or '-')."""
    from atelier_timer import measures
    from atelier_timer.i18n import choose_language
    from atelier_timer.report import export_path

    lang = choose_language(args.lang, session.agenda.language)
    made = measures.rows(session.board, session.notes, lang)
    text = measures.render_csv(made) if args.measures == "csv" else measures.render_json(made)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    if args.output:
        path = Path(args.output)
    else:
        notes_dir = Path(args.notes_dir)
        try:
            notes_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AtelierError(f"{notes_dir}: error: cannot create the notes folder: {reason(error)}", exit_code=1, located=True) from None
        path = notes_dir / f"{export_path(session, notes_dir).stem}.measures.{args.measures}"
    _write_new_file(path, lambda: text, _say(lang), exists="cli.exists.import")
    print(path)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Per-step statistics over the finished sessions; with --suggest, an agenda that follows them."""
    from atelier_timer import stats
    from atelier_timer.i18n import choose_language

    folder = _state_dir_of(args)
    records = stats.finished_records(folder)
    if args.suggest and not args.agenda:
        print(f"{PROG} stats: {_say(args.lang)('cli.stats.suggest_needs')}", file=sys.stderr)
        return 2
    agendas = [load_agenda(args.agenda)] if args.agenda else stats.recorded_agendas(records)
    found = [stats.step_stats(agenda, records) for agenda in agendas]
    found = [entry for entry in found if entry.sessions]
    if not found:
        t = _say(args.lang or (agendas[0].language if args.agenda else None))
        about = t("cli.stats.of", title=printable(agendas[0].title)) if args.agenda else ""
        print(f"{PROG} stats: {t('cli.stats.none', about=about, folder=folder)}", file=sys.stderr)
        return 1
    lang = choose_language(args.lang, found[0].agenda.language)
    if args.format == "json":
        sys.stdout.write(stats.render_json(found))
    elif args.format == "csv":
        sys.stdout.write(stats.render_csv(found))
    elif args.format == "markdown":
        sys.stdout.write(stats.render_markdown_table(found, lang))
    else:
        sys.stdout.write(stats.render_table(found, lang, shutil.get_terminal_size().columns))
    return _write_suggestion(args.agenda, Path(args.suggest), found[0], _say(lang)) if args.suggest else 0


def _write_suggestion(agenda_name: str, path: Path, found: AgendaStats, t) -> int:
    """Write the suggested agenda to ``path``, never over a file; say what changed, on stderr."""
    from atelier_timer.stats import FEW_SESSIONS, suggest_agenda_text, suggested_durations

    durations = suggested_durations(found)
    _write_new_file(path, lambda: suggest_agenda_text(*read_agenda_source(agenda_name), durations), t)
    for step, seconds in zip(found.agenda.steps, durations):
        if seconds != step.duration:
            print(f"  {printable(step.title)}: {duration_words(step.duration)} → {duration_words(seconds)}", file=sys.stderr)
    print(t("cli.stats.wrote", path=path, sessions=found.sessions, prog=PROG), file=sys.stderr)
    if found.sessions < FEW_SESSIONS:
        print(t("cli.stats.few", sessions=found.sessions, few=FEW_SESSIONS), file=sys.stderr)
    return 0


def _unwritable_dir(folder: Path) -> str | None:
    """Why the journal cannot be written in ``folder`` (None when it can)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return reason(error)
    if not os.access(folder, os.W_OK):
        return "not writable"
    return None


def cmd_follow(args: argparse.Namespace) -> int:
    """A read-only live view of a session, for a second screen."""
    from atelier_timer.ui.follow import run_follow

    return run_follow(_state_dir_of(args), args.session, lang=args.lang, theme=args.theme)


def cmd_serve(args: argparse.Namespace) -> int:
    """The room's web pages (or, with --terminal, the terminal view in the browser)."""
    from atelier_timer.serve import run_serve

    return run_serve(
        _state_dir_of(args), args.session, args.host, args.port, lang=args.lang, terminal=args.terminal, names=args.name
    )
