"""Does every run-time dependency install from wheels on each platform and Python we support?

    python tools/check_wheels.py                 # every platform and Python below
    python tools/check_wheels.py --python 3.12   # one Python

For each (platform, Python) it asks pip to resolve atelier-timer's run-time dependencies (those of
pyproject.toml) from binary wheels only, as a user's ``pip install`` on that machine would:
``pip download --only-binary=:all: --platform TAG --python-version X.Y``. It needs the network (or an
index holding those wheels) and Python 3.11 or later to run; it prints one line per pair, and what
failed; exit status 1 if any did.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "Windows x86-64": ["win_amd64"],
    "macOS 11+ Apple silicon": ["macosx_11_0_arm64"],
    # pip takes a wheel made for this macOS or an older one; miniaudio's cp314 wheel needs 10.15
    "macOS 10.15+ Intel": ["macosx_10_15_x86_64"],
    "Linux x86-64 (glibc 2.28+)": ["manylinux_2_28_x86_64", "manylinux2014_x86_64", "manylinux_2_17_x86_64"],
}
PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]


def dependencies() -> list[str]:
    """The run-time requirements in pyproject.toml (what ``pip install atelier-timer`` installs)."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def resolve(tags: list[str], python: str, requirements: list[str]) -> tuple[bool, str]:
    """Whether pip finds wheels for all of them (and their own dependencies); pip's last words if not."""
    abi = "cp" + python.replace(".", "")
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", folder]
        command += [option for tag in tags for option in ("--platform", tag)]
        command += ["--python-version", python, "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none"]
        result = subprocess.run(command + requirements, capture_output=True, text=True, check=False)
        if result.returncode:
            errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
            return False, " ".join(errors[:2]) or result.stderr.strip()[-300:]
        wheels = sorted(path.name for path in Path(folder).iterdir())
        return True, f"{len(wheels)} wheels, " + ", ".join(re.sub(r"-.*", "", w) for w in wheels if "none-any" not in w)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", help="only this Python version (X.Y); may be repeated")
    args = parser.parse_args()
    requirements = dependencies()
    print("run-time dependencies:", ", ".join(requirements))
    failed = 0
    for name, tags in PLATFORMS.items():
        for python in args.python or PYTHONS:
            ok, detail = resolve(tags, python, requirements)
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name:28} Python {python}: {detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
