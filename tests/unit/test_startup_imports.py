"""The first frame does without the modules of what it does not show: the side pane's panes, the note and
message lines, the notices, the message to the room and the end summary are imported when first mounted
(start-up time: benchmarks/performance.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import atelier_timer

LATER = [
    "atelier_timer.ui.widgets.agenda",
    "atelier_timer.ui.widgets.hypotheses",
    "atelier_timer.ui.widgets.notes",
    "atelier_timer.ui.widgets.note_input",
    "atelier_timer.ui.widgets.message",
    "atelier_timer.ui.widgets.notices",
    "atelier_timer.ui.widgets.end",
    "atelier_timer.ui.dialogs.dialog",
    "atelier_timer.ui.dialogs.help",
    "atelier_timer.ui.dialogs.rebalance",
]


def test_the_app_module_imports_none_of_the_widgets_the_first_frame_does_without():
    code = "import json, sys, atelier_timer.ui.app\nprint(json.dumps([m for m in sys.modules if m.startswith('atelier_timer.')]))"
    env = {**os.environ, "PYTHONPATH": str(Path(atelier_timer.__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    loaded = json.loads(result.stdout)
    assert "atelier_timer.ui.widgets.stage" in loaded  # the check sees what the app imports
    assert [name for name in LATER if name in loaded] == []
