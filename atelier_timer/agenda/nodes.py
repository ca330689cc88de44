"""The YAML node reader: agenda text composed to nodes that keep the line and column of every value.

- nothing is ever constructed from a tag: a ``!!python/...`` tag is reported, never run;
- aliases are refused outright, so an alias bomb ("billion laughs") stops at its first ``*``;
- duplicate keys, which PyYAML would silently accept, are seen and reported;
- YAML 1.1 surprises do not reach the agenda: ``7:30`` stays seven minutes thirty (not the base-60
  integer 450), ``010`` stays ten minutes (not octal 8), a speaker called ``No`` stays a name.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier_timer.agenda.durations import DURATION_FORMS, _duration_seconds
from atelier_timer.agenda.model import MAX_DEPTH, AgendaError, Problem
from atelier_timer.safetext import quoted, shortened


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not wanted in an agenda; its ``problem`` is the whole message."""


class _Guard:
    """Looks at the YAML events before any tree is built, and refuses what an agenda has no use for.

    Aliases are refused at their first ``*``, so an alias bomb ("billion laughs") never expands;
    nesting deeper than ``MAX_DEPTH`` is refused before the composer recurses into it; an anchor given
    twice is named (YAML's own message only says "second occurrence").
    """

    def __init__(self) -> None:
        self.depth = 0
        self.anchors: dict[str, yaml.Mark] = {}

    def see(self, event: yaml.Event) -> None:
        mark: Any = event.start_mark  # PyYAML's or libyaml's: both have the line and column
        if isinstance(event, yaml.AliasEvent):
            message = f"aliases (*{shortened(event.anchor or '', 40)}) are not allowed in an agenda: write the value out"
            raise _Refused(None, None, message, mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            if anchor in self.anchors:
                first = self.anchors[anchor].line + 1
                message = f"the anchor &{shortened(anchor, 40)} is given a second time (first on line {first}); an agenda needs no anchors"
                raise _Refused(None, None, message, mark)
            self.anchors[anchor] = mark
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(None, None, "the YAML is nested too deeply for an agenda", mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.depth -= 1


_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# PyYAML resolves a plain "<<" to the merge tag and a plain "=" to the value tag: text here (a
# speaker called "="), except "<<" as a key, a merge that is told as such.
_PLAIN_TEXT_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_TEXT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "timestamp")} | _PLAIN_TEXT_TAGS
_MERGE = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


def compose_nodes(text: str, source: str) -> Node | None:
    """The node tree of an agenda's text (None for an empty one); ``AgendaError`` for text YAML refuses
    or an agenda has no use for, at its line and column."""
    refused = _REFUSED_CHARACTER.search(text)
    if refused:
        line, col = _line_col(text, refused.start())
        raise AgendaError([Problem(source, line, col, _refused_character(refused.group()))])
    try:
        return _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if "another document" in message:
            message = "an agenda is a single YAML document (a second '---' starts another)"
        if not isinstance(error, _Refused):
            message = f"invalid YAML: {message}{_syntax_hint(message, text, mark)}"
        raise AgendaError([Problem(source, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)]) from None
    except yaml.YAMLError as error:
        raise AgendaError([Problem(source, 1, 1, f"invalid YAML: {error}")]) from None


# What YAML refuses (controls other than tab and line breaks), and the characters YAML 1.1 reads as
# line breaks where an editor shows none (NEL, U+2028, U+2029): they would put every line number
# after them out of step with the editor's. Listed as they are, not as the complement of what YAML
# accepts: that class took 6 ms to compile at every start.
_REFUSED_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = {"\x85": "next line (NEL)", "\u2028": "line separator", "\u2029": "paragraph separator"}


def _refused_character(char: str) -> str:
    if char in _LINE_BREAKS:
        return (
            f"the character U+{ord(char):04X} ({_LINE_BREAKS[char]}) is not allowed: YAML reads it as a line "
            "break where an editor shows none; use an ordinary line break or remove it"
        )
    return f"invalid YAML: the control character U+{ord(char):04X} is not allowed"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting line breaks as YAML does."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


# PyYAML's own parser words syntax errors better than libyaml (it names the character it met), but
# slowly (0.3 s for 16 KiB of flow items): it words them for files up to this many characters.
PYTHON_MESSAGES_MAX = 12 * 1024


def _compose(text: str) -> Node | None:
    """The YAML node tree, with the line and column of every value.

    libyaml's C parser does it ten times faster than PyYAML's own (it is most of the timer's start-up
    after the imports), so it is used when it is there. The events are guarded before the tree is
    built. A syntax error in a file of ordinary size is read again by PyYAML's parser, whose message
    is the one the user reads.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        return _guarded_compose(text, fast or yaml.SafeLoader)
    except _Refused:
        raise
    except yaml.YAMLError:
        if fast is None or len(text) > PYTHON_MESSAGES_MAX:
            raise
    return _guarded_compose(text, yaml.SafeLoader)


def _guarded_compose(text: str, loader: type) -> Node | None:
    guard = _Guard()
    for event in yaml.parse(text, Loader=loader):
        guard.see(event)
    return yaml.compose(text, Loader=loader)


def _syntax_hint(message: str, text: str, mark: yaml.Mark | None) -> str:
    if "'\\t'" in message or (mark is not None and _character_at(text, mark) == "\t"):
        return " (indent with spaces, not tabs)"
    if mark is not None and mark.column > 1024 and _character_at(text, mark) == ":":
        return " (a key longer than 1024 characters must be written '? key' on its own line)"
    if "mapping values are not allowed" in message:
        return " (text containing ': ' must be put in quotes)"
    return ""


def _character_at(text: str, mark: yaml.Mark) -> str:
    lines = re.split(r"\r\n|\r|\n", text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


class NodeReader:
    """Reads YAML nodes into values, collecting a problem, at the node's line and column, for each wrong one.

    The generic shapes (a mapping with known keys, text, a flag, a duration, a list); the agenda's
    grammar (:mod:`atelier_timer.agenda.grammar`) is built on them.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.hint_budget = HINT_COMPARISONS
        self.hints: dict[tuple[str, frozenset[str]], str | None] = {}  # (word, choices): the close choice

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.source, node.start_mark.line + 1, node.start_mark.column + 1, message))

    # -- generic shapes ----------------------------------------------------------------------------

    def tag_ok(self, node: Node) -> bool:
        """False (and a problem) for any tag outside plain YAML, checked over the whole subtree; and
        for a lone surrogate (a "\\ud800" escape), which is no character and no file can hold."""
        if node.tag not in _STANDARD_TAGS and not (isinstance(node, ScalarNode) and node.tag in _PLAIN_TEXT_TAGS):
            shown = shortened(node.tag.replace("tag:yaml.org,2002:", "!!"), 60)
            self.error(node, f"the tag {shown} is not allowed: agendas are plain YAML")
            return False
        surrogate = _SURROGATE.search(node.value) if isinstance(node, ScalarNode) else None
        if surrogate:
            code = f"U+{ord(surrogate.group()):04X}"
            self.error(node, f"{code} is half of a UTF-16 pair (a surrogate), not a character: write the character itself")
            return False
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            children = [item for pair in node.value for item in pair]
        return all([self.tag_ok(child) for child in children])

    def mapping(
        self, node: Node, where: str, known: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, tuple[Node, Node]] | None:
        """The entries of a mapping by key (key node, value node), with unknown, duplicate and missing keys reported."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{where or 'the agenda'} must be a mapping of keys to values, not {_kind(node)}")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        meant: set[str] = set()  # known keys that an unknown key is probably a typo of
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"{_prefix(where)}a key must be a plain name, not {_kind(key_node)}")
                continue
            key = key_node.value
            if key_node.tag == _MERGE:
                self.error(key_node, f"{_prefix(where)}merge keys ('<<') are not supported in an agenda: write the keys out")
                continue
            if key in entries:
                first = entries[key][0].start_mark.line + 1
                self.error(key_node, f"{_prefix(where)}duplicate key {quoted(key)} (first given on line {first})")
                continue
            entries[key] = (key_node, value_node)
            if known and key not in known:
                close = self.close(key, known)
                hint = f"did you mean '{close}'?" if close else f"known keys: {', '.join(known)}"
                self.error(key_node, f"{_prefix(where)}unknown key {quoted(key)} ({hint})")
                meant.update([close] if close else [])
        for key in required:
            if key not in entries and key not in meant:  # a typo already said "did you mean"
                self.error(node, f"{_prefix(where)}missing required key '{key}'")
        return {key: pair for key, pair in entries.items() if not known or key in known}

    def close(self, word: str, choices: tuple[str, ...] | frozenset[str]) -> str | None:
        """The choice ``word`` is probably a typo of (or the French for), if any.

        The work is bounded for a hostile file: long words are not compared, a typo made again is
        answered from memory, and one file gets ``HINT_COMPARISONS`` comparisons in all (1000
        look-alike roles took 10 s unbounded).
        """
        french = _FRENCH_KEYS.get(word.lower())
        if french in choices:
            return french
        if len(word) > MAX_HINT_LENGTH:
            return None
        asked = (word, frozenset(choices))
        if asked not in self.hints and len(choices) <= self.hint_budget:
            candidates = sorted(choice for choice in choices if len(choice) <= MAX_HINT_LENGTH)
            self.hint_budget -= len(candidates)
            match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
            self.hints[asked] = match[0] if match else None
        return self.hints.get(asked)

    def text(self, node: Node, where: str, *, optional: bool = False) -> str | None:
        """A line of text; numbers and dates are taken as written, so a speaker called No stays No."""
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            if not optional:
                self.error(node, f"{where} must not be empty")
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _TEXT_TAGS:
            self.error(node, f"{where} must be text, not {_kind(node)}")
            return None
        value = node.value.strip()
        if not value and not optional:
            self.error(node, f"{where} must not be empty")
            return None
        return value or None

    def boolean(self, node: Node, where: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, f"{where} must be true or false, not {_kind(node)}")
        return None

    def duration(self, node: Node, where: str, *, allow_zero: bool = False) -> int | None:
        value: int | float | str
        if not isinstance(node, ScalarNode) or node.tag in (_NULL, _BOOL):
            self.error(node, f"{where} must be {DURATION_FORMS}; not {_kind(node)}")
            return None
        raw = node.value.strip()
        # Read from the text as written: YAML 1.1 would make "7:30" the integer 450 and "010" octal 8.
        # A longer number stays text, so that the message quotes it as written, not as a huge value.
        if re.fullmatch(r"[-+]?\d{1,9}", raw):
            value = int(raw)
        elif node.tag == _FLOAT and re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+)", raw) and len(raw) <= 20:
            value = float(raw)
        else:
            value = raw
        try:
            return _duration_seconds(value, allow_zero=allow_zero)
        except ValueError as error:
            self.error(node, f"{where} {error}")
            return None

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if isinstance(node, SequenceNode):
            items: list[Node] = node.value
            return items
        self.error(node, f"{where} must be a list (lines starting with '- '), not {_kind(node)}")
        return None


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "an empty value"
    return quoted(node.value)


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


# Keys a French-speaking facilitator may write in French.
_FRENCH_KEYS = {
    "titre": "title", "durée": "duration", "duree": "duration", "étapes": "steps", "etapes": "steps",
    "intervenant": "speaker", "intervenante": "speaker", "orateur": "speaker", "oratrice": "speaker",
    "consigne": "prompt", "rappels": "reminders", "rôles": "roles", "langue": "language",
    "alertes": "alerts", "cloche": "bell", "sonnerie": "bell", "son": "sound", "affichage": "display",
    "hypothèses": "hypotheses", "horaires": "schedule", "créneau": "schedule", "debut": "start", "début": "start",
    "fin": "end", "protégé": "protected", "protégée": "protected", "nom": "name", "rôle": "role",
    "tours": "turns", "répéter": "repeat", "repeter": "repeat", "fois": "times", "chacun": "each", "chaque": "each",
    "mesure": "measure", "pour": "for", "fréquence": "frequency", "frequence": "frequency",
    "référence": "baseline", "reference": "baseline", "départ": "baseline", "cible": "target", "objectif": "target",
}  # fmt: skip


# "Did you mean" compares words of this many characters at most, and this many pairs per file.
MAX_HINT_LENGTH = 40
HINT_COMPARISONS = 500


@functools.lru_cache(maxsize=8)  # asked again for each undeclared role of a file
def _names(names: frozenset[str], shown: int = 8) -> str:
    """Names for a message: the first few in order, shortened, then how many there are in all."""
    listed = ", ".join(shortened(name, 20) for name in sorted(names)[:shown])
    return listed + (f", … ({len(names)} in all)" if len(names) > shown else "")
