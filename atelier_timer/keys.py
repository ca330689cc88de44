"""Every key of the timer, in one table: where it is declared, what it is called, where it acts (no Textual).

The table feeds the timer screen's bindings (``ui/main_screen.py``), the help screen, the command
palette, the key bar, and the commands the controller page may send (``control.COMMANDS``). A user
remaps any key by its id in ``config.yaml`` (``keys: {next: "j,right"}``, read by :func:`user_keymap`);
the help and the key bar then show the keys in use, never keys typed by hand.

To add a key: add one ``Key`` row below, in the place the help should list it, and write its action,
``action_<name>`` on ``MainScreen`` (``ui/main_screen.py``), or on the app when the row's action says
``app.``. Nothing else: its binding, its help line, its palette command and, with ``remote=True``,
its controller command follow from the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """One key of the timer (or several keys doing the same thing)."""

    id: str  # the binding id: what the user's keymap names, and the controller's command when remote
    keys: str  # the default keys, in Textual's names, comma-separated: "n,right"
    fr: str  # what it does, as the help and the palette say it
    en: str
    action: str = ""  # the action it runs (default: the id), on the timer's screen; "app." runs it on the app
    app_wide: bool = False  # bound on the app, so that it works over every screen (only Ctrl+Z)
    changes_session: bool = True  # refused in the read-only viewer (``follow``)
    remote: bool = False  # the controller page may send it (``serve``)
    listed: bool = True  # a line in the help and a command in the palette
    with_key: str = ""  # shown on that key's line of the help, not on a line of its own (the clicker's Page Down beside ``n``)
    # What the help's line says when other keys join it (``with_key``): both keys' jobs, in one line each language
    help_fr: str = ""
    help_en: str = ""
    # A priority binding runs as the key arrives, so the keys typed right after it reach the line it
    # opens; it also runs before a text line sees the key, so it is refused while one is typed in.
    priority: bool = False

    @property
    def run(self) -> str:
        """The action string the binding runs."""
        return self.action or self.id

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    def help_label(self, lang: str) -> str:
        """What its line of the help says: its own job, or those of the keys that join it."""
        return (self.help_en or self.en) if lang == "en" else (self.help_fr or self.fr)


KEYS: tuple[Key, ...] = (
    Key("toggle", "space", "Démarrer / pause", "Start / pause", remote=True),
    Key("next", "n,right", "Étape suivante", "Next step", remote=True),
    Key("previous", "p,left", "Étape précédente", "Previous step", remote=True),
    Key("next_turn", "t", "Tour suivant (personne suivante)", "Next turn (next person)", remote=True),
    Key("previous_turn", "T,shift+t", "Tour précédent", "Previous turn", remote=True),
    Key("add_minute", "plus,equals_sign", "+1 minute à l'étape", "Add a minute to the step", remote=True),
    Key("remove_minute", "minus", "−1 minute à l'étape", "Remove a minute from the step", remote=True),
    Key("note", "i,enter", "Écrire une note", "Write a note", priority=True),
    Key("message", "m", "Message à la salle (ligne vide : l'effacer)", "Message to the room (empty line: clear it)", priority=True),
    Key("messages", "M", "Messages prêts de l'agenda", "The agenda's ready-made messages"),
    Key("hide", "d", "Masquer / montrer les chiffres", "Hide / show the digits", remote=True),
    Key("blackout", "full_stop", "Écran noir (une touche pour revenir)", "Black screen (any key to come back)", changes_session=False),
    Key("rebalance", "b", "Rééquilibrer pour finir à l'heure", "Rebalance to end on time"),
    Key("present", "f", "Mode présentation", "Presentation mode", changes_session=False),
    Key("export", "e", "Exporter les notes", "Export the notes"),
    Key("hypotheses", "h", "Hypothèses", "Hypotheses"),
    Key("links", "w", "Liens et QR codes de serve", "Links and QR codes of serve"),
    # The room's vote and the audience take one line of the help each: the help fits 80x24 whole.
    Key(
        "vote_toggle", "v", "Ouvrir / clore le vote de la salle", "Open / close the room's vote", remote=True,
        help_fr="Vote de la salle : ouvrir / clore, puis le résultat", help_en="The room's vote: open / close, then its tally",
    ),
    Key("tally", "V", "Montrer / cacher le résultat du vote", "Show / hide the vote's tally", remote=True, with_key="vote_toggle"),
    Key(
        "questions", "a", "Questions du public (montrer, répondue, écarter)", "The audience's questions (show, answered, drop)",
        help_fr="Questions du public ; ROTI : ouvrir / clore, montrer", help_en="The audience's questions; ROTI: open / close, show",
    ),
    Key("roti", "r", "Ouvrir / clore le ROTI", "Open / close the ROTI", with_key="questions"),
    Key("roti_reveal", "R", "Montrer / cacher le résultat du ROTI", "Show / hide the ROTI's result", with_key="questions"),
    Key("help", "question_mark", "Aide", "Help", changes_session=False),
    Key("quit", "q", "Quitter", "Quit", action="app.quit_session", changes_session=False),
    # What a presentation clicker sends: priority bindings, so that no scrolling pane takes them.
    Key("clicker_next", "pagedown", "Étape suivante", "Next step", action="clicker('next')", priority=True, listed=False, with_key="next"),
    Key(
        "clicker_previous", "pageup", "Étape précédente", "Previous step",
        action="clicker('previous')", priority=True, listed=False, with_key="previous",
    ),
    # The terminal sends Ctrl+Z to the app as a key: Textual's own action stops it as a shell's job
    # (`fg` brings it back; nothing on Windows).
    Key("suspend", "ctrl+z", "Suspendre", "Suspend", action="app.suspend_process", app_wide=True, changes_session=False, listed=False),
)
BY_ID = {key.id: key for key in KEYS}
REMOTE_KEYS = tuple(key.id for key in KEYS if key.remote)
# Actions whose keys a text line takes first: the note's "i" and Enter, the clicker's pages.
TYPED_OVER = frozenset(key.run.partition("(")[0] for key in KEYS if key.priority)
READ_ONLY_REFUSED = frozenset(key.run.partition("(")[0] for key in KEYS if key.changes_session)

_KEY_NAME = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z0-9_]+|[^\s,])$")


class KeymapError(ValueError):
    """The user's ``keys:`` setting names no key of the timer, or gives keys that are no keys; one line."""


def user_keymap(settings: dict, where: str = "config.yaml") -> dict[str, str]:
    """The user's keymap from the settings' ``keys:`` mapping (binding id -> keys), checked.

    ``KeymapError`` names the first bad id or value: ``where: error: keys.nxt: ...``.
    """
    keymap = settings.get("keys")
    if keymap is None:
        return {}
    if not isinstance(keymap, dict):
        raise KeymapError(f"{where}: error: keys: a mapping of key ids to keys, such as 'next: n,right', not {keymap!r}")
    for key_id, value in keymap.items():
        if key_id not in BY_ID:
            known = ", ".join(BY_ID)
            raise KeymapError(f"{where}: error: keys.{key_id}: no such key (the keys are: {known})")
        names = value.split(",") if isinstance(value, str) else [None]
        bad = next((name for name in names if name is None or not _KEY_NAME.match(name.strip())), False)
        if bad is not False:
            raise KeymapError(f"{where}: error: keys.{key_id}: {value!r} is not a list of keys, such as 'n,right' or 'ctrl+n'")
    return {key_id: ",".join(name.strip() for name in value.split(",")) for key_id, value in keymap.items()}
