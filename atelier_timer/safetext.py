"""Untrusted text made safe to print on a terminal, and short enough to quote in a message.

An agenda file is written by anyone: its keys and titles reach ``check``'s messages and ``plan``'s
tables. A raw ``ESC [ 2 J`` would clear the user's terminal, ``ESC ] 0 ; … BEL`` set its title, a
newline break "one line per problem", a bidi override (U+202E) reverse the rest of the line. Such
characters are shown as escapes instead (``\\x1b``, ``\\n``, ``\\u202e``), the way Python's ``repr``
shows them; every other character, accents and right-to-left scripts included, is kept as it is.
"""

from __future__ import annotations

import re

# DEL and the C1 controls, line and paragraph separators, bidi embeddings, overrides, isolates and
# marks, and lone surrogates (a YAML "\ud800" escape makes one); with the C0 controls, all unsafe.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes the C0 controls inside strings
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """``text`` with every terminal control, line break and bidi control shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def shortened(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters, the cut shown by an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = 40) -> str:
    """``text`` shortened, escaped and put in quotes, for a message: ``'bad\\nkey'``."""
    return f"'{printable(shortened(text, limit))}'"


def json_safe(json_text: str) -> str:
    """JSON from ``json.dumps(..., ensure_ascii=False)`` with the controls it leaves raw escaped.

    ``json.dumps`` escapes only U+0000 to U+001F; DEL, the C1 controls (U+009B is a CSI on some
    terminals) and the bidi controls would reach the terminal. Outside strings JSON holds none of
    them, so replacing each with its ``\\uXXXX`` escape keeps the same JSON value.
    """
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
