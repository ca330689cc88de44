"""The user's keymap (config.yaml's ``keys:``): a remapped key works, the old one no longer does, and the
help, the key bar and the palette say the keys in use."""

from __future__ import annotations

import yaml

from atelier_timer.cli import main
from atelier_timer.config import config_path
from atelier_timer.ui.dialogs.help import HelpScreen

from .conftest import shown


def keymap(keys: dict) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(yaml.safe_dump({"keys": keys}), encoding="utf-8")


async def help_lines(app, pilot) -> list[str]:
    """The help's lines as read on screen, spaces squeezed."""
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return [" ".join(line.split()) for line in shown(app.screen.query_one("#dialog Static")).splitlines()]


async def test_a_remapped_key_works_and_the_old_one_no_longer_does(make):
    keymap({"next": "j,right", "toggle": "g"})
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "n")
        assert not app.session.started and app.session.index == 0  # the old keys do nothing now
        await pilot.press("g")
        assert app.session.running
        await pilot.press("j")
        assert app.session.index == 1
        await pilot.press("right")  # a key kept in the map
        assert app.session.index == 2
        await pilot.press("n", "p")  # n is no key now; p still is
        assert app.session.index == 1


async def test_the_help_and_the_key_bar_show_the_keys_in_use(make):
    keymap({"next": "j", "note": "ctrl+n", "help": "f1"})
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        bar = shown(app.query_one("#keys"))
        assert " j Suiv." in bar and " ctrl+n Note" in bar and " f1 Aide" in bar and " n " not in bar
        await pilot.press("f1")
        lines = await help_lines(app, pilot)
        assert any(line.startswith("j PgSuiv Étape suivante") for line in lines), lines  # the clicker's key kept
        assert any(line.startswith("ctrl+n Écrire une note") for line in lines), lines
        assert any(line.startswith("T Tour précédent") for line in lines), lines  # T and shift+t: one key
        assert app.screen.query_one("#dialog").border_subtitle == "Échap ou f1 pour fermer"
        await pilot.press("f1")  # the help's own key closes it
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+n", *"remappée", "enter")
        assert app.session.notes[-1].text == "remappée"


async def test_without_a_keymap_the_help_says_the_default_keys(make):
    app = make(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        lines = await help_lines(app, pilot)
        shown = (("space", "Start / pause"), ("n → PgDn", "Next step"), ("+ =", "Add a minute"), ("i Enter", "Write a note"))
        for keys, what in (*shown, ("ctrl+p", "Command palette")):
            assert any(line.startswith(f"{keys} {what}") for line in lines), (keys, lines)


def test_a_bad_keymap_is_refused_in_one_line_with_exit_2(tmp_path, capsys):
    for keys, said in (
        ({"nxt": "j"}, "keys.nxt: no such key"),
        ({"next": ""}, "keys.next: '' is not a list of keys"),
        ({"next": 3}, "keys.next: 3 is not a list of keys"),
        ({"next": "j,,k"}, "keys.next: 'j,,k' is not a list of keys"),
    ):
        keymap(keys)
        assert main(["run", "codev", "--state-dir", str(tmp_path / "state")]) == 2
        error = capsys.readouterr().err
        assert error == f"{config_path()}: error: {said}" + error.split(said, 1)[1] and error.count("\n") == 1, error
    config_path().write_text("keys: [next]\n", encoding="utf-8")
    assert main(["run", "codev", "--state-dir", str(tmp_path / "state")]) == 2
    assert "error: keys: a mapping of key ids to keys" in capsys.readouterr().err
