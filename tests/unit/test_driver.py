"""ui/driver.py leans on names of Textual's Linux driver that are not public: this fails loudly when a
Textual release renames them (then check the driver against that release, and the pin in pyproject.toml)."""

from __future__ import annotations

import inspect

from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from atelier_timer.agenda import load_agenda
from atelier_timer.ui.app import make_app
from atelier_timer.ui.driver import OneReaderDriver


def test_the_private_names_the_driver_uses_are_still_textuals() -> None:
    for name in ("_sigcont_application", "_sigtstp_application", "_patch_lflag", "_patch_iflag"):
        assert callable(getattr(LinuxDriver, name, None)), f"Textual's LinuxDriver has no {name} any more"
    assert "self._key_thread" in inspect.getsource(LinuxDriver.__init__)
    assert "self._auto_restart" in inspect.getsource(Driver.__init__)
    # the bug it works around: SIGCONT starts application mode again, whatever came before
    assert "resume_application_mode" in inspect.getsource(LinuxDriver._sigcont_application)


def test_the_timer_runs_on_it_in_a_terminal() -> None:
    app = make_app(load_agenda("codev"))
    assert app.driver_class is OneReaderDriver
