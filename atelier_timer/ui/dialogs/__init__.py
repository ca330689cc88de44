"""The screens over the timer's screen, one a file, each imported when it first opens: the first frame does without them.

They read ``screens.tcss`` (``SCREENS_CSS``) when the first of them opens.
"""

from pathlib import Path

SCREENS_CSS = str(Path(__file__).resolve().parent.parent / "screens.tcss")
