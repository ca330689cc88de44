"""Writing files so that a crash never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, text: str, overwrite: bool = True, private: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then move it into place.

    ``private``: readable by its user only (0600), as a session's record is.
    With ``overwrite=False`` an existing file is refused (``FileExistsError``), even one that appears
    while writing. Other failures raise ``OSError``; no partial file is left behind either way.
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; this is an ordinary file
        if overwrite:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)  # fails if the path exists, even if it appeared a moment ago
        except OSError:  # it exists, or the file system has no hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class NoFolder(FileNotFoundError):
    """The folder a new file was to be written in does not exist."""


def write_new(path: Path, make_text: Callable[[], str]) -> None:
    """Write ``make_text()`` to a new file at ``path``, atomically, never over a file (nor a link).

    ``FileExistsError`` when something is at ``path``, even if it appears while writing;
    :class:`NoFolder` when its folder is missing (both before ``make_text`` is called); other
    failures raise ``OSError``, and no partial file is left either way.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    if not path.parent.is_dir():
        raise NoFolder(path.parent)
    write_atomic(path, make_text(), overwrite=False)
