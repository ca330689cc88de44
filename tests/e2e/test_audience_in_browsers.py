"""The audience from thirty phones, in a real Chromium: during ``temoignages``'s exchanges, thirty
participants' pages (each its own browser context: its own random id) send a question each; none reaches
the room's screen (the terminal, the viewers' page) before the facilitator shows one from the controller
page's queue; then the ROTI opens, each page votes once, and the revealed distribution is the one sent.
A command replayed without the participants' token is refused (403) and the journal is unchanged."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

import aiohttp

from tests.e2e.test_participants import participants_link, post
from tests.e2e.test_serve import (
    DevTools,
    controller_link,
    evaluate,
    needs_chromium,
    start_chromium,
    start_serve,
    stop,
    wait_for_text,
)

PAGES = 30
SCORES = [(n % 5) + 1 if n % 3 else 4 for n in range(PAGES)]  # a spread with more 4s than anything else


def expected_distribution() -> list[int]:
    return [SCORES.count(score) for score in range(1, 6)]


async def pages_in_contexts(devtools_port: int, url: str, count: int):
    """``count`` pages on ``url``, each in a browser context of its own (its own localStorage: its own id)."""
    http = aiohttp.ClientSession()
    async with http.get(f"http://127.0.0.1:{devtools_port}/json/version") as response:
        browser_url = (await response.json())["webSocketDebuggerUrl"]
    browser_socket = await http.ws_connect(browser_url, max_msg_size=0)
    browser = DevTools(browser_socket)
    targets = []
    for _ in range(count):
        context = (await browser.send("Target.createBrowserContext"))["browserContextId"]
        targets.append((await browser.send("Target.createTarget", url=url, browserContextId=context))["targetId"])
    async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
        sockets = {t["id"]: t["webSocketDebuggerUrl"] for t in await response.json()}
    pages = []
    for target in targets:
        socket = await http.ws_connect(sockets[target], max_msg_size=0)
        pages.append((DevTools(socket), socket))
    return http, browser, browser_socket, pages


async def page_in_browser(http, browser: DevTools, devtools_port: int, url: str):
    """One more page of the browser's default context on ``url``: its DevTools, and its socket to close."""
    target = (await browser.send("Target.createTarget", url=url))["targetId"]
    async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
        socket_url = next(t["webSocketDebuggerUrl"] for t in await response.json() if t["id"] == target)
    socket = await http.ws_connect(socket_url, max_msg_size=0)
    return DevTools(socket), socket


def ask(n: int) -> str:
    return f"""(() => {{
  document.getElementById('ask-name').value = {json.dumps("Personne " + str(n) if n % 2 else "")};
  document.getElementById('ask-text').value = {json.dumps(f"Question numéro {n} <b>?</b>")};
  document.getElementById('ask-form').requestSubmit();
}})()"""


def journal_events(journal: Path) -> list[dict]:
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_chromium
async def test_thirty_phones_ask_and_vote_and_only_the_chosen_question_reaches_the_room(terminal, tmp_path):
    notes = tmp_path / "notes"
    timer = terminal("run", "temoignages", "--notes-dir", str(notes), "--no-bell", size=(120, 36))
    timer.wait_for("espace")
    timer.send(" ")
    timer.wait_for("1/4")
    timer.send("nn")  # to the exchanges with the audience
    timer.wait_for("3/4")
    state = tmp_path / "state"
    (journal,) = (state / "sessions").glob("*.jsonl")
    output = tmp_path / "serve.out"
    server, port = start_serve(state, journal.stem, output)
    url = f"http://127.0.0.1:{port}"
    chromium, devtools_port = start_chromium(tmp_path / "chromium")
    http = browser_socket = None
    reading = contextlib.ExitStack()
    reading.enter_context(timer.draining())  # the terminal reads the timer all along, as the room's would
    try:
        http, browser, browser_socket, pages = await pages_in_contexts(devtools_port, participants_link(output), PAGES)
        for devtools, _ in pages:
            await wait_for_text(devtools, "#step", "Échanges avec le public", 30)
        # the participants' page sends a question with the link's token, its browser's id, a nonce: capture one
        await evaluate(pages[0][0], """(() => {
  window.sentBodies = [];
  const original = window.fetch;
  window.fetch = (path, options) => { if (path === '/participant') window.sentBodies.push(options); return original(path, options); };
})()""")
        for n, (devtools, _) in enumerate(pages):
            await evaluate(devtools, ask(n))
        for devtools, _ in pages:
            await wait_for_text(devtools, "#result", "Question envoyée", 40)
        questions = [e for e in journal_events(journal) if e["type"] == "question"]
        assert sorted(q["text"] for q in questions) == sorted(f"Question numéro {n} <b>?</b>" for n in range(PAGES))
        assert len({q["browser"] for q in questions}) == PAGES  # thirty browsers, thirty ids
        assert "Question numéro" not in timer.text()  # the room's screen shows none of them
        assert await evaluate(pages[1][0], "document.getElementById('message').hidden") is True

        # a page that asks again at once is held to its rate: refused, recorded nowhere
        await evaluate(pages[2][0], ask(99))
        await wait_for_text(pages[2][0], "#result", "Refusé (429")
        assert not any("numéro 99" in e.get("text", "") for e in journal_events(journal) if e["type"] == "question")

        # replayed without the token: refused, and the journal stays as it was
        sent = await evaluate(pages[0][0], "JSON.stringify(window.sentBodies[0])")
        captured = json.loads(sent)
        before = journal.read_bytes()
        body, token = captured["body"].encode(), captured["headers"]["Authorization"].split(" ", 1)[1]
        assert post(url, body, None)[0] == 403
        assert post(url, body, token)[0] == 409  # with it: a replayed nonce
        await asyncio.sleep(0.5)  # two polls of the journal by anyone who would have written it
        assert journal.read_bytes() == before

        # the facilitator picks one from the controller page's queue: it becomes the message of the moment
        controller, controller_socket = await page_in_browser(http, browser, devtools_port, controller_link(output))
        listed = await wait_for_text(controller, "#questions-list", "Question numéro 29", 20)
        assert listed.count("Question numéro") == PAGES
        chosen = next(q for q in questions if q["text"] == "Question numéro 7 <b>?</b>")
        button = f"#questions-list li[data-id=\"{chosen['id']}\"] button[data-status=\"shown\"]"
        await evaluate(controller, f"document.querySelector('{button}').click()")
        await wait_for_text(pages[5][0], "#message", "Question numéro 7 <b>?</b> — Personne 7", 10)
        messages = [e["text"] for e in journal_events(journal) if e["type"] == "message"]
        assert messages == ["Question numéro 7 <b>?</b> — Personne 7"]  # the stage's message of the moment
        statuses = [e for e in journal_events(journal) if e["type"] == "question_status"]
        assert [(s["id"], s["status"]) for s in statuses] == [(chosen["id"], "shown")]

        # the ROTI: opened from the terminal, one vote per page (a second one refused), revealed from the controller
        timer.send("r")
        for devtools, _ in pages:
            await wait_for_text(devtools, "#roti-title", "ROTI", 10)
        for n, (devtools, _) in enumerate(pages):
            await evaluate(devtools, f"document.querySelector('#roti-scores button[data-score=\"{SCORES[n]}\"]').click()")
        for devtools, _ in pages:
            await wait_for_text(devtools, "#roti-title", "Merci", 40)
        await evaluate(pages[0][0], "voteRoti && (roti.voted = null, voteRoti(1))")  # the page forgets: the server does not
        await wait_for_text(pages[0][0], "#result", "Refusé", 10)
        await pages[1][0].send("Page.reload")  # a page reloaded finds its score: it offers the vote no more
        await wait_for_text(pages[1][0], "#roti-title", f"Merci : votre vote est compté. ({SCORES[1]})", 15)
        assert await evaluate(pages[1][0], "[...document.querySelectorAll('#roti-scores button')].every((b) => b.disabled)")
        votes = [e for e in journal_events(journal) if e["type"] == "roti_vote"]
        assert len(votes) == PAGES and len({v["browser"] for v in votes}) == PAGES
        await evaluate(controller, "document.getElementById('roti-reveal').click()")
        distribution = None
        deadline = time.monotonic() + 10
        while distribution is None and time.monotonic() < deadline:
            roti = await evaluate(pages[9][0], "room.state && room.state.roti")
            distribution = roti and roti["distribution"]
            await asyncio.sleep(0.1)
        assert distribution == expected_distribution()
        mean = sum(SCORES) / PAGES
        timer.wait_for(f"moyenne {mean:.1f}".replace(".", ","), timeout=10)  # on the stage
        await wait_for_text(pages[3][0], "#roti", f"{mean:.1f}".replace(".", ","), 10)
        # the room's page on a 16:9 projector and on a phone: the question shown and the ROTI fit whole, no scrolling
        viewer, viewer_socket = await page_in_browser(http, browser, devtools_port, "about:blank")
        for width, height in ((1280, 720), (1920, 1080), (390, 844)):
            await viewer.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
            await viewer.send("Page.navigate", url=f"{url}/")
            await wait_for_text(viewer, "#roti", f"{mean:.1f}".replace(".", ","), 10)
            await wait_for_text(viewer, "#message", "Question numéro 7", 10)  # its text: capitals are the page's style
            measure = "[document.documentElement.scrollHeight, innerHeight, document.querySelector('#message').offsetTop"
            measure += " + document.querySelector('#message').offsetHeight]"
            fits = await evaluate(viewer, measure)
            assert fits[0] <= fits[1] and fits[2] <= fits[1], (width, height, fits)
        await viewer_socket.close()
        await controller_socket.close()
    finally:
        if browser_socket is not None:
            await browser_socket.close()
        if http is not None:
            await http.close()
        stop(chromium)
        stop(server)
        reading.close()
    timer.send("q")
    timer.wait_for("Quitter")
    timer.send("y")
    timer.child.expect(__import__("pexpect").EOF, timeout=15)
    (record,) = notes.glob("*.md")
    text = record.read_text(encoding="utf-8").replace("\u2068", "").replace("\u2069", "")
    listed = text.split("### Questions du public")[1].split("## ")[0]
    assert listed.count("Question numéro") == PAGES and listed.count("· en attente") == PAGES - 1  # every one, with its status
    assert "Question numéro 7 \\<b\\>?\\</b\\> — Personne 7 · montrée à la salle" in listed
    assert f"| 4 | {SCORES.count(4)} |" in text and f"**{mean:.1f}**".replace(".", ",") in text
