"""What the room reads: nothing cut, now and next, calm states, the end screen, themes, dialogs that
keep their keys. Driven with Pilot on the fake clock."""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import Static

from atelier_timer.agenda import load_agenda
from atelier_timer.config import load_config
from atelier_timer.ui.dialogs.message import MessageScreen
from atelier_timer.ui.dialogs.question import QuestionScreen
from atelier_timer.ui.follow import Follower
from atelier_timer.ui.textual_compat import Palette
from atelier_timer.ui.themes import ThemeChoices
from atelier_timer.ui.widgets.bigtime import BigTime
from atelier_timer.ui.widgets.session_view import wrap_lines

from .conftest import digit_rows, on_screen, settle, shown
from .test_follow import state, writer  # noqa: F401  (fixtures)


def words(text: str) -> list[str]:
    return text.split()


def every_reminder_on_screen(app, step) -> bool:
    """Whether each of the step's reminders reads whole on screen."""
    shown_ = " ".join(words(on_screen(app.query_one("#reminders"))))
    return all(" ".join(words(reminder)) in shown_ for _, reminder in step.reminders)


async def test_the_first_prompt_of_codev_and_every_reminder_read_in_full_at_80x24(make_bundled):
    app = make_bundled("codev")
    step = load_agenda("codev").steps[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert words(on_screen(app.query_one("#prompt"))) == words(step.prompt)
        assert every_reminder_on_screen(app, step)
        assert digit_rows(app) >= 3  # and the countdown keeps its block digits
        assert "…" not in shown(app.query_one("#keys"))
        assert "Quitter" in shown(app.query_one("#keys")) and "ctrl+p" in shown(app.query_one("#keys"))


@pytest.mark.parametrize("size,rows", [((80, 24), 3), ((100, 30), 5), ((120, 36), 8), ((160, 48), 13)])
async def test_the_countdown_of_a_turn_stays_the_largest_thing_on_the_stage(make_bundled, size, rows):
    """codev opens on a step with turns: the turn's name and every text share the stage with the digits."""
    app = make_bundled("codev")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert digit_rows(app) >= rows
        name = app.query_one("#turn-name")
        assert name.region.height < digit_rows(app)
        assert "Le cadre (animation)" in on_screen(name) or "█" in on_screen(name)  # in words or in capitals


async def test_with_the_digits_hidden_every_reminder_is_still_on_screen_at_80x24(make_bundled):
    app = make_bundled("codev")
    step = load_agenda("codev").steps[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "d")
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#countdown").region.height == 0
        assert every_reminder_on_screen(app, step)


async def test_while_a_note_is_typed_the_prompt_makes_way_for_the_digits_and_the_reminders(make_bundled):
    app = make_bundled("codev")
    step = load_agenda("codev").steps[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "i")
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#side").display and app.query_one("#prompt").region.height == 0
        assert digit_rows(app) >= 3
        assert every_reminder_on_screen(app, step)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert words(on_screen(app.query_one("#prompt"))) == words(step.prompt) and digit_rows(app) >= 3


async def test_the_stage_takes_the_side_panes_room_only_while_it_is_not_in_use(make_bundled):
    app = make_bundled("codev")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        side = app.query_one("#side")
        assert not side.display  # the first step's prompt and reminders need the whole width
        await pilot.press("i")
        await pilot.pause()
        assert side.display and app.focused is app.query_one("#note-input")
        await pilot.press(*"vu", "enter", "escape")
        await pilot.pause()
        assert not side.display and digit_rows(app) >= 3
        await pilot.press("n")  # a step with fewer words: the pane comes back
        await pilot.pause()
        assert side.display and digit_rows(app) >= 3


def test_a_title_too_long_for_its_rows_ends_with_an_ellipsis_between_words():
    assert wrap_lines("Le cadre (animation)", 20, 1) == ["Le cadre (animation)"]
    assert wrap_lines("Le cadre (animation)", 12, 1) == ["Le cadre…"]
    assert wrap_lines("Témoignage d'un·e intra", 12, 2) == ["Témoignage", "d'un·e intra"]


async def test_the_three_testimonies_are_told_apart_in_the_agenda_at_100x30(make_bundled):
    app = make_bundled("temoignages")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        agenda = shown(app.query_one("#agenda"))
        assert "intra" in agenda and "designer" in agenda and "coach" in agenda
        for name in ("Prénom (intra)", "Prénom (designer)", "Prénom (coach)"):  # each on its own line
            assert f"↳ {name}" in agenda


async def test_coming_steps_show_their_projected_start(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 7 * 60)  # two minutes over a five-minute step
        agenda = shown(app.query_one("#agenda"))
        assert "12:13" in agenda and "12:23" in agenda  # planned 12:11 and 12:21: two minutes later now
        assert "12:13" in shown(app.query_one("#now-next"))


async def test_b_on_time_opens_a_dialog_and_its_n_never_reaches_the_screen(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 10)
        await pilot.press("b")
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("n")
        assert app.screen is app.screen_stack[0]
        assert app.session.index == 0 and app.status_text().startswith("1/3")


async def test_the_quit_question_keeps_the_resume_command_whole_at_80x24(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "q")
        await pilot.pause()
        lines = shown(app.screen.query_one("#dialog-body")).splitlines()
        assert any("atelier-timer resume" in line for line in lines)
        assert not any(line.rstrip().endswith("«") for line in lines)


async def test_keys_pressed_in_a_dialog_do_nothing_underneath(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("space", "right", "plus", "f", "i")
        assert app.session.running and app.session.index == 0 and app.session.durations[0] == 300
        assert not app.screen_stack[0].has_class("-present")
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0] and app.is_running


async def test_now_next_and_a_progress_bar_in_presentation_mode_at_160x48(make, clock):
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("space", "f")
        await settle(app, pilot, clock, 150)
        big_title = app.query_one("#big-title")
        assert big_title.region.height >= 5  # block capitals, larger than one line of text
        assert "Présentation" in shown(app.query_one("#now-next"))
        bar = app.query_one("#progress")
        drawn = bar.render_line(0).text
        assert bar.region.width > 100 and drawn.count("█") == len(drawn) // 2  # half the step
        keys = shown(app.query_one("#keys"))
        assert "Fin présentation" in keys  # the way out


async def test_digits_keep_their_size_at_zero_and_flash_only_at_first(make, clock):
    app = make()
    async with app.run_test(size=(120, 36)) as pilot:
        digits = app.query_one("#countdown", BigTime)
        await pilot.press("space")
        await settle(app, pilot, clock, 299)
        before = digits.scale
        await settle(app, pilot, clock, 2.2)
        assert digits.text == "+00:01" and digits.scale == before
        assert digits.has_class("-flash")
        await settle(app, pilot, clock, 10)
        assert not digits.has_class("-flash") and digits.has_class("-overtime")
        assert app.ticker.tick() > 0.5  # steady now: woken once a second, not twice


async def test_paused_digits_are_dimmed_with_the_word(make, clock):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 5)
        await pilot.press("space")
        assert app.query_one("#countdown").has_class("-paused")
        assert "pause" in shown(app.query_one("#hint")).lower()


async def test_a_finished_session_shows_its_end_screen_with_its_record(make, clock, tmp_path):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 400)
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert app.session.finished
        end = app.query_one("#end")
        text = " ".join(words(shown(end)))
        assert end.region.height > 0 and app.query_one("#countdown").region.height == 0
        assert "Session terminée" in text and "Durée réelle 06:40 · prévue 18:00" in text
        (record,) = (tmp_path / "notes").glob("*.md")
        assert record.name in text.replace(" ", "")
        assert app.query_one("#big-title").text == "Petit atelier"


async def test_follow_says_when_the_facilitator_closed_the_session(writer, clock):  # noqa: F811
    session, journal = writer
    follower = Follower(journal.path, clock=clock, lang="fr")
    app = follower.app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "fermée" not in shown(app.query_one("#hint"))
        clock.advance(30)
        session.pause()
        session.mark("quit")
        follower.poll()
        await settle(app, pilot)
        assert "Session fermée par l'animation à 12:08" in shown(app.query_one("#hint"))


async def test_a_theme_chosen_is_remembered_for_the_next_start(make):
    app = make(theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "light" and load_config()["theme"] == "light"
        app.theme = "contrast"  # as the palette's theme list does
        await pilot.pause()
    assert load_config()["theme"] == "contrast"
    again = make()
    async with again.run_test(size=(80, 24)):
        assert again.theme == "contrast"


async def test_light_typed_in_the_theme_palette_gives_a_light_screen_still_set_at_the_next_start(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"light")
        await pilot.pause()  # the palette searches as it is typed
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "light"
        background = app.screen.styles.background
        assert background.brightness > 0.8 and app.screen.styles.color.brightness < 0.3  # dark on light
    again = make()
    async with again.run_test(size=(80, 24)):
        assert again.theme == "light"


async def test_the_palette_speaks_the_ui_language(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Thème", "Capture d'écran", "Quitter", "Étape suivante"} <= titles
        assert not titles & {"Theme", "Quit", "Keys", "Screenshot"}
        themes = [label for label, _ in ThemeChoices(app.screen).commands]
        assert themes == ["Sombre (dark)", "Clair (light)", "Contraste élevé (contrast)"]  # ours only
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one("Input").placeholder == "Chercher une commande…"


async def test_the_palette_never_opens_over_a_dialog_whose_answer_it_would_skip(make):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)  # the question is still the one to answer
        await pilot.press("n", "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)


async def test_notices_never_cover_the_digits(make, clock):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "e")
        await pilot.pause()
        notices = app.query_one("#notices")
        assert "Notes exportées" in shown(notices)
        assert not notices.region.overlaps(app.query_one("#countdown").region)
        assert not notices.region.overlaps(app.query_one("#stage").region)


async def test_help_lists_every_key_and_the_command_palette_whole_at_80x24(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen.query_one("#dialog")
        keys = dialog.query_one(Static)
        assert dialog.content_region.contains_region(keys.region)  # nothing cut at the bottom
        assert app.screen.region.contains_region(dialog.region)
        listed = shown(keys)
        assert "ctrl+p" in listed and "Quitter" in listed and "Écran noir" in listed


async def test_the_palette_says_no_match_in_the_ui_language(make, monkeypatch):
    monkeypatch.setattr(Palette, "_NO_MATCHES_COUNTDOWN", 0.001)  # Textual waits half a real second first
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"zzzz")
        commands = app.screen.query_one(CommandList)
        for _ in range(200):  # the palette searches in a worker: wait for its answer, not for a number of frames
            await pilot.pause()
            if any(option.id == Palette._NO_MATCHES for option in commands.options):
                break
        said = " ".join(str(getattr(option.prompt, "renderable", option.prompt)) for option in commands.options)
        assert "Aucune commande ne correspond" in said and "No matches" not in said


async def test_the_digits_are_centred_on_the_stage(make_bundled):
    app = make_bundled("codev")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        stage, countdown = app.query_one("#stage").content_region, app.query_one(BigTime)
        line = max(shown(countdown).splitlines(), key=len)
        left = countdown.region.x + len(line) - len(line.lstrip())
        right = countdown.region.x + len(line.rstrip())
        assert abs((left - stage.x) - (stage.right - right)) <= 1, (left, right, stage)


async def test_in_presentation_mode_at_80x24_the_digits_come_before_the_titles(make_bundled):
    app = make_bundled("codev")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert app.query_one("#big-title").region.height == 1 and app.query_one("#turn-name").region.height == 1
        assert app.query_one(BigTime).scale >= 2


async def test_a_message_in_presentation_mode_at_80x24_keeps_every_reminder_and_the_block_digits(make_bundled):
    """The banner takes rows: the stage closes its gaps, and fitting again (a tick, a resize) keeps them
    closed rather than opening and cutting the last reminder."""
    app = make_bundled("codev")
    step = load_agenda("codev").steps[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "m", *"Pause café dans 5 minutes", "enter")
        await pilot.pause()
        for _ in range(3):
            assert "Pause café dans 5 minutes" in on_screen(app.query_one("#room-message"))
            assert every_reminder_on_screen(app, step)
            assert digit_rows(app) >= 3
            app.query_one("#stage").fit()
            await pilot.pause()


async def test_when_nothing_can_shrink_the_dialog_says_the_one_minute_floor(make, clock):
    app = make(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "n")
        await settle(app, pilot, clock, 20 * 60)  # ten minutes over the second step
        await pilot.press("b", "y")  # the last step goes down to its one minute
        assert app.session.durations[2] == 60
        await pilot.press("b")
        assert isinstance(app.screen, MessageScreen)
        body = shown(app.screen.query_one("#dialog-body"))
        assert "one-minute minimum" in body and "protected" not in body
        await pilot.press("n")
        assert app.session.index == 1


async def test_h_gives_the_hypotheses_the_side_pane(make_bundled):
    app = make_bundled("codev")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        panel = app.query_one("#hypotheses")
        assert panel.display and not app.query_one("#notes-log").display and not app.query_one("#agenda").display
        assert panel.region.height >= 16  # room for the four hypotheses of codev (a longer list scrolls)
        assert "#4" in shown(app.query_one("#hypotheses-list"))
        await pilot.press("h")
        assert app.query_one("#notes-log").display and app.query_one("#agenda").display
