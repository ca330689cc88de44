"""``export --post``: the record to a Mattermost incoming webhook, against a real local HTTP server that
speaks the webhook's format (``{"text": markdown}`` POSTed as JSON, ``ok`` back): one that takes it,
one too slow, one that fails, none listening; the local record always written first."""

from __future__ import annotations

import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from atelier_timer import post
from atelier_timer.agenda import load_agenda, read_agenda_source, slugify
from atelier_timer.cli import main
from atelier_timer.config import save_config
from atelier_timer.journal import Journal

from ..helpers import T0, new_session


class Webhook:
    """A local Mattermost-like incoming webhook: what it received, and how it answers."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.received: list[dict] = []
        self.status, self.delay = status, delay
        self.release = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hook.delay:
                    hook.release.wait(hook.delay)  # a slow server: answers after the client gave up
                hook.received.append({"type": self.headers["Content-Type"], "path": self.path, "body": json.loads(body)})
                self.send_response(hook.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if hook.status == 200 else b"Unable to parse incoming data")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/s3cr3tk3y"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    hooks: list[Webhook] = []

    def start(**options) -> Webhook:
        hooks.append(Webhook(**options))
        return hooks[-1]

    yield start
    for hook in hooks:
        hook.close()


@pytest.fixture
def recorded(paris, tmp_path: Path) -> Path:
    """A finished session of codev in a state dir, with a note."""
    text, source = read_agenda_source("codev")
    session, clock, _ = new_session(load_agenda("codev"), wall=T0)
    journal = Journal.create(tmp_path / "state", text, source, slugify(session.agenda.title), clock.wall())
    session.record = journal.append
    session.toggle()
    clock.advance(60)
    session.add_note("! rappeler la DINUM")
    session.finish()
    journal.close()
    return tmp_path / "state"


def export(state: Path, tmp_path: Path, *options: str, answer: str | None = None, monkeypatch=None) -> int:
    if answer is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    return main(["export", "--state-dir", str(state), "-o", str(tmp_path / "record.md"), "--post", *options])


def test_post_asks_says_what_and_where_then_sends_the_record_as_the_webhook_reads_it(
    recorded, tmp_path, webhook, capsys, monkeypatch
) -> None:
    hook = webhook()
    save_config(webhook=hook.url)
    assert export(recorded, tmp_path, answer="o\n", monkeypatch=monkeypatch) == 0
    out, err = capsys.readouterr()
    record = (tmp_path / "record.md").read_text(encoding="utf-8")
    assert out.strip() == str(tmp_path / "record.md")  # stdout stays the record's path
    assert f"({len(record)} caractères, " in err and " ko)" in err and "L'envoyer ? [o/N]" in err and "Envoyé" in err
    assert "http://127.0.0.1:" in err and "s3cr3tk3y" not in err  # where, but never the webhook's key
    assert hook.received == [{"type": "application/json", "path": "/hooks/s3cr3tk3y", "body": {"text": record}}]
    assert "rappeler la DINUM" in hook.received[0]["body"]["text"]


def test_no_answer_or_no_sends_nothing_and_keeps_the_record(recorded, tmp_path, webhook, capsys, monkeypatch) -> None:
    hook = webhook()
    save_config(webhook=hook.url)
    for answer in ("n\n", "", "\n"):  # no, the end of the input, Enter alone
        assert export(recorded, tmp_path, answer=answer, monkeypatch=monkeypatch) == 0
        assert "Non envoyé" in capsys.readouterr().err
    assert hook.received == [] and (tmp_path / "record.md").exists()


def test_yes_sends_without_asking(recorded, tmp_path, webhook, capsys) -> None:
    hook = webhook()
    save_config(webhook=hook.url)
    assert export(recorded, tmp_path, "--yes") == 0
    assert "[o/N]" not in capsys.readouterr().err and len(hook.received) == 1


def test_a_slow_webhook_times_out_cleanly_and_the_record_stays(recorded, tmp_path, webhook, capsys, monkeypatch) -> None:
    hook = webhook(delay=5.0)
    save_config(webhook=hook.url)
    monkeypatch.setattr(post, "TIMEOUT", 0.3)
    assert export(recorded, tmp_path, "--yes") == 1
    err = capsys.readouterr().err
    assert "n'a pas répondu en 0.3 s" in err and str(tmp_path / "record.md") in err
    assert "Traceback" not in err and (tmp_path / "record.md").stat().st_size > 0


def test_a_failing_webhook_says_so_in_one_line(recorded, tmp_path, webhook, capsys) -> None:
    hook = webhook(status=500)
    save_config(webhook=hook.url)
    assert export(recorded, tmp_path, "--yes") == 1
    err = capsys.readouterr().err
    assert "le webhook a répondu 500" in err and len(err.strip().splitlines()) == 2 and "Traceback" not in err
    assert (tmp_path / "record.md").exists()


def test_a_webhook_no_one_listens_on_is_a_clear_failure(recorded, tmp_path, capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nothing listens there
    save_config(webhook=f"http://127.0.0.1:{port}/hooks/x")
    assert export(recorded, tmp_path, "--yes") == 1
    assert "le webhook est injoignable" in capsys.readouterr().err


def test_without_a_webhook_in_the_settings_it_says_where_to_put_one(recorded, tmp_path, capsys) -> None:
    assert export(recorded, tmp_path, "--yes") == 2
    err = capsys.readouterr().err
    assert "config.yaml" in err and "webhook: https://" in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "record.md").exists()  # written first all the same


@pytest.mark.parametrize(
    ("value", "said"), [("file:///etc/passwd", "'file:///etc/passwd'"), (3, "'3'"), ("chat.example.org/hooks", "'chat")]
)
def test_a_webhook_that_is_no_http_address_is_named_and_nothing_is_sent(recorded, tmp_path, capsys, value, said) -> None:
    save_config(webhook=value)
    assert export(recorded, tmp_path, "--yes") == 2
    err = capsys.readouterr().err
    assert "config.yaml" in err and "http(s)" in err and said in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and (tmp_path / "record.md").exists()


def test_an_agenda_cannot_name_a_webhook() -> None:
    assert "webhook" not in read_agenda_source("codev")[0]
    from atelier_timer.agenda import parse_agenda

    with pytest.raises(Exception, match="webhook"):
        parse_agenda("version: 1\ntitle: x\nwebhook: http://evil.example/\nsteps:\n  - {title: a, duration: 1}\n", "a.yaml")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _QuitApp:
    """What ``run`` leaves once its screen is closed: the record it wrote on the way out."""

    def __init__(self, path: Path) -> None:
        self.last_export, self.read_only, self.lang, self.farewell, self.return_code = path, False, "en", [], 0

    def run(self) -> None:
        pass


@pytest.mark.parametrize("answer, sent", [("y\n", 1), ("n\n", 0)])
def test_quitting_run_asks_whether_to_post_when_a_webhook_is_set(tmp_path, webhook, capsys, monkeypatch, answer, sent) -> None:
    from atelier_timer.cli import _run_app

    hook = webhook()
    record = tmp_path / "record.md"
    record.write_text("# Atelier\n", encoding="utf-8")
    app = _QuitApp(record)
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    assert _run_app(app) == 0 and "Send it?" not in capsys.readouterr().err  # no webhook: no question
    save_config(webhook=hook.url)
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    assert _run_app(app) == 0
    assert "Send it? [y/N]" in capsys.readouterr().err and len(hook.received) == sent  # asked, never automatic
