"""The user's settings, kept between sessions in one YAML file: the theme, later the sound.

The file lives in the user config directory (``$XDG_CONFIG_HOME/atelier-timer/config.yaml`` on
Linux). A missing, unreadable or damaged file reads as no settings: a preference is never worth
refusing to start a workshop.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
import yaml

from atelier_timer.files import write_atomic


def config_path() -> Path:
    """Where the settings are kept."""
    return Path(platformdirs.user_config_dir("atelier-timer", appauthor=False)) / "config.yaml"  # no author folder on Windows


def load_config() -> dict:
    """The saved settings (an empty dict when there are none, or when the file cannot be read)."""
    try:
        settings = yaml.safe_load(config_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return settings if isinstance(settings, dict) else {}


def save_config(**settings) -> None:
    """Merge ``settings`` into the saved ones and write the file atomically (``OSError`` when it cannot)."""
    path = config_path()
    merged = {**load_config(), **settings}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, yaml.safe_dump(merged, allow_unicode=True, sort_keys=True))


CLICKER_MODES = ("turns", "steps")


def clicker_mode(settings: dict) -> str:
    """What a clicker's Page Down / Page Up move by in a step made of turns: ``turns`` (the default) or ``steps``."""
    mode = settings.get("clicker")
    return mode if mode in CLICKER_MODES else "turns"
