"""The user's settings, kept between sessions in one YAML file (theme, sound, volume), and the choices
every setting has, wherever it is given: the command line, an agenda, the settings file.

The file lives in the user config directory (``$XDG_CONFIG_HOME/atelier-timer/config.yaml`` on
Linux). A missing, unreadable or damaged file reads as no settings: a preference is never worth
refusing to start a workshop.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from atelier_timer.files import write_atomic

LANGUAGES = ("fr", "en")  # of the screen, the record and the command line's words
SOUND_MODES = ("on", "bell", "off")  # the speakers, the terminal bell only, nothing
THEME_NAMES = ("dark", "light", "contrast")  # the app's own themes (ui/themes.py)


def volume_of(value: object) -> int | None:
    """A volume in percent, from a whole number or its text ("80", " 80 "), 0 to 100; else None."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}", value.strip()):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    return None


def config_path() -> Path:
    """Where the settings are kept."""
    import platformdirs  # here: what only reads an agenda needs the choices above, not the user's folders

    return Path(platformdirs.user_config_dir("atelier-timer", appauthor=False)) / "config.yaml"  # no author folder on Windows


def load_config() -> dict[str, Any]:
    """The saved settings (an empty dict when there are none, or when the file cannot be read)."""
    try:
        settings = yaml.safe_load(config_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return settings if isinstance(settings, dict) else {}


def save_config(**settings: Any) -> None:
    """Merge ``settings`` into the saved ones and write the file atomically (``OSError`` when it cannot)."""
    path = config_path()
    merged = {**load_config(), **settings}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, yaml.safe_dump(merged, allow_unicode=True, sort_keys=True))


CLICKER_MODES = ("turns", "steps")


def clicker_mode(settings: dict[str, object]) -> str:
    """What a clicker's Page Down / Page Up move by in a step made of turns: ``turns`` (the default) or ``steps``."""
    mode = settings.get("clicker")
    return mode if mode in CLICKER_MODES else "turns"
