"""Something the facilitator reads and closes."""

from __future__ import annotations

from textual.binding import Binding

from atelier_timer.ui.dialogs.dialog import Dialog


class MessageScreen(Dialog):
    """Something the facilitator reads and closes: any answering key closes it, and does nothing else."""

    BINDINGS = [Binding("enter,escape,space,y,o,n,q,b", "dismiss", show=False)]
