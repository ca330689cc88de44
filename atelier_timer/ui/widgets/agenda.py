"""The agenda pane: every step with its start time (actual for the steps run and the current one,
projected for the coming ones); done steps show how long they really took; the turns of the steps to
come are listed under them when the pane has the room (the current step's always are)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from atelier_timer.session import Session
from atelier_timer.texts import clock_text, time_of_day, whole_seconds
from atelier_timer.ui.widgets.now_next import next_start
from atelier_timer.ui.widgets.session_view import SessionView, wrap_lines

TITLE_LINES = 2  # a title gets two lines before it is shortened: enough to tell "Témoignage d'un·e …" apart
FIXED = 2 + 1 + 5 + 1 + 5  # the mark, the start time, the duration, and the gaps between the columns
# When the pane is short, every step must still show: (the coming steps' turns listed?, lines for a
# step's title, lines for a turn's name), tried in this order.
FITTINGS = ((True, TITLE_LINES, TITLE_LINES), (False, TITLE_LINES, TITLE_LINES), (False, TITLE_LINES, 1), (False, 1, 1))


class AgendaView(SessionView, Static):
    """One row per step: a mark (done ✓, current ▶, coming ·), the title, the start time and the duration."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: tuple | None = None

    def on_resize(self) -> None:
        if self.session is not None:
            self.show(self.session)

    def show(self, session: Session) -> None:
        room = self.styles.max_height
        lines = int(room.value) if room is not None and room.is_cells else None
        rows = (self.size.width, lines, *self._rows_of(session, coming_turns=True))
        if rows != self._rows:
            self._rows = rows
            for coming_turns, *title_lines in FITTINGS:
                table = self._table(self.size.width, self._rows_of(session, coming_turns), tuple(title_lines))
                if lines is None or len(table.split("\n")) <= lines:
                    break
            self.update(table)

    def _rows_of(self, session: Session, coming_turns: bool) -> list[tuple]:
        """(mark, title, title style, start, start style, figure, figure style) of each step.

        Coming steps start when the steps before them end as things stand: their start is projected,
        in the warning colour when it is a minute or more later than planned.
        """
        rows = []
        planned = session.expected_start()
        projected = next_start(session)
        for i, step in enumerate(session.agenda.steps):
            began = time_of_day(session.step_starts[i] if session.step_starts[i] is not None else planned)
            if i < session.index or (session.finished and i == session.index):
                actual = session.step_elapsed(i)
                over = actual > session.durations[i] + 30
                rows.append(("✓", step.title, "dim", began, "dim", clock_text(whole_seconds(actual)), "$error" if over else "$success"))
            elif i == session.index:
                length = round(session.length()) if session.has_turns and session.strict_turns else session.durations[i]
                rows.append(("▶", step.title, "b reverse", began, "", clock_text(length), ""))
                rows += self._turn_rows(session, i)
            else:
                late = projected - planned >= 60
                rows.append(("·", step.title, "", time_of_day(projected), "$warning" if late else "", clock_text(session.durations[i]), ""))
                rows += self._turn_rows(session, i) if coming_turns else []
                projected += session.durations[i]
            planned += step.duration
        return rows

    @staticmethod
    def _turn_rows(session: Session, i: int) -> list[tuple]:
        """A row per turn of a step not yet done: what each took, has, or now will have."""
        turns = session.agenda.steps[i].turns
        if i != session.index:
            return [(" ", f"↳ {turn.name}", "dim", "", "", clock_text(session.turn_durations[i][j]), "dim") for j, turn in enumerate(turns)]
        coming = iter(session.coming_turns())
        rows = []
        for j, turn in enumerate(turns):
            if j < session.turn:
                rows.append((" ", f"✓ {turn.name}", "dim", "", "", clock_text(whole_seconds(session.turn_elapsed(j))), "dim"))
            elif j == session.turn:
                rows.append((" ", f"▶ {turn.name}", "b", "", "", clock_text(round(session.turn_durations[i][j])), "b"))
            else:
                rows.append((" ", f"↳ {turn.name}", "", "", "", clock_text(next(coming)), ""))
        return rows

    @staticmethod
    def _table(width: int, rows: tuple | list, title_lines: tuple[int, int]) -> Content:
        """The rows as aligned columns, a long title (or a turn's name) on up to ``title_lines`` lines.

        A turn's row has no start time: its name takes that column too, under its own arrow (``↳``).
        """
        title_width = max(width - FIXED, 6)
        lines = []
        for mark, title, style, start, start_style, figure, figure_style in rows:
            turn = mark == " "
            text_width = title_width + 6 if turn else title_width
            arrow, name = (title[:2], title[2:]) if turn else ("", title)
            first, *more = wrap_lines(name, text_width - len(arrow), title_lines[turn])
            cells = [f"{mark} ", ((arrow + first).ljust(text_width), style), " "]
            if not turn:
                cells += [(start, start_style), " "]
            lines.append(Content.assemble(*cells, (figure.rjust(5), figure_style)))
            lines += [Content.assemble("  ", ((" " * len(arrow) + line).ljust(text_width), style)) for line in more]
        return Content("\n").join(lines)
