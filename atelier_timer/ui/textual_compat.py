"""Every use of a name Textual does not make public, in one place.

Each is checked by tests/unit/test_textual_compat.py, which fails naming the name when a Textual
release changes it; pyproject.toml pins the range of Textual they were checked on (``>=8.2,<9``).
Whatever Textual offers publicly is used instead everywhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.driver import Driver


def closing(app: App) -> bool:
    """Whether the app is being taken down (``MessagePump._closing``): its widgets may be gone already."""
    return app._closing


def set_first_theme(app: App, name: str) -> None:
    """Set the theme before the first frame without Textual's watcher, which would parse every
    stylesheet a second time once the app runs: nothing is parsed yet, so the stylesheet only needs
    the theme's variables, the app its classes, and its truecolor filter the theme's ANSI colours
    (``App._refresh_truecolor_filter``, as the watcher does)."""
    app.set_reactive(App.theme, name)
    app.stylesheet.set_variables(app.get_css_variables())
    dark = app.current_theme.dark
    app.set_class(dark, "-dark-mode", update=False)
    app.set_class(not dark, "-light-mode", update=False)
    app.add_class(f"-theme-{name}", update=False)
    app._refresh_truecolor_filter(app.ansi_theme)


class FirstResumeKeepsStyles:
    """A screen mixin: Textual restyles a whole screen each time it is resumed; the first resume comes
    right after the mount, which has just styled every node, so that one restyle is skipped (it took 8
    to 12 ms of the first frame). Every later resume, back from a dialog, restyles as usual.

    ``ScreenResume(refresh_styles=False)`` is Textual's own, but no public call makes it.
    """

    _resumed = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._resumed:
            self._resumed = True
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)  # type: ignore[misc]


class Palette(CommandPalette):
    """Textual's command palette, with its own words ("No matches found") in the UI language too: Textual
    writes them in ``CommandPalette._start_no_matches_countdown``, with its timer and option id."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        if not search_value:  # nothing typed: Textual says nothing either
            super()._start_no_matches_countdown(search_value)
            return
        self._stop_no_matches_countdown()

        def say_no_matches() -> None:
            lists = self.query(CommandList)
            if not lists:  # the palette closed (or the app is ending) before the countdown ran out
                return
            words = Align.center(Text(self.app.t("command.no_matches"), style="not bold"))
            lists.first().add_option(Option(words, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, say_no_matches)


def terminal_driver(textuals_choice: Callable[[], type[Driver]]) -> type[Driver]:
    """Textual's driver for this platform (``textuals_choice``: ``App.get_driver_class``), the one below for
    Textual's ``LinuxDriver``; headless on a Python without termios that is not Windows (only Pilot drives it)."""
    try:
        driver = textuals_choice()
    except ImportError:
        from textual.drivers.headless_driver import HeadlessDriver

        return HeadlessDriver
    return OneReaderDriver if LinuxDriver is not None and driver is LinuxDriver else driver


try:  # Textual's Linux and macOS driver; Windows has neither it nor termios
    import termios
    import tty

    from textual.drivers.linux_driver import LinuxDriver
except ImportError:
    LinuxDriver = None  # type: ignore[assignment,misc]
else:

    class OneReaderDriver(LinuxDriver):
        """``LinuxDriver``, where only a continue after a suspension starts application mode again: one
        reader of the terminal across a stop and a continue.

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
        ``_auto_restart``, ``_key_thread``, ``_patch_lflag``, ``_patch_iflag``, ``_app``).
        """

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
