"""The first frame the installed command draws is already the right one: read byte by byte as it came."""

from __future__ import annotations

import pyte


def first_frame(output: bytes, size: tuple[int, int], ready: str) -> str:
    """The screen at the moment ``ready`` first showed on it, replaying the program's output in order."""
    screen = pyte.Screen(*size)
    stream = pyte.ByteStream(screen)
    for start in range(0, len(output), 64):
        stream.feed(output[start : start + 64])
        shown = "\n".join(screen.display)
        if ready in shown:
            return shown
    raise AssertionError(f"{ready!r} never showed")


def test_the_first_frame_at_80x24_already_shares_the_stage(terminal):
    """codev at 80x24: had the stage been shared only after a first layout, that first frame would show
    the turn's name in large capitals, the countdown as a line of text and the last reminders cut."""
    term = terminal("run", "codev", "--notes-dir", "notes", "--no-bell", size=(80, 24))
    term.wait_for("Observateurs")
    shown = first_frame(bytes(term.output), (80, 24), "1/5 · reste 10:00")
    assert "Observateurs" in shown  # every role's reminder is on screen...
    assert sum(1 for line in shown.splitlines() if "█" in line or "▀" in line) >= 3  # ...under block digits
