"""ui/textual_compat.py holds every name of Textual's that is not public: each test here fails, naming the
name, when a Textual release renames or reshapes it (then check the code that uses it against that
release, and the pin in pyproject.toml)."""

from __future__ import annotations

import dataclasses
import inspect

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message_pump import MessagePump
from textual.screen import Screen

from atelier_timer.agenda import load_agenda
from atelier_timer.ui import textual_compat
from atelier_timer.ui.app import make_app


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_app_closing_is_still_the_message_pumps_flag():
    assert "self._closing" in inspect.getsource(MessagePump.__init__), "MessagePump._closing is gone"
    assert textual_compat.closing(App()) is False


def test_the_first_theme_is_still_set_as_textuals_watcher_sets_it():
    method = getattr(App, "_refresh_truecolor_filter", None)
    assert callable(method), "App._refresh_truecolor_filter is gone"
    assert parameters(method) == ["self", "theme"], "App._refresh_truecolor_filter takes other arguments"
    watcher = inspect.getsource(App._watch_theme)  # what set_first_theme does in its place
    for step in ("_refresh_truecolor_filter", '"-dark-mode"', '"-light-mode"', "-theme-"):
        assert step in watcher, f"Textual's theme watcher no longer does {step}: set_first_theme must follow"


def test_screen_resume_still_has_refresh_styles_and_the_screen_still_reads_it():
    assert "refresh_styles" in {field.name for field in dataclasses.fields(events.ScreenResume)}, "ScreenResume(refresh_styles) is gone"
    assert "event.refresh_styles" in inspect.getsource(Screen._on_screen_resume), "Screen no longer reads ScreenResume.refresh_styles"


def test_the_palettes_no_matches_countdown_is_still_textuals():
    start = getattr(CommandPalette, "_start_no_matches_countdown", None)
    assert callable(start), "CommandPalette._start_no_matches_countdown is gone"
    assert parameters(start) == ["self", "search_value"], "CommandPalette._start_no_matches_countdown takes other arguments"
    assert callable(getattr(CommandPalette, "_stop_no_matches_countdown", None)), "CommandPalette._stop_no_matches_countdown is gone"
    for name in ("_NO_MATCHES", "_NO_MATCHES_COUNTDOWN"):
        assert hasattr(CommandPalette, name), f"CommandPalette.{name} is gone"
    source = inspect.getsource(CommandPalette)
    for name in ("self._no_matches_timer", "self._list_visible"):
        assert name in source, f"CommandPalette no longer uses {name}"


def test_the_private_names_the_driver_uses_are_still_textuals() -> None:
    for name in ("_sigcont_application", "_sigtstp_application", "_patch_lflag", "_patch_iflag"):
        assert callable(getattr(LinuxDriver, name, None)), f"Textual's LinuxDriver has no {name} any more"
    assert "self._key_thread" in inspect.getsource(LinuxDriver.__init__), "LinuxDriver._key_thread is gone"
    assert "self._auto_restart" in inspect.getsource(Driver.__init__), "Driver._auto_restart is gone"
    assert "self._app" in inspect.getsource(Driver.__init__), "Driver._app is gone"
    # the bug it works around: SIGCONT starts application mode again, whatever came before
    assert "resume_application_mode" in inspect.getsource(LinuxDriver._sigcont_application)


def test_the_timer_runs_on_the_one_reader_driver_in_a_terminal() -> None:
    app = make_app(load_agenda("codev"))
    assert app.driver_class is textual_compat.OneReaderDriver
