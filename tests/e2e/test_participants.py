"""The participants' link of ``serve``: its own token, its page, and its endpoint's refusals.

The session is written by this process (``live``, as in test_serve): no ``run`` takes the commands, so
what is checked here is everything serve refuses before a command would reach the inbox, and that the
journal stays as it was. The votes that ``run`` takes are in test_vote_in_browsers.py.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

from atelier_timer import control
from tests.e2e import test_serve
from tests.e2e.test_serve import controller_link

live, live_session, server = test_serve.live, test_serve.live_session, test_serve.server  # its fixtures, here too

BROWSER = "b" * 32


def participants_link(output: Path) -> str:
    return re.search(r"(http://\S+/vote#\S+)", output.read_text()).group(1)


def post(url: str, data: dict | bytes, token: str | None, **headers: str) -> tuple[int, dict]:
    """POST to /participant: (status, answer)."""
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    sent = {"Content-Type": "application/json", **headers}
    if token is not None:
        sent["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url + "/participant", data=body, headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw.startswith(b"{") else {}


def vote(browser: str = BROWSER, nonce: str | None = "n" * 32, **fields) -> dict:
    command = {"command": "vote", "browser": browser, "measure": 1, "criterion": "useful", "points": 1, **fields}
    if nonce is not None:
        command.update(nonce=nonce, at=time.time())
    return command


def test_serve_prints_a_participants_link_with_its_own_token_and_its_qr_code(server):
    url, _, output = server
    printed = output.read_text()
    link = participants_link(output)
    assert link.startswith(url + "/vote#")
    token, controller_token = link.split("#", 1)[1], controller_link(output).split("#", 1)[1]
    assert len(token) >= 22 and token != controller_token  # 128 bits each, not the same secret
    assert link + "\n" + control.qr_text(link) in printed  # its QR code right under it, to scan from a phone
    with urllib.request.urlopen(url + "/vote", timeout=5) as response:
        page = response.read().decode()
        assert "participant.js" in page and token not in page
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    with urllib.request.urlopen(url + "/static/participant.js", timeout=5) as response:
        assert b"How to add a section" in response.read()


def test_a_vote_without_the_participants_token_is_refused_and_the_journal_stays_as_it_was(live, server):
    url, _, output = server
    token = participants_link(output).split("#", 1)[1]
    controller_token = controller_link(output).split("#", 1)[1]
    journal = live.journal.path.read_bytes()
    assert post(url, vote(), None)[0] == 403
    assert post(url, vote(), token[:-1] + ("x" if token[-1] != "x" else "y"))[0] == 403
    assert post(url, vote(), controller_token)[0] == 403  # the controller's secret is not this link's
    assert post(url, vote(), token, Origin="http://evil.example")[0] == 403
    assert post(url, vote(browser="short"), token)[0] == 400
    assert post(url, vote(criterion="pretty"), token)[0] == 400
    assert post(url, {"command": "next", "browser": BROWSER}, token)[0] == 400  # no controller command here
    status, answer = post(url, vote(nonce=None), token)
    assert status == 409 and "nonce" in answer["error"]
    status, answer = post(url, vote(), token)  # no vote is open in this session
    assert status == 409 and "closed" in answer["error"]
    status, answer = post(url, vote(), token)  # the same nonce again
    assert status == 409 and "replayed" in answer["error"]
    time.sleep(0.5)  # two polls of the journal by anyone who would have written it
    assert live.journal.path.read_bytes() == journal


def test_each_browser_is_held_to_its_rate_and_others_are_not(live, server):
    url, _, output = server
    token = participants_link(output).split("#", 1)[1]
    statuses = [post(url, vote(nonce=None), token)[0] for _ in range(25)]  # refused for their missing nonce
    assert statuses[:20] == [409] * 20 and 429 in statuses[20:]
    assert post(url, vote(browser="c" * 32, nonce=None), token)[0] == 409  # another browser is not held back
