"""The record to the team's channel: a Mattermost incoming webhook (no Textual).

The webhook's address is a secret (its key is in the path) and lives only in the user's settings file
(``webhook:`` in ``config.yaml``), never in an agenda: agendas come from anywhere. Posting is always
asked for (``export --post``, or the question on quit), says what it will send and where before it
sends, and gives up after a few seconds; the local record is written before and stays whatever happens.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from atelier_timer.i18n import Translator

TIMEOUT = 5.0  # seconds the webhook has to answer
MATTERMOST_LIMIT = 16383  # characters of one Mattermost post; a longer text may be cut or split by the server


class PostError(Exception):
    """The record could not be posted: ``kind`` (status, timeout, unreachable) and what the sentence needs."""

    def __init__(self, kind: str, **values: object) -> None:
        super().__init__(kind, values)
        self.kind, self.values = kind, values

    def said(self, t: Translator) -> str:
        """The reason as one line, in the user's language."""
        return t(f"post.error.{self.kind}", **self.values)


class BadWebhook(ValueError):
    """The settings' ``webhook:`` is there but is no http(s) address (its value, shortened, is the message)."""


def webhook_url(settings: dict[str, object]) -> str | None:
    """The webhook address in the user's settings (``webhook:``); None when there is none; BadWebhook when
    it is not an http(s) address with a host."""
    url = settings.get("webhook")
    if url is None:
        return None
    try:
        parts = urlsplit(url.strip()) if isinstance(url, str) else None
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadWebhook(" ".join(str(url).split())[:60])
    return str(url).strip()


def where(url: str) -> str:
    """The webhook's address as it may be shown: its host, never its key (the path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


def post_record(url: str, markdown: str, timeout: float | None = None) -> None:
    """POST ``{"text": markdown}`` to an incoming webhook; PostError (one line) unless it says 2xx in time."""
    timeout = TIMEOUT if timeout is None else timeout
    body = json.dumps({"text": markdown}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read(4096)
    except urllib.error.HTTPError as error:
        raise PostError("status", status=f"{error.code} {' '.join(str(error.reason).split())[:80]}") from None
    except (TimeoutError, OSError) as error:  # URLError is an OSError; a socket timeout a TimeoutError
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise PostError("timeout", seconds=f"{timeout:g}") from None
        raise PostError("unreachable", reason=" ".join(str(reason).split())[:120]) from None


def offer_post(
    path: Path,
    url: str,
    t: Translator,
    yes: bool = False,
    ask: Callable[[str], str] | None = None,
    timeout: float | None = None,
) -> int:
    """Say what would be sent where, ask (unless ``yes``), post; the exit code: 0 sent or declined, 1 failed.

    ``ask`` shows the question and reads the answer (on stderr and stdin by default, stdout staying the
    record's path); no answer (the end of the input) is no.
    """
    markdown = path.read_text(encoding="utf-8")
    print(t("post.what", path=str(path), chars=len(markdown), size=_size(markdown, t.lang), where=where(url)), file=sys.stderr)
    if len(markdown) > MATTERMOST_LIMIT:
        print(t("post.long", limit=MATTERMOST_LIMIT), file=sys.stderr)
    if not yes:
        answer = (ask or _ask)(t("post.ask"))
        if answer.strip().lower() not in ("y", "yes", "o", "oui"):
            print(t("post.declined"), file=sys.stderr)
            return 0
    try:
        post_record(url, markdown, timeout)
    except PostError as error:
        print(t("post.failed", error=error.said(t), path=str(path)), file=sys.stderr)
        return 1
    print(t("post.sent", where=where(url)), file=sys.stderr)
    return 0


def _ask(question: str) -> str:
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline()


def _size(text: str, lang: str) -> str:
    """The record's size as the user's language writes it: ``3.3 kB``, ``3,3 ko``."""
    size = len(text.encode("utf-8"))
    if lang == "fr":
        return f"{size} o" if size < 1024 else f"{size / 1024:.1f} ko".replace(".", ",")
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} kB"
