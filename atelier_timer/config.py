"""The user's remembered settings: one YAML mapping in the platform's user config folder.

``XDG_CONFIG_HOME`` is respected (the tests point it at a temporary folder). No Textual here.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from atelier_timer.files import write_atomic


def config_path() -> Path:
    """Where the settings live: ``<user config dir>/atelier-timer/config.yaml``."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("atelier-timer")) / "config.yaml"


def load_config() -> dict:
    """The remembered settings; an empty mapping when there are none or the file cannot be read."""
    try:
        data = yaml.safe_load(config_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(**settings) -> None:
    """Remember ``settings`` (merged over the ones already saved), written atomically."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, yaml.safe_dump({**load_config(), **settings}, allow_unicode=True, sort_keys=True))
