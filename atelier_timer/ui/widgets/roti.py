"""The ROTI on the stage: while the vote is open, how many have voted; once revealed, the distribution
(a bar per score, 5 at the top) and the mean, for the room to read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp

BAR = 24  # cells of the longest bar


def roti_lines(view: dict, t) -> list[tuple[str, str]]:
    """The chart as (text, style) lines, from the room's view of the ROTI (``Audience.roti_view``)."""
    count = view["votes"]
    if not view["revealed"]:
        return [(t("roti.open" if view["open"] else "roti.closed", count=count), "bold")]
    mean = view["mean"]
    said = "—" if mean is None else (f"{mean:.1f}".replace(".", ",") if t.lang == "fr" else f"{mean:.1f}")
    lines = [(t("roti.mean", mean=said, count=count), "bold")]
    most = max(view["distribution"]) or 1
    for score in range(5, 0, -1):
        n = view["distribution"][score - 1]
        lines.append((f"{score} {'█' * round(BAR * n / most):<{BAR}} {n}", ""))
    return lines


def toggle_roti(app: TimerApp) -> None:
    """``r``: open the ROTI vote on the participants' page, or close it."""
    audience = app.session.audience
    if audience.roti_open:
        audience.close_roti()
    else:
        audience.open_roti()
    app.notify(app.t("roti.opened" if audience.roti_open else "roti.closed_now", count=len(audience.votes)), timeout=4)
    app.main_screen.show()


def reveal_roti(app: TimerApp) -> None:
    """``R``: show the ROTI's distribution to the room (the vote closes), or take it off the stage."""
    audience = app.session.audience
    if not audience.roti_opened:
        app.notify(app.t("roti.not_yet"), severity="warning", timeout=4)
        return
    audience.reveal_roti(not audience.roti_revealed)
    app.main_screen.show()


class RotiChart(SessionView, Static):
    """Hidden until the ROTI opens; a line while it is open, the chart once the facilitator reveals it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._view: object = None
        self.display = False

    def show(self, session: Session) -> None:
        view = session.audience.roti_view()
        if view == self._view:
            return
        self._view = view
        self.display = view is not None and (view["open"] or view["revealed"])
        if view is not None:
            text = Text(justify="center")
            for n, (line, style) in enumerate(roti_lines(view, self.app.t)):
                text.append(("\n" if n else "") + line, style)
            self.update(text)
