"""The rebalance preview: the coming steps' new lengths, the new end, and a yes/no to apply them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from atelier_timer.session import RebalancePlan, clock_text, minutes_text
from atelier_timer.ui.dialogs.message import MessageScreen
from atelier_timer.ui.dialogs.question import QuestionScreen
from atelier_timer.ui.timing import ON_TIME
from atelier_timer.ui.widgets.session_view import hhmm

if TYPE_CHECKING:
    from atelier_timer.ui.app import TimerApp


def gap_text(app: TimerApp, plan: RebalancePlan) -> str:
    """How far behind or ahead of the plan the session is, in minutes."""
    return app.t("rebalance.behind" if plan.gap > 0 else "rebalance.ahead", minutes=minutes_text(plan.gap))


def plan_table(app: TimerApp, plan: RebalancePlan, lead: str) -> Table:
    """What the rebalance would do: the gap, each changed step (old -> new), the new end and any overrun."""
    t, session = app.t, app.session
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column(justify="right")
    table.add_column()
    table.add_column(justify="right")
    for i, old, new in plan.changes:
        step = session.agenda.steps[i]
        label = step.title + (f" ({t('rebalance.protected')})" if step.protected else "")
        table.add_row(label, clock_text(old), "→", Text(clock_text(new), style="bold" if new != old else "dim"))
    new_end = session.projected_end() - sum(plan.old) + sum(plan.new)
    footer = Text("\n" + t("rebalance.new_end", end=hhmm(new_end)))
    if plan.overrun:
        footer.append("\n" + t("rebalance.overrun", time=minutes_text(plan.overrun)), style="bold")
    group = Table.grid()
    group.add_row(Text(lead + gap_text(app, plan) + "\n\n"))
    group.add_row(table)
    group.add_row(footer)
    return group


def offer_rebalance(app: TimerApp, said: str = "", title: str | None = None) -> None:
    """The rebalance preview, after ``said`` (the late start) when given; a notice when there is nothing to do."""
    t, session = app.t, app.session
    plan = session.rebalance_plan()
    lead = said + "\n\n" if said else ""
    title = title or t("rebalance.title")
    if abs(plan.gap) < ON_TIME or plan.new == plan.old:
        # A dialog all the same: the key pressed next answers it, and never reaches the screen.
        if abs(plan.gap) < ON_TIME:
            body = t("rebalance.on_time")
        else:
            coming = range(plan.current + 1, len(plan.old))
            free = [i for i in coming if not session.agenda.steps[i].protected]
            body = gap_text(app, plan) + " " + t("rebalance.at_floor" if free else "rebalance.nothing")
        app.push_screen(MessageScreen(title, lead + body, t("message.keys")))
        return

    def apply(answer: bool | None) -> None:
        if answer:
            session.apply_rebalance(plan)
            app.notify(t("rebalance.done"))
            app.ticker.changed(step=True)

    app.push_screen(QuestionScreen(title, plan_table(app, plan, lead), t("confirm.keys")), apply)
