"""An agenda written by ``atelier-timer import`` opens in the timer and runs."""

from __future__ import annotations

from pathlib import Path

from atelier_timer.agenda import load_agenda
from atelier_timer.cli import main

from .conftest import settle, shown

TABLE = Path(__file__).parents[1] / "unit" / "golden" / "import" / "atelier-fr.csv"


async def test_an_imported_spreadsheet_runs(make, clock, tmp_path, capsys):
    (tmp_path / "plan.csv").write_bytes(TABLE.read_bytes())
    assert main(["import", str(tmp_path / "plan.csv")]) == 0
    written = tmp_path / "plan.yaml"
    assert load_agenda(str(written)).total == 37 * 60 + 30
    app = make(written.read_text(encoding="utf-8"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Accueil" in shown(app.query_one("#title")) and "Camille" in shown(app.query_one("#speaker"))
        assert app.status_text().startswith("1/4 · reste 10:00")
        await pilot.press("space")
        await settle(app, pilot, clock, 12)
        await pilot.press("n")
        await settle(app, pilot, clock, 1)
        assert "Tour de table" in shown(app.query_one("#title"))
