"""Regenerate the README's screenshot: ``python docs/screenshot.py`` (writes docs/screenshot.svg).

A session of the bundled co-development agenda, 4 min into the team's presentation, with a few notes;
the clock is fake so the picture is the same every time.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from atelier_timer.agenda import load_agenda, read_agenda_source
from atelier_timer.clock import FakeClock
from atelier_timer.ui.app import make_app


async def main() -> None:
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
    clock = FakeClock(wall=1_795_006_800.0)  # a Wednesday, 14:00 in Paris
    text, _ = read_agenda_source("codev")
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(load_agenda("codev"), clock=clock, source_text=text, state_dir=Path(folder), notes_dir=Path(folder))
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.press("space")
            clock.advance(11 * 60)
            await pilot.press("n")
            for note in ("* le taux de recours se mesure déjà #1", "? qui publie la page /stats ?", "! écrire au sponsor"):
                clock.advance(50)
                await pilot.press("i", *note, "enter", "escape")
            clock.advance(70)
            app.tick()
            await pilot.pause()
            app.save_screenshot(str(Path(__file__).with_name("screenshot.svg")))


if __name__ == "__main__":
    asyncio.run(main())
