"""The impact measures on the timer's screen: the vote's keys and the participants' points (the pane is
``hypotheses.py``, the edit dialog ``ui/dialogs/measure_edit.py``); every change goes through
:meth:`atelier_timer.session.Session.change_board`, so it is journaled before it shows."""

from __future__ import annotations

from atelier_timer.measures import MeasureError


def take_vote(app, command: dict) -> None:
    """A participant's points from the participants' page: counted if the vote's rules allow them."""
    try:
        app.session.change_board("vote", **{key: command[key] for key in ("browser", "measure", "criterion", "points")})
    except MeasureError:
        return  # serve checked it against the journal; the vote closed or the budget was spent meanwhile
    app._after_change()


def toggle_vote(app) -> None:
    """Open the room's vote, or close it (``v``, the controller's button)."""
    board = app.session.board
    app.session.change_board("vote_close" if board.open else "vote_open")
    app.notify(app.t("vote.opened" if board.open else "vote.closed"), timeout=4)
    app._after_change()


def toggle_tally(app) -> None:
    """Show the vote's tally on the stage, in follow and on the pages, or hide it (``V``)."""
    board = app.session.board
    app.session.change_board("vote_reveal", shown=not board.shown)
    app._after_change()
