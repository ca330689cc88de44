"""The links of serve, with their QR codes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from atelier_timer.ui.dialogs import SCREENS_CSS
from atelier_timer.ui.dialogs.question import QuestionScreen


class LinksScreen(ModalScreen[None]):
    """The links ``serve`` prints, each with its QR code, to open them from a phone.

    The room's screen is projected: the viewer's link shows at once, the controller's (anyone who
    scans it drives the timer) only once a question that says it is secret is answered yes (``c``).
    """

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "dismiss", show=False),
        Binding("w", "dismiss", show=False),
        Binding("q", "dismiss", show=False),
        Binding("c", "reveal", show=False),
    ]

    def __init__(
        self, title: str, viewer: tuple[str, str], secret: tuple[str, str], footer: str, question: tuple[str, str, str],
        shared: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__()
        self._title, self._viewer, self._secret, self._footer, self._question = title, viewer, secret, footer, question
        self._shared = shared  # more links for the room, shown with the viewer's (the participants')
        self._revealed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="links") as dialog:
            dialog.border_title, dialog.border_subtitle = self._title, self._footer
            with Horizontal(classes="qr-codes"):
                yield self._link(*self._viewer)
                for link in self._shared:
                    yield self._link(*link)

    @staticmethod
    def _link(label: str, url: str) -> Vertical:
        from atelier_timer.control import qr_text

        return Vertical(
            Static(Text(label, style="bold")),
            Static(Text(url, overflow="fold")),
            Static(qr_text(url, border=1).rstrip("\n"), classes="qr"),
            classes="qr-link",
        )

    def action_reveal(self) -> None:
        """``c``: ask first, then show the controller's link beside the viewer's."""
        if self._revealed:
            return

        def answered(yes: bool | None) -> None:
            if yes and not self._revealed:
                self._revealed = True
                self.query_one(".qr-codes").mount(self._link(*self._secret))

        self.app.push_screen(QuestionScreen(*self._question), answered)
