"""The agenda pane: every step with its start time; done steps show how long they really took."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from atelier_timer.session import Session, clock_text
from atelier_timer.ui.widgets.session_view import SessionView, hhmm


class AgendaView(SessionView, Static):
    """One row per step: a mark (done, current, coming), the title, the start time and the duration."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[tuple] | None = None

    def show(self, session: Session) -> None:
        rows = self._rows_of(session)
        if rows != self._rows:
            self._rows = rows
            self.update(self._table(rows))

    def _rows_of(self, session: Session) -> list[tuple]:
        """(mark, title, title style, start, figure, figure style) of each step; red figures when over."""
        rows = []
        start = session.expected_start()
        for i, step in enumerate(session.agenda.steps):
            if i < session.index or (session.finished and i == session.index):
                actual = session.step_elapsed(i)
                over = actual > session.durations[i] + 30
                rows.append(("✓", step.title, "#9e9e9e", hhmm(start), clock_text(round(actual)), "#ff8c00" if over else "#5fd75f"))
            else:
                mark, style = ("▶", "bold reverse") if i == session.index else ("·", "")
                rows.append((mark, step.title, style, hhmm(start), clock_text(session.durations[i]), ""))
            start += step.duration
        return rows

    @staticmethod
    def _table(rows: list[tuple]) -> Table:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for mark, title, style, start, figure, figure_style in rows:
            table.add_row(mark, Text(title, style=style), start, Text(figure, style=figure_style))
        return table
