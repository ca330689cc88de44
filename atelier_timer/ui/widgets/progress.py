"""How far along the current step is: a bar across the stage, its warning and danger zones marked."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from atelier_timer.session import Session
from atelier_timer.ui.widgets.session_view import SessionView

FULL, EMPTY = "█", "▁"


def bar_cells(session: Session, width: int) -> tuple[tuple[str, bool], ...]:
    """(zone, filled) for each of ``width`` cells: zone is ``normal``, ``warning``, ``danger`` or ``overtime``."""
    duration = session.length()  # a step of strict turns grows or shrinks with them
    if session.remaining() <= 0:
        return (("overtime", True),) * width
    warn, danger = session.agenda.warn_for(session.step), session.agenda.danger_for(session.step)
    filled = int(width * session.step_elapsed() / duration) if duration else width
    cells = []
    for i in range(width):
        left = duration * (1 - (i + 0.5) / width)  # what remains of the step at the middle of this cell
        zone = "danger" if left <= danger else "warning" if left <= warn else "normal"
        cells.append((zone, i < filled))
    return tuple(cells)


class StepProgress(SessionView, Widget):
    """The current step's progress, redrawn only when a cell fills (every few seconds at most)."""

    DEFAULT_CSS = """
    StepProgress { height: 1; }
    """
    COMPONENT_CLASSES = {"progress--normal", "progress--warning", "progress--danger", "progress--overtime"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cells: tuple[tuple[str, bool], ...] = ()

    def show(self, session: Session) -> None:
        cells = bar_cells(session, self.size.width)
        if cells != self._cells:
            self._cells = cells
            self.refresh()

    def on_resize(self) -> None:
        if self.session is not None:
            self.show(self.session)

    def render_line(self, y: int) -> Strip:
        """Filled cells are full blocks; the rest a thin line along the bottom, in the colour of its zone."""
        empty = EMPTY if y == self.size.height - 1 else " "
        segments = []
        for zone, filled in self._cells:
            segments.append(Segment(FULL if filled else empty, self.get_component_rich_style(f"progress--{zone}")))
        return Strip(segments, len(segments)).extend_cell_length(self.size.width, self.rich_style)
