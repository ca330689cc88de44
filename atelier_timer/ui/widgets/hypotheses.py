"""The hypotheses pane (``h``): the session's impact measures, each with its verdict, the room's points once
revealed, and the notes that cite it (``#N``); the facilitator gives verdicts, edits and adds measures here."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from atelier_timer.measures import label
from atelier_timer.safetext import printable
from atelier_timer.session import Session
from atelier_timer.ui.widgets.notes import note_line
from atelier_timer.ui.widgets.session_view import SessionView

VERDICT_STYLES = {"keep": "bold $success", "rework": "bold $warning", "drop": "bold $error"}


class MeasureList(OptionList):
    """The measures, one option each; its keys give the highlighted one a verdict, edit it, or add one."""

    BINDINGS = [
        Binding("1", "verdict('keep')", show=False),
        Binding("2", "verdict('rework')", show=False),
        Binding("3", "verdict('drop')", show=False),
        Binding("0", "verdict('')", show=False),
        Binding("e", "edit", show=False),
        Binding("a", "add", show=False),
    ]

    class Verdict(Message):
        """The facilitator gave measure ``number`` a verdict (None: took it back)."""

        def __init__(self, number: int, verdict: str | None) -> None:
            super().__init__()
            self.number, self.verdict = number, verdict

    class Edit(Message):
        """The facilitator asks to edit measure ``number`` (None: to add a measure)."""

        def __init__(self, number: int | None) -> None:
            super().__init__()
            self.number = number

    def _number(self) -> int | None:
        return None if self.highlighted is None else self.highlighted + 1

    def action_verdict(self, verdict: str) -> None:
        if self._number() is not None:
            self.post_message(self.Verdict(self._number(), verdict or None))

    def action_edit(self) -> None:
        if self._number() is not None:
            self.post_message(self.Edit(self._number()))

    def action_add(self) -> None:
        self.post_message(self.Edit(None))


class HypothesesView(SessionView, Vertical):
    """The pane in the side pane's place (``h`` shows and hides it); redrawn when a measure or a note changes."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="hypotheses-title")
        yield MeasureList(id="hypotheses-list")
        yield Static(id="hypotheses-keys")

    def show(self, session: Session) -> None:
        board = session.board
        shown = (board.version, id(session.notes), len(session.notes), self.app.t.lang)
        if shown == self._shown:
            return
        self._shown = shown
        t = self.app.t
        tally = board.tally()
        title = [Content.styled(t("hypotheses"), "b")]
        if board.open or board.shown or tally.voters:
            state = t("measures.vote_open") if board.open else t("measures.vote_closed")
            title.append(Content.styled(f"{state} · {t('measures.voters', count=tally.voters)}", "dim"))
        self.query_one("#hypotheses-title", Static).update(Content("\n").join(title))
        listing = self.query_one(MeasureList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(self._measure(session, number, tally), id=f"m{number}") for number in board.numbers()])
        if board.measures:
            listing.highlighted = min(highlighted or 0, len(board.measures) - 1)
        keys = t("measures.keys") if board.measures else t("no_hypotheses") + "\n" + t("measures.keys_empty")
        self.query_one("#hypotheses-keys", Static).update(Content.styled(keys, "dim"))

    def _measure(self, session: Session, number: int, tally) -> Content:
        """One measure: its number, verdict and text; its dimension and stage; the points once revealed; its notes."""
        t, board = self.app.t, session.board
        measure, verdict = board.measures[number - 1], board.verdicts.get(number)
        head = [(f"#{number} ", "b")]
        if verdict:
            head.append((f"[{label(verdict, t.lang)}] ", VERDICT_STYLES[verdict]))
        about = [label(word, t.lang) for word in (measure.dimension, measure.stage) if word]
        lines = [Content.assemble(*head, printable(measure.text), (f" ({' · '.join(about)})" if about else "", "dim"))]
        if board.shown:
            points = tally.points[number]
            lines.append(Content.styled(f"   {t('measures.points', useful=points['useful'], usable=points['usable'])}", "b"))
        lines += [note_line(note, t, indent="   ") for note in session.notes if number in note.hypotheses]
        return Content("\n").join(lines)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter once the list has the keys) on a measure: its fields to edit."""
        event.stop()
        self.post_message(MeasureList.Edit(event.option_index + 1))

