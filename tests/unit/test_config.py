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
