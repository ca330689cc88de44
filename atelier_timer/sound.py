"""The chimes: synthesised here, played through the speakers without blocking the screen.

Each chime is a few bell-like notes (sine partials under a short attack and an exponential decay),
rendered once as 16-bit mono PCM. ``Chimes.play`` hands a chime to a background thread that opens an
audio device with miniaudio, plays it and closes the device, so the screen never waits for the sound
card. miniaudio ships its backends (PulseAudio, which PipeWire also serves, ALSA, CoreAudio, WASAPI)
inside its wheels, so nothing else needs installing. Where no device answers, the terminal bell rings
instead, and the caller is told once.

No Textual here: the web viewer pages take the same chimes as WAV files (``chime_wav``).
"""

from __future__ import annotations

import array
import io
import math
import sys
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from atelier_timer.config import SOUND_MODES, volume_of

SAMPLE_RATE = 22050  # plenty for chimes under 3 kHz, and half the work of rendering them
DEFAULT_VOLUME = 80  # percent
_PARTIALS = ((1, 1.0), (2, 0.35), (3, 0.12))  # (harmonic, weight): a soft bell timbre
_TABLE_SIZE = 4096  # one period of that timbre, read at each note's pitch
_ATTACK = 0.008  # seconds: a click-free onset
_PEAK = 0.6  # of full scale, at volume 100: several notes may overlap


class Note(NamedTuple):
    start: float  # seconds into the chime
    frequency: float  # Hz
    length: float  # seconds until it has faded out
    level: float = 1.0


# Distinct at a glance of the ear: warning rises on two notes, danger repeats a high one three times,
# zero is a long low chord, the end of a turn one quiet note.
CHIMES: dict[str, tuple[Note, ...]] = {
    "warning": (Note(0.0, 659.3, 0.6), Note(0.22, 880.0, 0.8)),
    "danger": (Note(0.0, 987.8, 0.35), Note(0.2, 987.8, 0.35), Note(0.4, 987.8, 0.6)),
    "zero": (Note(0.0, 523.3, 1.8), Note(0.0, 659.3, 1.8, 0.7), Note(0.3, 784.0, 1.5, 0.8)),
    "turn": (Note(0.0, 784.0, 0.5),),
}
SOFTER = {"turn": 0.4}  # the end of a turn is no alarm: its peak, against the others'



def chime_duration(name: str) -> float:
    """Seconds from the chime's first sound to the end of its last note."""
    return max(note.start + note.length for note in CHIMES[name])


@cache
def _wavetable() -> list[float]:
    tau = 2 * math.pi / _TABLE_SIZE
    return [sum(weight * math.sin(tau * harmonic * k) for harmonic, weight in _PARTIALS) for k in range(_TABLE_SIZE)]


@cache
def chime_samples(name: str) -> array.array:
    """The chime at full volume, as signed 16-bit mono samples at ``SAMPLE_RATE``."""
    table = _wavetable()
    mix = [0.0] * math.ceil(chime_duration(name) * SAMPLE_RATE)
    attack = _ATTACK * SAMPLE_RATE
    for note in CHIMES[name]:
        first, count = round(note.start * SAMPLE_RATE), round(note.length * SAMPLE_RATE)
        step = note.frequency * _TABLE_SIZE / SAMPLE_RATE
        decay = math.exp(-5.0 / count)  # per sample: down to e^-5 (under 1 %) by the note's end
        envelope, phase = note.level, 0.0
        for i in range(count):
            mix[first + i] += table[int(phase) % _TABLE_SIZE] * envelope * min(1.0, i / attack)
            phase += step
            envelope *= decay
    peak = max(map(abs, mix)) or 1.0
    factor = _PEAK * SOFTER.get(name, 1.0) * 32767 / peak
    return array.array("h", (round(x * factor) for x in mix))


def scaled(samples: array.array, volume: int) -> array.array:
    """The samples at ``volume`` percent."""
    factor = max(0, min(volume, 100)) / 100
    return array.array("h", (round(x * factor) for x in samples))


def chime_wav(name: str, volume: int = 100) -> bytes:
    """The chime as a WAV file (16-bit mono PCM), for the web viewer pages."""
    import wave  # only the web server needs it: not loaded at the timer's start

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        samples = scaled(chime_samples(name), volume)
        if sys.byteorder == "big":
            samples.byteswap()
        wav.writeframes(samples.tobytes())
    return buffer.getvalue()


def choose_sound(
    command_line: str | None, volume: int | None, agenda_sound: str | None, agenda_volume: int | None, remembered: dict
) -> tuple[str, int]:
    """The sound mode and volume: the command line wins over the agenda, the agenda over the user's settings."""
    saved_sound = remembered.get("sound")
    saved_volume = remembered.get("volume")
    mode = command_line or agenda_sound or (saved_sound if saved_sound in SOUND_MODES else "on")
    if volume is None:
        volume = agenda_volume
    if volume is None:
        saved = volume_of(saved_volume) if isinstance(saved_volume, int) else None  # a number, as save_config wrote it
        volume = DEFAULT_VOLUME if saved is None else saved
    return mode, volume


class NoAudioDevice(Exception):
    """No audio device answered."""


def play_blocking(samples: array.array) -> None:
    """Play the samples on the default output and return when they are done; ``NoAudioDevice`` if none answers."""
    miniaudio = _audio_library()
    _silence_alsa()
    try:
        device = miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=SAMPLE_RATE,
            backends=_backends(miniaudio),
        )
    except miniaudio.MiniaudioError as error:
        raise NoAudioDevice(str(error)) from None
    done = threading.Event()

    def stream():
        wanted = yield b""
        position = 0
        while position < len(samples):
            chunk = samples[position : position + wanted]
            position += wanted
            wanted = yield chunk
        done.set()
        while True:  # the device asks until it is closed: silence
            wanted = yield array.array("h", bytes(2 * wanted))

    try:
        generator = stream()
        next(generator)
        device.start(generator)
        # the device's own buffer still holds the chime's last ~100 ms when the stream is drained
        done.wait(len(samples) / SAMPLE_RATE + 2.0)
        time.sleep(0.25)
    finally:
        device.close()


def _backends(miniaudio) -> list:
    """The backends worth trying, in order; never miniaudio's null device, which plays to nobody."""
    names = ("PULSEAUDIO", "ALSA", "COREAUDIO", "WASAPI", "DSOUND", "SNDIO", "OSS")
    return [miniaudio.Backend[name] for name in names]


_alsa_handler = None


def _silence_alsa() -> None:
    """ALSA prints its failures on the terminal's stderr, where the screen is drawn: give it a handler that says nothing."""
    global _alsa_handler
    if _alsa_handler is not None or not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    _alsa_handler = handler_type(lambda *args: None)
    name = ctypes.util.find_library("asound")
    if name:
        try:
            ctypes.CDLL(name).snd_lib_error_set_handler(_alsa_handler)
        except (OSError, AttributeError):
            pass


def _audio_library():
    """miniaudio, imported on the chimes' own thread: its first import takes half a second."""
    try:
        import miniaudio
    except ImportError as error:
        raise NoAudioDevice(f"miniaudio cannot be loaded: {error}") from None
    return miniaudio


def _prepare() -> None:
    for name in CHIMES:
        chime_samples(name)
    try:
        _audio_library()
    except NoAudioDevice:
        pass  # the first chime will say so


class Chimes:
    """Rings the named chimes as ``mode`` says: ``on`` (the speakers), ``bell`` (the terminal bell) or ``off``.

    ``bell`` rings the terminal bell (called from ``play``); ``no_device`` is called from the playing
    thread when no audio device answered, after which every chime is the bell. ``player`` plays
    samples to their end (``play_blocking``, the speakers).
    """

    def __init__(
        self,
        mode: str = "on",
        volume: int = DEFAULT_VOLUME,
        *,
        bell: Callable[[], None] = lambda: None,
        no_device: Callable[[], None] = lambda: None,
        player: Callable[[array.array], None] | None = None,
    ) -> None:
        if mode not in SOUND_MODES:
            raise ValueError(f"sound must be one of {', '.join(SOUND_MODES)}, not {mode!r}")
        self.mode = mode
        self.volume = volume
        self.device_missing = False
        self._bell = bell
        self._no_device = no_device
        self._player = player or play_blocking
        self.threads: list[threading.Thread] = []  # the chimes playing: tests and quitting wait on them

    def prepare(self) -> None:
        """Render the chimes and load the audio library in the background, so the first chime is on time."""
        if self.mode == "on":
            threading.Thread(target=_prepare, name="chimes-prepare", daemon=True).start()

    def play(self, name: str) -> None:
        """Ring the chime ``name`` (one of ``CHIMES``) and return at once."""
        if name not in CHIMES:
            raise ValueError(f"no chime called {name!r}")
        if self.mode == "off":
            return
        if self.mode == "bell" or self.device_missing:
            self._bell()
            return
        thread = threading.Thread(target=self._play, args=(name,), name=f"chime-{name}", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def _play(self, name: str) -> None:
        try:
            self._player(scaled(chime_samples(name), self.volume))
        except NoAudioDevice:
            self.device_missing = True
            self._no_device()

    def wait(self, timeout: float = 5.0) -> None:
        """Let the chimes playing finish (at most ``timeout`` seconds each)."""
        for thread in self.threads:
            thread.join(timeout)
