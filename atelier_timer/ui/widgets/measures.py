"""The impact measures on the timer's screen: the vote's keys, the participants' points, the pane's
verdicts and edits (the pane is ``hypotheses.py``, the dialog ``ui/dialogs/measure_edit.py``), and the
vote's line and tally on the stage (:class:`VoteBoard`, in ``follow`` too). Every change goes through
:meth:`atelier_timer.session.Session.change_board`: journaled, then shown once on disk."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from atelier_timer.measures import CRITERIA, MeasureError
from atelier_timer.safetext import printable
from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView

BAR = 12  # cells of the longest bar of the tally


def take_vote(app, command: dict) -> None:
    """A participant's points from the participants' page: counted if the vote's rules allow them."""
    try:
        app.session.change_board("vote", **{key: command[key] for key in ("browser", "measure", "criterion", "points")})
    except MeasureError:
        pass  # serve checked it against the journal; the vote closed or the budget was spent meanwhile


def toggle_vote(app) -> None:
    """Open the room's vote, or close it (``v``, the controller's button)."""
    board = app.session.board
    app.session.change_board("vote_close" if board.open else "vote_open")
    app.notify(app.t("vote.opened" if board.open else "vote.closed"), timeout=4)


def toggle_tally(app) -> None:
    """Show the vote's tally on the stage, in follow and on the pages, or hide it (``V``)."""
    app.session.change_board("vote_reveal", shown=not app.session.board.shown)


def pane_shown(app, pane) -> None:
    """The pane just shown takes the keys (↑↓, the verdicts); hidden, it gives them back."""
    listing = pane.query_one("#hypotheses-list")
    if pane.display:
        listing.focus()
    elif app.focused is listing:
        app.screen.set_focus(None)


def give_verdict(app, number: int, verdict: str | None) -> None:
    app.session.change_board("measure_verdict", number=number, verdict=verdict)


def edit(app, number: int | None) -> None:
    """The measure dialog for measure ``number`` (None: a new measure); what is saved is journaled."""
    from atelier_timer.ui.dialogs.measure_edit import MeasureEditScreen

    board = app.session.board
    measure = board.measure(number) if number is not None else None
    title = app.t("measures.edit_title", number=number) if number is not None else app.t("measures.add_title")

    def saved(fields: dict | None) -> None:
        if not fields:
            return
        try:
            if number is None:
                app.session.change_board("measure_add", fields={k: v for k, v in fields.items() if v is not None})
            else:
                app.session.change_board("measure_edit", number=number, fields=fields)
        except MeasureError as error:
            app.notify(app.t("measures.refused", error=str(error)), severity="warning", timeout=6)

    app.push_screen(MeasureEditScreen(title, measure, app.t), saved)


class VoteBoard(SessionView, Static):
    """Under the stage: while the vote is open, a line saying so and how many browsers voted; once
    revealed, the tally (each measure's useful and usable points as bars, the most voted first)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._version: tuple | None = None

    def show(self, session: Session) -> None:
        board = session.board
        version = (board.version, self.app.t.lang)
        if version == self._version:
            return
        self._version = version
        self.display = board.open or board.shown
        if self.display:
            self.update(self.text(session))

    def text(self, session: Session) -> Content:
        t, board = self.app.t, session.board
        tally = board.tally()
        state = t("measures.vote_open") if board.open else t("measures.vote_closed")
        lines = [Content.styled(f"{state} · {t('measures.voters', count=tally.voters)}", "bold")]
        if board.shown:
            ranked = sorted(board.numbers(), key=lambda n: (-sum(tally.points[n].values()), n))
            most = max([p for n in ranked for p in tally.points[n].values()] + [1])
            for number in ranked:
                points = tally.points[number]
                bars = [
                    Content.assemble((f"{t('web.' + c)} {points[c]:>3} ", "dim"), ("█" * round(BAR * points[c] / most), "$accent"))
                    for c in CRITERIA
                ]
                lines.append(Content.assemble((f"#{number} ", "b"), printable(board.measures[number - 1].text)))
                lines.append(Content("   ").join([Content("  "), *bars]))
        return Content("\n").join(lines)
