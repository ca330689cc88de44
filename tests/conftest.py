"""Fixtures every kind of test shares."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Paris time, so the HH:MM on screen and in the record do not depend on the machine."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
