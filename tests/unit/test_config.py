"""The user's settings file: remembered between runs, never in the way."""

from __future__ import annotations

from atelier_timer.config import config_path, load_config, save_config


def test_settings_are_remembered_and_merged(user_config):
    assert load_config() == {}
    save_config(theme="light")
    save_config(volume=40)
    assert config_path() == user_config / "atelier-timer" / "config.yaml"
    assert load_config() == {"theme": "light", "volume": 40}
    assert "theme: light" in config_path().read_text()


def test_a_damaged_file_reads_as_no_settings(user_config):
    config_path().parent.mkdir(parents=True)
    for text in ("theme: [unclosed", "- a list\n", "\xff\xfe"):
        config_path().write_text(text, encoding="latin-1")
        assert load_config() == {}
    save_config(theme="dark")  # and saving replaces it with a good one
    assert load_config() == {"theme": "dark"}


def test_one_volume_rule_for_the_command_line_the_agenda_and_the_settings(tmp_path):
    import argparse

    import pytest

    from atelier_timer.agenda import AgendaError, parse_agenda
    from atelier_timer.cli import _volume
    from atelier_timer.config import volume_of
    from atelier_timer.sound import DEFAULT_VOLUME, choose_sound

    for good, volume in (("0", 0), ("100", 100), (" 80 ", 80), ("007", 7), (55, 55)):
        assert volume_of(good) == volume
    for bad in ("101", "-1", "1000", "8.5", "", "loud", True, 101, -5, 50.0, None):
        assert volume_of(bad) is None
    assert _volume("35") == 35
    with pytest.raises(argparse.ArgumentTypeError, match="must be a whole number from 0 to 100, not '101'"):
        _volume("101")
    steps = "steps:\n  - {title: A, duration: 1}\n"
    assert parse_agenda(f"title: T\nalerts: {{volume: 30}}\n{steps}", "a.yaml").alerts.volume == 30
    with pytest.raises(AgendaError, match=r"a.yaml:2:18: error: alerts.volume must be a whole number from 0 to 100 \(percent\), not '101'"):
        parse_agenda(f"title: T\nalerts: {{volume: 101}}\n{steps}", "a.yaml")
    assert choose_sound(None, None, None, None, {"volume": 30}) == ("on", 30)
    assert choose_sound(None, None, None, None, {"volume": 130}) == ("on", DEFAULT_VOLUME)


def test_the_choices_of_the_settings_are_the_ones_the_app_has():
    from atelier_timer.config import LANGUAGES, SOUND_MODES, THEME_NAMES
    from atelier_timer.i18n import UI_STRINGS
    from atelier_timer.ui.themes import THEMES

    assert THEME_NAMES == tuple(THEMES)
    assert all(set(texts) == set(LANGUAGES) for texts in UI_STRINGS.values())
    assert SOUND_MODES == ("on", "bell", "off")
