"""The room's side of the screen, under Pilot: chimes, messages, hidden digits, the clicker's keys."""

from __future__ import annotations

import pytest

from atelier_timer import sound
from atelier_timer.config import save_config
from atelier_timer.sound import NoAudioDevice
from atelier_timer.ui.app import TimerApp

from .conftest import SHORT, settle


@pytest.mark.parametrize(
    ("options", "agenda_alerts"), [({"sound": "off"}, "bell: true"), ({}, "sound: off"), ({}, "bell: false")]
)
async def test_no_sound_when_silenced(make, clock, speakers, options, agenda_alerts):
    app = make(SHORT.replace("bell: true", agenda_alerts), **options)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 305)
        assert app.query_one("#countdown").has_class("-overtime")
        assert app.bells == [] and speakers == []


async def test_where_no_audio_device_answers_the_terminal_bell_rings_and_the_screen_says_so_once(make, clock, monkeypatch):
    def no_device(samples):
        raise NoAudioDevice("no backend")

    monkeypatch.setattr(sound, "play_blocking", no_device)
    rung = []
    monkeypatch.setattr(TimerApp, "bell", lambda app: rung.append("bell"))
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 181)  # warning
        app.chimes.wait()
        await pilot.pause()
        await settle(app, pilot, clock, 90)  # danger: straight to the bell now
        assert rung == ["bell", "bell"]
        said = [n.message for n in app._notifications]
        assert said == [app.t("no_audio_device")]


async def test_the_command_line_wins_over_the_agenda_which_wins_over_the_saved_setting(make):
    save_config(sound="bell", volume=30)
    assert (make().chimes.mode, make().chimes.volume) == ("bell", 30)
    agenda = SHORT.replace("bell: true", "sound: off, volume: 50")
    assert (make(agenda).chimes.mode, make(agenda).chimes.volume) == ("off", 50)
    app = make(agenda, sound="on", volume=90)
    assert (app.chimes.mode, app.chimes.volume) == ("on", 90)
