"""Fixtures every kind of test shares."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from atelier_timer import sound


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Paris time, so the HH:MM on screen and in the record do not depend on the machine."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test has its own empty user config directory: none ever reads or writes the real one."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def speakers(monkeypatch: pytest.MonkeyPatch) -> list:
    """The chimes' samples, in the order played: tests never open an audio device unless they mean to."""
    played: list = []
    monkeypatch.setattr(sound, "play_blocking", played.append)
    return played
