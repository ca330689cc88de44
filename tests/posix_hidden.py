"""The POSIX-only modules and names, hidden before atelier_timer is imported: ``ATELIER_TIMER_HIDE_POSIX=1``.

Windows has none of them, so with them gone the unit and Pilot suites run the paths every platform
takes (``.ci/run`` runs them a second time so). ``termios`` stays: Textual imports its Linux driver as
it builds any app, even one run by Pilot on its headless driver.
"""

from __future__ import annotations

import os
import signal
import sys

ENV = "ATELIER_TIMER_HIDE_POSIX"
MODULES = ("fcntl", "grp", "pwd", "resource")
OS_NAMES = ("mkfifo", "mknod", "pread", "pwrite", "lockf", "O_NOFOLLOW", "killpg", "getpgid", "setsid", "fork")
SIGNAL_NAMES = ("SIGHUP", "SIGQUIT", "SIGTSTP", "SIGCONT", "SIGSTOP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGKILL")


def hidden() -> bool:
    return os.environ.get(ENV) == "1"


def hide() -> None:
    """Make ``import fcntl`` fail and the POSIX-only names of ``os`` and ``signal`` disappear."""
    for name in MODULES:
        sys.modules[name] = None  # type: ignore[assignment]  # import now raises ImportError
    for module, names in ((os, OS_NAMES), (signal, SIGNAL_NAMES)):
        for name in names:
            if hasattr(module, name):
                delattr(module, name)
