"""Textual's Linux and macOS driver, with one reader of the terminal across a stop and a continue.

Textual's ``LinuxDriver`` restarts application mode at every SIGCONT (8.x). After its own suspension
(Ctrl+Z: SIGTSTP, then ``fg``) that is right: the suspension stopped its reader and writer threads.
After a plain ``kill -STOP`` / ``kill -CONT`` nothing was stopped, so a second input thread and a
second writer start beside the first: two threads race for the keys (notes lose letters) and the
writer left running keeps the process from exiting (``q``, ``y`` hangs, SIGTERM too). Here a continue
that was not preceded by a suspension keeps the threads it has: it puts the terminal back in the
app's mode (a shell may have reset it) and redraws the screen. Keys typed while the program was
stopped wait in the terminal and are read once, in order, when it continues; as one burst, though, so
``Escape`` then a key typed meanwhile reads as Alt+key (their timing, which tells them apart, is lost).

It leans on names of Textual's driver that are not public (``_sigcont_application``,
``_auto_restart``, ``_key_thread``, ``_patch_lflag``, ``_patch_iflag``); ``tests/unit/test_driver.py``
fails loudly when a Textual release changes them, and pyproject.toml pins the range it was checked on.
"""

from __future__ import annotations

import asyncio
import termios
import tty
from functools import partial

from textual.drivers.linux_driver import LinuxDriver


class OneReaderDriver(LinuxDriver):
    """``LinuxDriver``, where only a continue after a suspension starts application mode again."""

    _suspended = False

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()
        self._suspended = False

    def suspend_application_mode(self) -> None:
        self._suspended = True
        super().suspend_application_mode()

    def _sigcont_application(self, *_) -> None:
        if self._suspended or self._key_thread is None or not self._key_thread.is_alive():
            super()._sigcont_application()  # back from Ctrl+Z: Textual starts the mode again
        elif self._auto_restart:
            self._continued()

    def _continued(self) -> None:
        """Continued without a suspension: the same threads, the terminal in the app's mode, a full redraw."""
        try:
            attributes = termios.tcgetattr(self.fileno)
            attributes[tty.LFLAG] = self._patch_lflag(attributes[tty.LFLAG])
            attributes[tty.IFLAG] = self._patch_iflag(attributes[tty.IFLAG])
            attributes[tty.CC][termios.VMIN] = 1
            termios.tcsetattr(self.fileno, termios.TCSANOW, attributes)
        except termios.error:  # no terminal (stdin redirected): nothing to put back
            pass
        self._loop.call_soon_threadsafe(partial(self._app.refresh, layout=True))  # a shell may have drawn over it
