"""The command line's parser: a start-up builds only the subcommand named, and it reads its arguments
exactly as the full parser does (the same values and defaults, the same usage errors and help)."""

from __future__ import annotations

import pytest

from atelier_timer.cli import COMMANDS, build_parser, cmd_run

# For each command, argument lists that set every option, leave them to their defaults, or get them wrong.
READINGS: dict[str, list[list[str]]] = {
    "run": [
        [],
        ["codev", "--lang", "en", "--state-dir", "s", "--notes-dir", "n", "--sound", "bell", "--volume", "50"],
        ["mine.yaml", "--start", "9:00", "--end", "10h", "--theme", "light", "--no-bell"],
        ["--la", "en"],
        ["--volume", "120"],
        ["--sound", "on", "--no-bell"],
        ["--lang", "de"],
        ["a", "b"],
        ["--bogus"],
    ],
    "check": [["codev", "x.yaml"], []],
    "plan": [["codev"], ["codev", "--format", "json", "--end", "15:00"], ["codev", "--format", "pdf"]],
    "new": [["x.yaml"], ["x.yaml", "--from", "temoignages"], ["x.yaml", "--from", "nope"]],
    "import": [["t.csv"], ["t.csv", "-o", "x.yaml"], []],
    "list": [[], ["extra"]],
    "schema": [[]],
    "resume": [[], ["abc", "--no-bell", "--theme", "contrast", "--volume", "0"], ["--sound", "loud"]],
    "sessions": [[], ["--state-dir", "s", "--lang", "fr"]],
    "export": [[], ["abc", "-o", "f.md", "--notes-dir", "n"]],
    "stats": [[], ["codev", "--format", "csv", "--suggest", "f.yaml"]],
    "follow": [[], ["abc", "--lang", "en", "--theme", "dark"], ["--theme", "blue"]],
    "serve": [[], ["abc", "--host", "0.0.0.0", "--port", "9000", "--terminal"], ["--port", "x"]],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_one_command_s_parser_reads_as_the_full_parser(command, capsys):
    def reading(parser, arguments):
        try:
            return vars(parser.parse_args(arguments))
        except SystemExit as exit_:  # a usage error or the help: what was printed, and the exit code
            return exit_.code, capsys.readouterr()

    for tail in [*READINGS[command], ["--help"]]:
        arguments = [command, *tail]
        assert reading(build_parser(only=command), arguments) == reading(build_parser(), arguments), arguments


def test_the_defaults_are_those_the_help_gives():
    assert vars(build_parser(only="run").parse_args(["run"])) == {
        "command": "run",
        "handler": cmd_run,
        "agenda": "codev",
        "lang": None,
        "state_dir": None,
        "notes_dir": "atelier-notes",
        "sound": None,
        "volume": None,
        "start": None,
        "end": None,
        "theme": None,
    }
