"""The core modules are plain Python: importing them must not load Textual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import atelier_timer

CORE = [
    "atelier_timer.agenda",
    "atelier_timer.clock",
    "atelier_timer.session",
    "atelier_timer.journal",
    "atelier_timer.rescue",
    "atelier_timer.report",
    "atelier_timer.measures",
    "atelier_timer.stats",
    "atelier_timer.i18n",
    "atelier_timer.files",
    "atelier_timer.config",
    "atelier_timer.safetext",
    "atelier_timer.importer",
    "atelier_timer.sound",
    "atelier_timer.config",
    "atelier_timer.serve",
    "atelier_timer.live",
    "atelier_timer.control",
    "atelier_timer.keys",
    "atelier_timer.ui.timing",  # the screen's timing rules, under ui/ but plain Python
    "atelier_timer.portable",
    "atelier_timer.audience",
    "atelier_timer.post",
    "atelier_timer.web.server",
    "atelier_timer.cli",
    "atelier_timer.texts",
    "atelier_timer.errors",
    "atelier_timer.hosts",
]


def test_core_modules_do_not_import_textual():
    modules = CORE
    imports = "".join(f"import {name}\n" for name in modules)
    code = "import sys\n" + imports + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    env = {**os.environ, "PYTHONPATH": str(Path(atelier_timer.__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]", f"{modules} loaded {result.stdout}"
