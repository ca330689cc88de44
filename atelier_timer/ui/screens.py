"""Modal screens: help, the questions the facilitator answers with one key, the ready-made messages; the blackout."""

from __future__ import annotations

from collections.abc import Iterable

from rich.align import Align
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from atelier_timer.clock import Clock
from atelier_timer.ui.widgets.session_view import hhmm

SCREENS_CSS = "screens.tcss"  # each screen here reads it when the first of them opens (not before the first frame)


class Palette(CommandPalette):
    """Textual's command palette, with its own words ("No matches found") in the UI language too."""

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


class HelpScreen(ModalScreen[None]):
    """Every key and what it does: the title and how to close in the border, so that the whole list fits
    80x24; the list scrolls on a smaller screen."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "dismiss", show=False),
        Binding("question_mark", "dismiss", show=False),
        Binding("q", "dismiss", show=False),
    ]

    def __init__(self, title: str, keys: Iterable[tuple[str, str]], footer: str) -> None:
        super().__init__()
        self._title, self._keys, self._footer = title, list(keys), footer

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for keys, description in self._keys:
            table.add_row(keys, description)
        with VerticalScroll(id="dialog", classes="help") as dialog:
            dialog.border_title, dialog.border_subtitle = self._title, self._footer
            yield Static(table)


class Dialog(ModalScreen):
    """A title, a body and the keys that answer it, centred over the screen."""

    CSS_PATH = SCREENS_CSS

    def __init__(self, title: str, body: Text | Table | str, keys: str, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._title, self._body, self._keys = title, body, keys

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            yield Static(self._body, id="dialog-body")
            yield Static(self._keys, classes="dialog-keys")


class MessageScreen(Dialog):
    """Something the facilitator reads and closes: any answering key closes it, and does nothing else."""

    BINDINGS = [Binding("enter,escape,space,y,o,n,q,b", "dismiss", show=False)]


class QuestionScreen(Dialog):
    """A yes/no question: ``y``/``o``/``enter`` answers yes, ``n``/``escape`` no.

    The sleep question reuses it with other keys (``e`` elapsed, ``p`` pause).
    """

    BINDINGS = [
        Binding("y,o,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class SleepScreen(QuestionScreen):
    """Count a sleep as elapsed (``enter``/``e``, the default) or as a pause (``p``)."""

    BINDINGS = [
        Binding("enter,e,y,o", "answer(True)", show=False),
        Binding("p,n,escape", "answer(False)", show=False),
    ]


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


class MessagesScreen(ModalScreen[str | None]):
    """The agenda's ready-made messages: Enter shows the one picked, Escape closes."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "dismiss", show=False)]

    def __init__(self, title: str, messages: Iterable[str], footer: str) -> None:
        super().__init__()
        self._title, self._messages, self._footer = title, list(messages), footer

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"), classes="dialog-title")
            yield OptionList(*self._messages, id="presets")
            yield Static(self._footer, classes="dialog-keys")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._messages[event.option_index])


class BlackoutScreen(Screen[None]):
    """The clicker's black screen: nothing but the time of day, small in a corner, until any key."""

    CSS_PATH = SCREENS_CSS

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._clock = clock

    def compose(self) -> ComposeResult:
        yield Static(id="blackout-time")

    def on_mount(self) -> None:
        self._show_time()
        self.set_interval(1.0, self._show_time)

    def _show_time(self) -> None:
        self.query_one("#blackout-time", Static).update(hhmm(self._clock.wall()))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
