"""Where an agenda's text comes from: a file, a bundled name (the YAML files shipped with the package).

Every refusal is an ``AgendaError`` at line 1, column 1, or where the bad byte is.
"""

from __future__ import annotations

import stat
from pathlib import Path

from atelier_timer.agenda.model import MAX_FILE_BYTES, AgendaError, Problem
from atelier_timer.texts import reason

PACKAGE = Path(__file__).resolve().parent.parent  # atelier_timer/, where schema.json is


def bundled_agendas() -> dict[str, Path]:
    """The agendas that ship with atelier-timer, by name: ``{"codev": path, "temoignages": path}``."""
    folder = _bundled_folder()
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))} if folder else {}


def _bundled_folder() -> Path | None:
    # A plain path, not importlib.resources: the wheel installs files on disk, and importing
    # importlib.resources costs the timer's start-up 15 to 20 ms.
    for folder in (PACKAGE / "agendas", PACKAGE.parent / "agendas"):  # the wheel, then a source checkout
        if folder.is_dir():
            return folder
    return None


def schema_text() -> str:
    """The JSON Schema of agenda files (draft 2020-12), as shipped in the package."""
    return (PACKAGE / "schema.json").read_text(encoding="utf-8")


def read_agenda_source(name_or_path: str) -> tuple[str, str]:
    """The YAML text of an agenda file or bundled agenda, and the label its problems are shown with.

    An existing file wins over a bundled name. Raises ``AgendaError`` (one problem at line 1,
    column 1, or where the bad byte is) for a missing file, a directory, a binary or non-UTF-8 file.
    """
    path = Path(name_or_path)
    bundled = bundled_agendas()
    label = name_or_path

    def fail(message: str, line: int = 1, col: int = 1) -> AgendaError:
        return AgendaError([Problem(label, line, col, message)])

    try:
        mode: int | None = path.stat().st_mode
    except (OSError, ValueError) as error:
        if isinstance(error, OSError) and not isinstance(error, (FileNotFoundError, NotADirectoryError)):
            raise fail(f"cannot be read: {reason(error)}") from None
        mode = None
    if not (mode is not None and stat.S_ISREG(mode)) and name_or_path in bundled:
        return bundled[name_or_path].read_text(encoding="utf-8"), name_or_path
    if mode is None:
        names = ", ".join(bundled) or "none"
        raise fail(f"no such file (bundled agendas: {names})")
    if stat.S_ISDIR(mode):
        raise fail("is a directory, not an agenda file")
    if not stat.S_ISREG(mode):
        raise fail("is not a regular file")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot be read: {reason(error)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is too large for an agenda (more than {MAX_FILE_BYTES // 1024} KiB)")
    encoding = _wide_encoding(data)
    if encoding:
        raise fail(f"is encoded in {encoding}; save it as UTF-8")
    if b"\x00" in data:
        raise fail("is a binary file (it contains NUL bytes), not a YAML agenda")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = _position(data, error.start)
        raise fail(f"is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8", line, col) from None
    return text, label


def _wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" for text saved in one of them (with a byte order mark, or as plain
    ASCII text spreads its NUL bytes), else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: it starts the same
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = data[:400]
    for width in (4, 2):
        if len(sample) >= width and len(sample) % width == 0:
            columns = [sample[offset::width] for offset in range(width)]
            text_columns = [column for column in columns if column.strip(b"\x00")]
            if len(text_columns) == 1 and b"\x00" not in text_columns[0]:
                return f"UTF-{width * 8}"
    return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as far as they decode) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1
