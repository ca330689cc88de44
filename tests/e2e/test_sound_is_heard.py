"""The chimes reach the speakers: a real PulseAudio server with a null sink, whose monitor is recorded.

The server runs as this user with a private runtime folder (no system daemon, nothing shared with a
desktop session); the app finds it through ``PULSE_SERVER`` as any PulseAudio client does. Where
no server can start, the tests are skipped and say why.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from atelier_timer import sound
from atelier_timer.agenda import parse_agenda
from atelier_timer.clock import FakeClock
from atelier_timer.sound import SAMPLE_RATE, chime_duration, play_blocking
from atelier_timer.ui.app import make_app

from .conftest import Terminal

SINK = "atelier"
LOUD = 300  # RMS over 10 ms, of 32767: about -40 dBFS, well above a null sink's digital silence
AGENDA = "title: Son\nsteps:\n  - {title: Dix secondes, duration: 10s}\n  - {title: Suite, duration: 5m}\n"


@dataclass
class PulseServer:
    address: str  # what PULSE_SERVER says

    def record(self, path: Path) -> subprocess.Popen:
        """Start recording what the sink plays (mono, 16-bit, at the chimes' rate) into ``path``."""
        command = ["parec", "-s", self.address, "-d", f"{SINK}.monitor", "--format=s16le", f"--rate={SAMPLE_RATE}"]
        recorder = subprocess.Popen([*command, "--channels=1", "--raw", str(path)])
        _wait_until(lambda: self.pactl("list", "short", "source-outputs").strip() != "" or recorder.poll() is not None)
        time.sleep(0.2)  # the stream is attached: let a little silence in first
        return recorder

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", "-s", self.address, *args], capture_output=True, text=True, timeout=10).stdout


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    missing = [tool for tool in ("pulseaudio", "parec", "pactl") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no sound server to test with: {', '.join(missing)} not installed (Debian: pulseaudio, pulseaudio-utils)")
    home = tmp_path_factory.mktemp("pulse")
    socket = home / "native"
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home), "XDG_CONFIG_HOME": str(home)}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
         "--log-target=stderr", "--load", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
         "--load", f"module-null-sink sink_name={SINK}", "--load", "module-always-sink"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    address = f"unix:{socket}"
    probe = PulseServer(address)
    _wait_until(lambda: server.poll() is not None or "Default Sink: " + SINK in probe.pactl("info"))
    if server.poll() is not None or "Default Sink: " + SINK not in probe.pactl("info"):
        server.kill()
        reason = (server.communicate()[1] or "").strip().splitlines()[-1:] or ["it did not answer"]
        pytest.skip(f"no sound server to test with: PulseAudio would not start ({reason[0]})")
    yield probe
    server.terminate()
    server.wait(10)


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def recorded(path: Path) -> array.array:
    """The samples recorded so far (a recording still being written may end mid-sample)."""
    data = path.read_bytes()
    samples = array.array("h")
    samples.frombytes(data[: len(data) // 2 * 2])
    return samples


def loud_span(path: Path) -> tuple[float, int]:
    """Seconds from the first to the last loud 10 ms of a recording, and its loudest sample."""
    samples = recorded(path)
    window = SAMPLE_RATE // 100
    loud = [
        i
        for i in range(0, len(samples) - window + 1, window)
        if (sum(x * x for x in samples[i : i + window]) / window) ** 0.5 > LOUD
    ]
    if not loud:
        return 0.0, max(map(abs, samples), default=0)
    return (loud[-1] + window - loud[0]) / SAMPLE_RATE, max(map(abs, samples))


def wait_until_quiet(recording: Path, heard_within: float) -> None:
    """Let the recording run until a sound has come and half a second of silence followed it.

    A loaded machine may start the chime late: wait for its end rather than for a fixed time.
    """
    deadline = time.monotonic() + heard_within
    while time.monotonic() < deadline:
        time.sleep(0.2)
        samples = recorded(recording)
        loud = [i for i, x in enumerate(samples) if abs(x) > LOUD]
        if loud and len(samples) - loud[-1] > SAMPLE_RATE // 2:
            return


def assert_heard_the_zero_chime(recording: Path) -> None:
    span, peak = loud_span(recording)
    assert peak > 3000, f"the recording is silence (loudest sample {peak})"
    # the chime fades out: its last fifth is below the loudness threshold
    assert 0.6 * chime_duration("zero") <= span <= chime_duration("zero") + 0.3, f"heard for {span:.2f} s"


async def test_the_zero_chime_is_heard_through_the_apps_own_path(pulse, tmp_path, monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", pulse.address)
    monkeypatch.setattr(sound, "play_blocking", play_blocking)  # the real speakers, not the tests' stand-in
    clock = FakeClock(wall=1_795_000_000.0)
    app = make_app(parse_agenda(AGENDA, "son.yaml"), clock=clock, state_dir=tmp_path, source_text=AGENDA, notes_dir=tmp_path)
    recording = tmp_path / "zero.raw"
    recorder = pulse.record(recording)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            clock.advance(10.2)
            app.ticker.tick()
            await pilot.pause()
            assert app.ticker.bells == [(0, "overtime")]
        app.ticker.chimes.wait()
        assert not app.ticker.chimes.device_missing, "miniaudio found no PulseAudio device"
    finally:
        time.sleep(0.2)
        recorder.terminate()
        recorder.wait(10)
    assert_heard_the_zero_chime(recording)


@pytest.mark.parametrize("sound", ["on", "off"])
def test_the_installed_command_chimes_at_the_end_of_a_step_unless_told_not_to(pulse, tmp_path, sound):
    agenda = tmp_path / "court.yaml"
    agenda.write_text(AGENDA.replace("10s", "2s"), encoding="utf-8")
    env = {**os.environ, "PULSE_SERVER": pulse.address, "ATELIER_TIMER_STATE_DIR": str(tmp_path / "state")}
    recording = tmp_path / "run.raw"
    terminal = Terminal(["run", str(agenda), "--sound", sound, "--notes-dir", str(tmp_path)], env, str(tmp_path), (80, 24))
    try:
        terminal.wait_for("Dix secondes")
        recorder = pulse.record(recording)
        terminal.send(" ")
        terminal.wait_for("+00:01")  # past zero
        wait_until_quiet(recording, heard_within=6.0 if sound == "on" else chime_duration("zero") + 1.0)
        recorder.terminate()
        recorder.wait(10)
    finally:
        terminal.close()
    if sound == "on":
        assert_heard_the_zero_chime(recording)
    else:
        assert loud_span(recording) == (0.0, 0), "--sound off played something"
