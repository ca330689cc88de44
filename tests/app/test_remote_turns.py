"""Turns from away from the keyboard: the controller page's next and previous turn, and the clicker's
Page Down / Page Up moving by turn inside a step made of turns (``clicker: steps`` in the settings
file keeps them on steps)."""

from __future__ import annotations

from atelier_timer import control
from atelier_timer.config import save_config
from atelier_timer.journal import read_journal

from .test_turns_screen import ROUND


async def test_the_controllers_next_turn_moves_one_turn_and_previous_turn_back(make, tmp_path) -> None:
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        state, session_id = tmp_path / "state", app.journal.session_id
        control.send(state, session_id, {"command": "next_turn"})
        for _ in range(5):
            await pilot.pause()
        assert (app.session.index, app.session.turn) == (0, 1)  # one turn, not the step
        control.send(state, session_id, {"command": "previous_turn"})
        for _ in range(5):
            await pilot.pause()
        assert (app.session.index, app.session.turn) == (0, 0)
        turns = [e for e in read_journal(app.journal.path).events if e["type"] == "turn"]
        assert [(e["from"], e["to"]) for e in turns] == [(0, 1), (1, 0)]  # journaled by run


async def test_the_clicker_moves_by_turn_in_a_step_of_turns_then_to_the_next_step(make) -> None:
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "pagedown")
        assert (app.session.index, app.session.turn) == (0, 1)
        await pilot.press("pageup", "pageup")  # back a turn, then from the first turn: the step before (none)
        assert (app.session.index, app.session.turn) == (0, 0)
        await pilot.press("pagedown", "pagedown", "pagedown")  # after the last turn, the next step
        assert app.session.index == 1
        await pilot.press("pageup")  # a step without turns: back to the step of turns, on its last turn
        assert (app.session.index, app.session.turn) == (0, 2)


async def test_clicker_steps_in_the_settings_keeps_page_down_on_steps(make) -> None:
    save_config(clicker="steps")
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "pagedown")
        assert (app.session.index, app.session.turn) == (1, 0)
