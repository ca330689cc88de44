"""The one kind of error the command line tells the user about: a message and an exit code.

Each part of the core raises its own kind (``AgendaError``, ``JournalError``, ``SlotError``,
``ExportError``, ``StatsError``...), all of them an :class:`AtelierError`; ``cli.main`` prints any of
them in one place, on stderr, and exits with its code: never a traceback for bad input.
"""

from __future__ import annotations


class AtelierError(Exception):
    """Bad input, or a refusal the user can act on: said on stderr, then the program exits ``exit_code``.

    ``located``: the message starts with its place (``FILE:LINE:COL: error: ...``, ``PATH: error: ...``)
    and is said as it is; otherwise after the command's name, ``atelier-timer COMMAND: error: ...``.
    Both may be given for one error, else they are its class's.
    """

    exit_code = 2  # bad input or usage; 1 for a failure at run time
    located = False

    def __init__(self, message: str, *, exit_code: int | None = None, located: bool | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        if located is not None:
            self.located = located

    def said_by(self, command: str) -> str:
        """The line (or lines) the user reads, ``command`` being the program and subcommand that failed."""
        return str(self) if self.located else f"{command}: error: {self}"
