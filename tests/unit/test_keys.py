"""The keys table (atelier_timer/keys.py) is the one place a key is declared: each row has its action, its
words in both languages, and feeds the bindings and the controller's commands."""

from __future__ import annotations

import pytest

from atelier_timer import control
from atelier_timer.keys import BY_ID, KEYS, KeymapError, user_keymap
from atelier_timer.ui.app import TimerApp
from atelier_timer.ui.main_screen import MainScreen


def test_every_key_has_an_action_where_it_acts_and_words_in_both_languages():
    assert len(BY_ID) == len(KEYS)  # ids are unique
    for key in KEYS:
        name = key.run.partition("(")[0]
        owner = TimerApp if name.startswith("app.") or key.app_wide else MainScreen
        assert callable(getattr(owner, f"action_{name.removeprefix('app.')}", None)), f"{key.id}: no action {name} on {owner.__name__}"
        assert key.fr and key.en and key.label("fr") == key.fr and key.label("en") == key.en
        assert not key.with_key or key.with_key in BY_ID


def test_the_bindings_and_the_controller_commands_come_from_the_table():
    screen_ids = {binding.id for binding in MainScreen.BINDINGS}
    assert screen_ids == {key.id for key in KEYS if not key.app_wide}
    assert {binding.id for binding in TimerApp.BINDINGS} == {key.id for key in KEYS if key.app_wide} == {"suspend"}
    # the keys the page presses, then the texts it sends (a note, a message: not their keys, which open a line)
    assert control.COMMANDS == (*(key.id for key in KEYS if key.remote), "message", "note", "question", "roti")
    remote = {"toggle", "next", "previous", "next_turn", "previous_turn", "add_minute", "remove_minute", "hide", "vote_toggle", "tally"}
    assert set(control.COMMANDS) == remote | {"message", "note", "question", "roti"}


def test_a_keymap_is_read_by_id_and_its_keys_tidied():
    assert user_keymap({}) == {}
    remapped = user_keymap({"keys": {"next": " j , right", "quit": "ctrl+x", "help": "?"}})
    assert remapped == {"next": "j,right", "quit": "ctrl+x", "help": "?"}


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        ({"nxt": "j"}, "keys.nxt: no such key (the keys are: toggle, next,"),
        ({"next": "j k"}, "keys.next: 'j k' is not a list of keys"),
        ({"next": None}, "keys.next: None is not a list of keys"),
        (["next"], "keys: a mapping of key ids to keys"),
    ],
)
def test_a_bad_keymap_names_what_is_wrong(keys, said):
    with pytest.raises(KeymapError) as refused:
        user_keymap({"keys": keys}, where="conf.yaml")
    assert str(refused.value).startswith(f"conf.yaml: error: {said}") and "\n" not in str(refused.value)
