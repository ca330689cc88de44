"""Fixtures every kind of test shares."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import posix_hidden

if posix_hidden.hidden():  # before the package is imported: the paths Windows takes
    posix_hidden.hide()

from atelier_timer import sound  # noqa: E402


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
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test has its own empty user cache directory (where unwritten events are kept)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def speakers(monkeypatch: pytest.MonkeyPatch) -> list:
    """The chimes' samples, in the order played: tests never open an audio device unless they mean to."""
    played: list = []
    monkeypatch.setattr(sound, "play_blocking", played.append)
    return played


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 128 KiB tmpfs, to fill as a full disk (root only; skipped elsewhere)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("this machine refuses to mount a tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)
