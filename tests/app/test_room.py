"""The room's side of the screen, under Pilot: chimes, messages, hidden digits, the clicker's keys."""

from __future__ import annotations

import pytest

from atelier_timer import sound
from atelier_timer.agenda import parse_agenda, slugify
from atelier_timer.config import save_config
from atelier_timer.journal import Journal, read_journal, sessions_dir
from atelier_timer.session import Session
from atelier_timer.sound import NoAudioDevice
from atelier_timer.texts import time_of_day
from atelier_timer.ui.app import TimerApp
from atelier_timer.ui.dialogs.blackout import BlackoutScreen
from atelier_timer.ui.dialogs.help import HelpScreen
from atelier_timer.ui.dialogs.messages import MessagesScreen
from atelier_timer.ui.follow import Follower

from .conftest import SHORT, digit_rows, notices, settle, shown


@pytest.mark.parametrize(
    ("options", "agenda_alerts"), [({"sound": "off"}, "bell: true"), ({}, "sound: off"), ({}, "bell: false")]
)
async def test_no_sound_when_silenced(make, clock, speakers, options, agenda_alerts):
    app = make(SHORT.replace("bell: true", agenda_alerts), **options)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 305)
        assert app.query_one("#countdown").has_class("-overtime")
        assert app.ticker.bells == [] and speakers == []


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
        app.ticker.chimes.wait()
        await pilot.pause()
        await settle(app, pilot, clock, 90)  # danger: straight to the bell now
        assert rung == ["bell", "bell"]
        assert notices(app) == [app.t("no_audio_device")]


async def test_the_command_line_wins_over_the_agenda_which_wins_over_the_saved_setting(make):
    save_config(sound="bell", volume=30)
    assert (make().ticker.chimes.mode, make().ticker.chimes.volume) == ("bell", 30)
    agenda = SHORT.replace("bell: true", "sound: off, volume: 50")
    assert (make(agenda).ticker.chimes.mode, make(agenda).ticker.chimes.volume) == ("off", 50)
    app = make(agenda, sound="on", volume=90)
    assert (app.ticker.chimes.mode, app.ticker.chimes.volume) == ("on", 90)


# ----- messages to the room


def message_shown(app) -> str | None:
    """The message on the stage (drawn in block letters, or plain when there is no room for them)."""
    banner = next(iter(app.query("#room-message")), None)  # the stage brings it with the first message
    return banner.text if banner is not None and banner.display and shown(banner).strip() else None


async def test_m_then_a_line_shows_the_message_large_until_an_empty_line_clears_it(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        assert message_shown(app) is None
        await pilot.press("m", *"On conclut", "enter")
        assert message_shown(app) == "On conclut"
        assert app.query_one("#room-message").outer_size.height >= 1
        assert app.focused is None and not app.query_one("#message-input").display
        await pilot.press("f")  # presentation mode keeps it
        assert message_shown(app) == "On conclut"
        await settle(app, pilot, clock, 600)
        assert message_shown(app) == "On conclut"
        await pilot.press("m", "enter")
        assert message_shown(app) is None
    events = [event for event in read_journal(only_journal(tmp_path)).events if event["type"] == "message"]
    assert [(e["text"], e["flash"], e["until"]) for e in events] == [("On conclut", False, None), (None, False, None)]


async def test_a_message_can_flash_and_last_a_set_time(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m", *"! Pause @2m", "enter")
        assert message_shown(app) == "Pause"
        assert app.session.message == {"text": "Pause", "flash": True, "until": clock.wall() + 120}
        banner = app.query_one("#room-message")
        looks = set()
        for _ in range(4):  # it alternates with the clock, paused or not
            await settle(app, pilot, clock, 0.5)
            looks.add(banner.has_class("-flash"))
        assert looks == {True, False}
        await settle(app, pilot, clock, 117)  # 119 s after it was shown
        assert message_shown(app) == "Pause"
        await settle(app, pilot, clock, 1)
        assert message_shown(app) is None


async def test_escape_leaves_the_message_line_without_changing_the_message(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m", *"On conclut", "enter", "m", *"Autre", "escape")
        assert message_shown(app) == "On conclut"


async def test_shift_m_picks_one_of_the_agendas_messages(make):
    app = make(SHORT.replace("hypotheses:", "messages: [On conclut, 2 minutes, Pause]\nhypotheses:"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("M")
        assert isinstance(app.screen, MessagesScreen)
        await pilot.press("down", "enter")
        assert message_shown(app) == "2 minutes"
        await pilot.press("M", "escape")
        assert message_shown(app) == "2 minutes"


async def test_shift_m_without_presets_says_how_to_write_them(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("M")
        assert not isinstance(app.screen, MessagesScreen)
        assert any("messages:" in message for message in notices(app))


# ----- hidden digits


async def test_d_hides_the_digits_but_not_the_title_and_the_chimes_still_follow_the_time(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "d")
        countdown = app.query_one("#countdown")
        assert not countdown.display and not app.query_one("#progress").display
        assert "Ouverture" in shown(app.query_one("#title"))
        for seconds in (181, 90, 30):  # past the warning, the danger threshold, zero
            await settle(app, pilot, clock, seconds)
        assert app.ticker.bells == [(0, "warning"), (0, "danger"), (0, "overtime")]
        assert not countdown.display
        assert "temps masqué" in app.status_text() and "+00:01" not in app.status_text()  # nor on the status line
        await pilot.press("d")
        assert countdown.display and countdown.text == "+00:01"
        assert "dépassé +00:01" in app.status_text()


async def test_a_step_with_display_hidden_keeps_its_digits_off_and_still_ends_on_time(make, clock, tmp_path):
    agenda = SHORT.replace("    duration: 10m\n", "    duration: 10m\n    display: hidden\n")
    app = make(agenda)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        countdown = app.query_one("#countdown")
        assert countdown.display
        await pilot.press("n")
        assert not countdown.display
        await settle(app, pilot, clock, 600.5)
        assert not countdown.display and app.session.phase() == "overtime"
        assert app.ticker.bells[-1] == (1, "overtime")
        await pilot.press("n")
        assert countdown.display
    hidden = [event["state"]["hidden"] for event in read_journal(only_journal(tmp_path)).events if event["type"] == "step"]
    assert hidden == [True, False]


async def test_countup_shows_the_time_spent(make, clock):
    app = make(SHORT.replace("    duration: 5m\n", "    duration: 5m\n    display: countup\n"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 75.2)
        assert app.query_one("#countdown").text == "01:15"


# ----- the clicker


async def test_page_down_and_page_up_are_next_and_previous_even_with_the_notes_scrolled(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the side pane comes right after the first frame
        app.query_one("#notes-log").focus()
        await pilot.press("pagedown")
        assert app.session.index == 1
        await pilot.press("pagedown", "pageup")
        assert app.session.index == 1


async def test_the_clicker_keys_do_nothing_in_the_note_or_message_line_or_a_dialog(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i", *"a.b", "pagedown")
        assert app.session.index == 0 and app.query_one("#note-input").value == "a.b"
        await pilot.press("escape", "m", "pagedown", ".")
        assert app.session.index == 0 and app.query_one("#message-input").value == "."
        await pilot.press("escape", "question_mark", "pagedown", ".")
        assert app.session.index == 0 and isinstance(app.screen, HelpScreen)


async def test_full_stop_blacks_the_screen_out_until_any_key(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "full_stop")
        assert isinstance(app.screen, BlackoutScreen)
        assert shown(app.screen.query_one("#blackout-time")).strip() == time_of_day(clock.wall())
        await pilot.press("pagedown")  # any key brings the screen back, and does nothing else
        assert not isinstance(app.screen, BlackoutScreen) and app.session.index == 0
        await pilot.press("full_stop", "full_stop")
        assert not isinstance(app.screen, BlackoutScreen)


def only_journal(tmp_path):
    (path,) = sessions_dir(tmp_path / "state").glob("*.jsonl")
    return path


async def test_follow_shows_the_message_and_hides_the_digits_as_the_room_sees_them(clock, tmp_path):
    agenda = parse_agenda(SHORT, "petit.yaml")
    journal = Journal.create(tmp_path, SHORT, agenda.source, slugify(agenda.title), clock.wall())
    session = Session(agenda, clock, journal.append)
    session.start()
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        session.show_message("On conclut")
        session.set_hidden(True)
        assert follower.poll() is True
        await pilot.pause()
        assert message_shown(app) == "On conclut"
        assert not app.query_one("#countdown").display
        for key in ("m", "d", "M"):  # the viewer changes nothing
            await pilot.press(key)
        assert not app.query_one("#message-input").display and not isinstance(app.screen, MessagesScreen)
    journal.close()


async def test_a_message_in_presentation_mode_is_in_block_letters_and_keeps_the_digits_rows(make_bundled):
    """At 160x48 a message reads from the back of the room, and the digits keep their 18 rows."""
    app = make_bundled("codev")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("space", "n", "f")
        await pilot.pause()
        rows = digit_rows(app)
        await pilot.press("m", *"Pause café à 15 h", "enter")
        await pilot.pause()
        banner = app.query_one("#room-message")
        assert banner.text == "Pause café à 15 h"
        drawn = shown(banner)
        assert "█" in drawn and "Pause" not in drawn and banner.size.height >= 4  # block letters, not a line of text
        assert digit_rows(app) == rows == 18
