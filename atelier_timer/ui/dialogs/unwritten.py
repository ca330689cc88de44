"""The question asked on the way out while no disk takes the session's events: retry, save elsewhere, or lose them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.widgets import Input

from atelier_timer.ui.dialogs.dialog import Dialog

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp


class UnwrittenScreen(Dialog):
    """``r`` retry, ``s`` then a folder typed and Enter: save there, ``l`` quit and lose them, Escape: stay.

    Answers ``"retry"``, ``"lose"``, the folder (a Path) or None.
    """

    BINDINGS = [
        Binding("r", "answer('retry')", show=False),
        Binding("s", "choose_folder", show=False),
        Binding("l", "answer('lose')", show=False),
        Binding("escape,n", "answer(None)", show=False),
    ]

    def __init__(self, title: str, body: str, keys: str, suggested: Path) -> None:
        super().__init__(title, body, keys, classes="-quit")
        self._suggested = suggested

    def on_mount(self) -> None:
        folder = Input(placeholder=str(self._suggested), id="unwritten-folder")  # Enter on it empty: there
        folder.display = folder.can_focus = False  # until ``s``: the keys are the question's
        self.query_one("#dialog").mount(folder, before=self.query_one(".dialog-keys"))

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)

    def action_choose_folder(self) -> None:
        folder = self.query_one("#unwritten-folder", Input)
        folder.display = folder.can_focus = True
        folder.focus()

    @on(Input.Submitted, "#unwritten-folder")
    def _folder_typed(self, event: Input.Submitted) -> None:
        self.dismiss(Path(event.value.strip() or self._suggested).expanduser())


def ask_about_unwritten(app: TimerApp) -> bool:
    """When events wait that no disk takes: ask to retry, save them elsewhere, or quit without them.

    Whether it asked: not when a last try writes them, nor when the record can be exported (it
    then holds every note, and the usual question is asked).
    """
    if app.read_only or app.recorder.sync() or not app.main_screen.write_record()[1]:
        return False
    from atelier_timer.rescue import fallback_dirs

    pending = app.recorder.pending
    notes = sum(1 for event in pending if event.get("type") == "note")
    body = app.t("unwritten.body", notes=notes, count=len(pending), error=app.recorder.problem)

    def answer(choice: str | Path | None) -> None:
        if choice == "lose":
            app.quit_now()  # an emergency copy first, in the fallback place
        elif choice == "retry":
            app.sync_journal()
            app.call_later(app.action_quit_session)  # once this question is off the screen
        elif isinstance(choice, Path):
            _save_unwritten_in(app, choice)

    app.push_screen(UnwrittenScreen(app.t("unwritten.title"), body, app.t("unwritten.keys"), fallback_dirs()[-1]), answer)
    return True


def _save_unwritten_in(app: TimerApp, folder: Path) -> None:
    """"Save elsewhere": the waiting events and the whole record go to ``folder``, then quit; asked again if it refuses."""
    from atelier_timer.report import ExportError, write_export
    from atelier_timer.rescue import save_unwritten
    from atelier_timer.texts import reason

    try:
        if app.journal is None:
            raise OSError("no session journal to take them back into")
        folder.mkdir(parents=True, exist_ok=True)
        save_unwritten(app.journal.session_id, app.recorder.pending, folder)
        record = write_export(app.session, folder, app.lang)
    except (OSError, ExportError) as error:
        app.notify(app.t("unwritten.save_failed", folder=str(folder), error=reason(error)), severity="error", timeout=10)
        app.call_later(app.action_quit_session)
        return
    app.farewell.append(f"{record}: the whole record, with the notes no disk took")
    app.quit_now()
