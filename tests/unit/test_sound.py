"""The chimes: synthesised, distinct, as WAV for the web pages, rung as the settings say, never blocking."""

from __future__ import annotations

import io
import threading
import time
import wave

import pytest

from atelier_timer.sound import (
    CHIMES,
    DEFAULT_VOLUME,
    SAMPLE_RATE,
    Chimes,
    NoAudioDevice,
    chime_duration,
    chime_samples,
    chime_wav,
    choose_sound,
    scaled,
)


def test_each_chime_is_its_own_sound_and_fades_out():
    rendered = {name: chime_samples(name) for name in CHIMES}
    assert len({samples.tobytes() for samples in rendered.values()}) == len(CHIMES)
    for name, samples in rendered.items():
        assert len(samples) == pytest.approx(chime_duration(name) * SAMPLE_RATE, abs=1)
        assert max(map(abs, samples)) > 5_000, name
        assert max(map(abs, samples[-100:])) < 500, f"{name} ends in a click"
    assert max(map(abs, rendered["turn"][: SAMPLE_RATE // 10])) < max(map(abs, rendered["zero"][: SAMPLE_RATE // 10]))


def test_the_wav_is_16_bit_mono_pcm_of_the_chime_at_its_volume():
    with wave.open(io.BytesIO(chime_wav("zero", volume=50))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, SAMPLE_RATE)
        frames = wav.readframes(wav.getnframes())
    assert frames == scaled(chime_samples("zero"), 50).tobytes()
    assert max(map(abs, scaled(chime_samples("zero"), 50))) == pytest.approx(max(map(abs, chime_samples("zero"))) / 2, abs=1)


@pytest.mark.parametrize(
    ("command_line", "volume", "agenda", "saved", "expected"),
    [
        (None, None, (None, None), {}, ("on", DEFAULT_VOLUME)),
        (None, None, (None, None), {"sound": "bell", "volume": 30}, ("bell", 30)),
        (None, None, ("off", 50), {"sound": "bell", "volume": 30}, ("off", 50)),
        ("on", 90, ("off", 50), {"sound": "bell", "volume": 30}, ("on", 90)),
        (None, None, (None, None), {"sound": "loud", "volume": 300}, ("on", DEFAULT_VOLUME)),  # a bad file is ignored
    ],
)
def test_the_command_line_wins_over_the_agenda_over_the_saved_setting(command_line, volume, agenda, saved, expected):
    assert choose_sound(command_line, volume, *agenda, saved) == expected


def test_playing_never_waits_for_the_sound_card():
    release = threading.Event()
    played = []

    def slow_card(samples):
        release.wait(5)
        played.append(samples)

    chimes = Chimes("on", 100, player=slow_card)
    began = time.monotonic()
    chimes.play("zero")
    assert time.monotonic() - began < 0.5 and played == []
    release.set()
    chimes.wait()
    assert played == [chime_samples("zero")]


def test_bell_mode_rings_the_terminal_bell_and_off_rings_nothing():
    rung, played = [], []
    Chimes("bell", bell=lambda: rung.append(1), player=played.append).play("danger")
    Chimes("off", bell=lambda: rung.append(1), player=played.append).play("danger")
    assert rung == [1] and played == []


def test_without_an_audio_device_it_says_so_then_rings_the_bell():
    rung, told = [], []

    def no_card(samples):
        raise NoAudioDevice("none")

    chimes = Chimes("on", bell=lambda: rung.append(1), no_device=lambda: told.append(1), player=no_card)
    chimes.play("warning")
    chimes.wait()
    chimes.play("zero")
    assert told == [1] and rung == [1] and chimes.device_missing
