"""One room, one truth: the web page in a real browser and the terminal in a real pty, read side by side
during a turn, show the same person and the same seconds; the pages at the end and the controller's
start/pause button follow the session."""

from __future__ import annotations

import asyncio
import time

from atelier_timer.ui.widgets.blockfont import block_capitals, render_lines

from .test_serve import (  # noqa: F401  (fixtures)
    browser_page,
    controller_link,
    evaluate,
    live,
    live_session,
    needs_chromium,
    server,
    start_serve,
    stop,
    wait_for_text,
)

TESTIMONIES = """\
version: 1
title: Témoignages
language: fr
steps:
  - title: Témoignages
    turns:
      - {name: Léa, duration: 7m}
      - {name: François, duration: 7m}
  - title: Échanges
    duration: 30m
"""


def drawn_in_blocks(screen: str, text: str) -> bool:
    """Whether the terminal's screen shows ``text`` in block letters, at any scale."""
    rows = screen.splitlines()
    for scale in range(1, 10):
        lines = [line.strip() for line in render_lines(block_capitals(text), scale)]
        for top in range(len(rows) - len(lines) + 1):
            if all(line in rows[top + k] for k, line in enumerate(lines)):
                return True
    return False


def text_of(page, selector: str):
    return evaluate(page, f"document.querySelector({selector!r}).textContent")


@needs_chromium
async def test_the_page_and_the_terminal_show_the_same_speaker_and_seconds_during_a_turn(terminal, tmp_path):
    agenda = tmp_path / "temoignages.yaml"
    agenda.write_text(TESTIMONIES)
    timer = terminal("run", str(agenda), "--no-bell", "--notes-dir", str(tmp_path / "notes"), size=(100, 30))
    timer.wait_for("espace")
    timer.send(" ")
    timer.wait_for("Tour 1/2")
    state = tmp_path / "state"
    (journal,) = (state / "sessions").glob("*.jsonl")
    output = tmp_path / "serve.out"
    server, port = start_serve(state, journal.stem, output)
    printed = output.read_text()
    assert "Lien des spectateurs" in printed and "Ctrl+C arrête le serveur." in printed  # a French workshop's banner
    try:
        async with browser_page(tmp_path / "chromium") as page:
            await page.send("Page.navigate", url=f"http://127.0.0.1:{port}/")
            await wait_for_text(page, "#person", "Léa")
            # the turn's countdown large on both, not the step's 14 minutes
            assert (await text_of(page, "#countdown")).startswith(("07:00", "06:"))  # the first second may not be over
            # running: read the page, the terminal, the page again; one read that no second turned in between
            for _attempt in range(6):
                before = await text_of(page, "#countdown")
                screen = timer.text()
                after = await text_of(page, "#countdown")
                if before == after and drawn_in_blocks(screen, before):
                    break
                await asyncio.sleep(0.3)
            else:
                raise AssertionError(f"the page showed {before!r}, the terminal:\n{screen}")
            assert drawn_in_blocks(screen, "Léa")  # the same person, with her accent, large on the terminal
            turn_line = await text_of(page, "#turn")
            assert turn_line.startswith("Tour 1/2 · étape : reste 1")  # the step's time, smaller

            # the next turn, from the terminal: the page follows to the same person and seconds
            timer.send("t")
            timer.wait_for("Tour 2/2")
            await wait_for_text(page, "#person", "François")
            timer.send(" ")  # paused: nothing moves, both must read exactly the same
            timer.wait_for("pause")
            await wait_for_text(page, "#status", "pause")
            shown = await text_of(page, "#countdown")
            screen = timer.text()
            assert drawn_in_blocks(screen, shown) and drawn_in_blocks(screen, "François")
            step_left = (await text_of(page, "#turn")).split("reste ")[1]
            assert f"reste {step_left}" in screen  # the step's time left, the same on both
    finally:
        stop(server)


@needs_chromium
async def test_the_controllers_button_says_what_it_will_do_and_the_end_page_keeps_no_countdown(live, server, tmp_path):
    url, _, output = server
    async with browser_page(tmp_path / "chromium") as page:
        await page.send("Page.navigate", url=controller_link(output))
        await wait_for_text(page, "#toggle", "Pause")  # running: the button pauses
        live.session.pause()
        await wait_for_text(page, "#toggle", "Resume")
        assert await evaluate(page, "document.getElementById('countdown').hidden") is False
        live.session.toggle()
        live.session.next()
        live.session.next()  # past the last step: finished
        await wait_for_text(page, "#status", "finished")
        assert await evaluate(page, "document.getElementById('countdown').hidden") is True
        assert await text_of(page, "#next") == ""
        deadline = time.monotonic() + 5
        while await evaluate(page, "getComputedStyle(document.querySelector('.bar')).visibility") != "hidden":
            assert time.monotonic() < deadline, "the progress bar stays at the end"
            await asyncio.sleep(0.05)


@needs_chromium
async def test_the_page_marks_the_role_that_has_the_floor_as_the_terminal_does_and_follows_the_turn(terminal, tmp_path):
    timer = terminal("run", "codev", "--no-bell", "--notes-dir", str(tmp_path / "notes"), size=(100, 30))
    timer.wait_for("espace")
    timer.send(" ")
    timer.wait_for("Tour 1/5")
    state = tmp_path / "state"
    (journal,) = (state / "sessions").glob("*.jsonl")
    server, port = start_serve(state, journal.stem, tmp_path / "serve.out")
    try:
        async with browser_page(tmp_path / "chromium") as page:
            await page.send("Page.navigate", url=f"http://127.0.0.1:{port}/")
            await wait_for_text(page, "#floor", "▶ Animation")  # the facilitator frames the workshop
            assert "▶ Animation" in timer.text()
            timer.send("t")  # the team's turn to introduce itself: the floor goes to the team, on both
            timer.wait_for("Tour 2/5")
            floor = await wait_for_text(page, "#floor", "Équipe")
            assert floor in timer.text()
            assert await evaluate(page, "document.getElementById('floor').hidden") is False
    finally:
        stop(server)
