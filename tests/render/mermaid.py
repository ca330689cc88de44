"""Draw a Mermaid block with the real Mermaid library in headless Chromium, and read back its bars.

The Mermaid releases come from npm into a cache folder that ``.ci/run`` prepares
(``npm install --prefix DIR mermaid10@npm:mermaid@10 mermaid12@npm:mermaid@12``); DIR is
``$ATELIER_MERMAID_DIR``, else ``.cache/mermaid`` at the top of the checkout. Without Chromium or
without that folder, :func:`missing` says why, and the tests skip with that reason.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]


def mermaid_dir() -> Path:
    return Path(os.environ.get("ATELIER_MERMAID_DIR") or ROOT / ".cache" / "mermaid")


def library(major: int) -> Path:
    """The browser build of the installed Mermaid ``major`` release."""
    return mermaid_dir() / "node_modules" / f"mermaid{major}" / "dist" / "mermaid.min.js"


def version(major: int) -> str:
    return json.loads((library(major).parents[1] / "package.json").read_text())["version"]


def missing(major: int) -> str | None:
    """Why Mermaid ``major`` cannot be drawn here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    if not library(major).exists():
        return f"Mermaid {major} is not installed in {mermaid_dir()} (run .ci/run, or npm install there)"
    return None


PAGE = """<!doctype html><meta charset="utf-8">
<body style="margin:0;background:#fff">{charts}
<script src="{library}"></script>
<script>
mermaid.initialize({{startOnLoad: false, theme: "default", gantt: {{useWidth: 1200}}}});
(async () => {{
  for (const out of document.querySelectorAll(".out")) {{
    const code = document.getElementById("code-" + out.dataset.n).textContent;
    try {{ out.innerHTML = (await mermaid.render("chart" + out.dataset.n, code)).svg; }}
    catch (error) {{ out.textContent = "ERROR " + error; }}
  }}
  document.title = "drawn";
}})();
</script>"""
CHART = '<div class="out" id="out-{n}" data-n="{n}"></div><pre id="code-{n}" style="display:none">{code}</pre>'
SEPARATOR = '<div class="out" id="out-'


def draw(codes: list[str], major: int, png: Path | None = None, tz: str = "America/New_York") -> list[str]:
    """What Mermaid ``major`` drew of each of ``codes`` (one page, one browser), as HTML; a PNG too if asked.

    The browser runs in another time zone than the workshop's on purpose: the axis must still
    show the room's clock.
    """
    charts = "".join(CHART.format(n=n, code=html.escape(code)) for n, code in enumerate(codes))
    with tempfile.TemporaryDirectory(prefix="report-mermaid-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(PAGE.format(charts=charts, library=library(major).as_uri()), encoding="utf-8")
        env = {**os.environ, "TZ": tz}
        base = [CHROMIUM, *FLAGS, f"--user-data-dir={folder}/profile", "--virtual-time-budget=15000"]
        if png is not None:
            subprocess.run(
                [*base, f"--screenshot={png}", f"--window-size=1300,{350 * len(codes)}", page.as_uri()],
                env=env, capture_output=True, timeout=120, check=True,
            )
        done = subprocess.run(
            [*base, "--dump-dom", page.as_uri()], env=env, capture_output=True, text=True, timeout=120, check=True
        )
    drawn = done.stdout.split(SEPARATOR)[1:]
    assert len(drawn) == len(codes), done.stdout[-500:]
    return drawn


@dataclass(frozen=True)
class Bar:
    name: str
    x: float
    y: float
    width: float


class _Chart(HTMLParser):
    """The gantt's task rectangles, their names and the axis tick labels, from the drawn SVG."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: dict[str, tuple[float, float, float]] = {}
        self.names: dict[str, str] = {}
        self.ticks: list[str] = []
        self._text: str | None = None
        self._in_tick = 0
        self._buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "rect" and any(c.startswith("task") for c in classes) and a.get("id") and "width" in a:
            self.rects[a["id"]] = (float(a["x"]), float(a["y"]), float(a["width"]))
        elif tag == "text" and a.get("id", "").endswith("-text"):
            self._text, self._buffer = a["id"][: -len("-text")], ""
        elif tag == "g" and "tick" in classes:
            self._in_tick += 1
        elif tag == "text" and self._in_tick:
            self._text, self._buffer = "tick", ""

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._buffer += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "text" and self._text is not None:
            if self._text == "tick":
                self.ticks.append(self._buffer.strip())
            else:
                self.names[self._text] = self._buffer.strip()
            self._text = None
        elif tag == "g" and self._in_tick:
            self._in_tick -= 1


def measure(page: str) -> tuple[list[Bar], list[str]]:
    """The bars (top to bottom) and the tick labels (left to right) of a drawn gantt."""
    if "ERROR" in page and "<svg" not in page:
        raise AssertionError("Mermaid failed: " + re.sub(r"<[^>]+>", " ", page).strip()[-300:])
    chart = _Chart()
    chart.feed(page)
    bars = [Bar(chart.names.get(key, key), x, y, w) for key, (x, y, w) in chart.rects.items()]
    return sorted(bars, key=lambda bar: bar.y), chart.ticks
