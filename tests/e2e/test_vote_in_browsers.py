"""The room votes from 30 phones: 30 participants' pages (30 browser contexts of one headless Chromium,
so 30 browsers with their own ids) on one ``serve``, a real ``run`` in a pseudo-terminal taking the votes.

The tally is checked against the votes cast, on the terminal, in the journal and on the viewer page; a
vote after the vote closed, over a browser's points, without the link's token or replayed changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time

import pexpect

from tests.e2e.test_serve import (
    DevTools,
    evaluate,
    needs_chromium,
    start_chromium,
    start_serve,
    stop,
    wait_for_text,
)

PAGES = 30
AGENDA = """\
version: 1
title: Atelier vote
language: en
vote: {points: 3}
hypotheses:
  - measure: Share of users who get their rights within 7 days
    dimension: useful
    stage: impact
  - measure: Monthly active users
    dimension: used
  - Satisfaction on the way out
steps:
  - {title: Focus on impact, duration: 25m}
  - {title: Learnings, duration: 5m}
"""
# what page i gives: (measure, criterion, points), each point one tap on "+"
PLAN = [((i % 3) + 1, "useful", 1 + i % 3) for i in range(PAGES)] + [(((i + 1) % 3) + 1, "usable", 1) for i in range(PAGES)]


def plan_of(page: int) -> list[tuple[int, str, int]]:
    return [PLAN[page], PLAN[PAGES + page]]


TAP = """
(async () => {
  const more = () => document.querySelector('#vote-measures li[data-number="%d"] button.more[data-criterion="%s"]');
  for (let tap = 0; tap < %d; tap++) {
    while (more().disabled || ballot.busy) await new Promise((done) => setTimeout(done, 20));
    more().click();
    await new Promise((done) => setTimeout(done, 0));
    while (ballot.busy) await new Promise((done) => setTimeout(done, 20));
  }
  const now = document.querySelector('#vote-measures li[data-number="%d"] button.more[data-criterion="%s"]');
  return now.parentElement.querySelector("output").textContent + " " + document.getElementById("result").textContent;
})()
"""

# a command sent from the page as its script would, with or without the link's token; its status
SEND = """
(async () => {
  const body = JSON.stringify({command: "vote", browser: BROWSER, measure: %d, criterion: "%s", points: %d,
                               nonce: %s, at: serverNow()});
  const headers = {"Content-Type": "application/json"};
  if (%s) headers.Authorization = "Bearer " + TOKEN;
  const response = await fetch("/participant", {method: "POST", headers, body, credentials: "omit"});
  return response.status;
})()
"""


def send(measure: int, criterion: str, points: int, token: bool = True, nonce: str = "nonce()") -> str:
    return SEND % (measure, criterion, points, nonce, "true" if token else "false")


@contextlib.asynccontextmanager
async def browsers(profile, count: int):
    """``count`` pages, each in its own browser context (its own storage: its own browser id)."""
    import aiohttp

    chromium, port = start_chromium(profile)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/version") as response:
                browser_url = (await response.json())["webSocketDebuggerUrl"]
            async with contextlib.AsyncExitStack() as stack:
                browser = DevTools(await stack.enter_async_context(http.ws_connect(browser_url, max_msg_size=0)))
                pages = []
                for _ in range(count):
                    context = (await browser.send("Target.createBrowserContext"))["browserContextId"]
                    target = (await browser.send("Target.createTarget", url="about:blank", browserContextId=context))["targetId"]
                    address = f"ws://127.0.0.1:{port}/devtools/page/{target}"
                    socket = await stack.enter_async_context(http.ws_connect(address, max_msg_size=0))
                    pages.append(DevTools(socket))
                try:
                    yield pages
                finally:
                    for devtools in [browser, *pages]:
                        devtools.reader.cancel()
    finally:
        stop(chromium)


def votes_in(journal) -> list[dict]:
    return [json.loads(line) for line in journal.read_text().splitlines() if '"type":"vote"' in line]


@needs_chromium
async def test_thirty_phones_vote_while_the_vote_is_open_and_the_revealed_tally_matches(terminal, tmp_path):
    agenda = tmp_path / "vote.yaml"
    agenda.write_text(AGENDA)
    timer = terminal("run", str(agenda), "--notes-dir", str(tmp_path / "notes"), "--no-bell", size=(120, 40))
    timer.wait_for("space")
    timer.send(" ")
    timer.wait_for("left 24:")
    timer.send("v")
    timer.wait_for("Vote open")
    state = tmp_path / "state"
    (journal,) = (state / "sessions").glob("*.jsonl")
    output = tmp_path / "serve.out"
    server, _ = start_serve(state, journal.stem, output)
    link = re.search(r"(http://\S+/vote#\S+)", output.read_text()).group(1)
    reading = contextlib.ExitStack()
    reading.enter_context(timer.draining())  # the terminal reads the timer all along, as the room's would
    try:
        async with browsers(tmp_path / "chromium", PAGES + 1) as pages:
            phones, viewer = pages[:PAGES], pages[PAGES]
            await asyncio.gather(*(phone.send("Page.navigate", url=link) for phone in phones))
            await asyncio.gather(*(wait_for_text(phone, "#vote-state", "The vote is open", 30) for phone in phones))
            ids = await asyncio.gather(*(evaluate(phone, "BROWSER") for phone in phones))
            assert len(set(ids)) == PAGES  # thirty browsers, thirty ids

            async def vote(number: int, phone) -> None:
                for measure, criterion, points in plan_of(number):
                    answer = await evaluate(phone, TAP % (measure, criterion, points, measure, criterion))
                    assert answer.split()[0] == str(points), answer

            started = time.monotonic()
            await asyncio.gather(*(vote(number, phone) for number, phone in enumerate(phones)))
            took = time.monotonic() - started
            cast = sum(points for _, _, points in PLAN)
            deadline = time.monotonic() + 10
            while len(votes_in(journal)) < cast and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert len(votes_in(journal)) == cast, f"{cast} taps, {len(votes_in(journal))} votes journaled"
            await wait_for_text(phones[0], "#vote-left", f"{PAGES} browsers voted")

            # over a browser's points (its page would not offer it), without the token, replayed: refused
            before = journal.read_bytes()
            assert await evaluate(phones[2], send(1, "useful", 3)) == 409  # phone 2 spent its useful points elsewhere
            assert await evaluate(phones[0], send(1, "useful", 1, token=False)) == 403
            assert await evaluate(phones[0], send(1, "useful", 1, nonce='"' + "r" * 32 + '"')) in (200, 409)
            after_first = journal.read_bytes()
            assert await evaluate(phones[0], send(1, "useful", 1, nonce='"' + "r" * 32 + '"')) == 409  # the same nonce again
            await asyncio.sleep(0.5)
            assert journal.read_bytes() == after_first
            assert [line for line in after_first.splitlines() if b'"type":"vote"' in line][:cast] == [
                line for line in before.splitlines() if b'"type":"vote"' in line
            ]

            await phones[1].send("Page.reload")  # a phone that reloads its page finds its points where it left them
            await wait_for_text(phones[1], "#vote-left", f"{PAGES} browsers voted", 15)
            for measure, criterion, points in plan_of(1):
                cell = f"#vote-measures li[data-number='{measure}'] button.more[data-criterion='{criterion}']"
                shown = await evaluate(phones[1], f"document.querySelector({cell!r}).parentElement.querySelector('output').textContent")
                assert shown == str(points)

            controller = re.search(r"(http://\S+/control#\S+)", output.read_text()).group(1)
            await viewer.send("Page.navigate", url=controller)  # the controller's button closes it
            await wait_for_text(viewer, "#vote-toggle", "Open / close the vote")
            assert await evaluate(viewer, "document.getElementById('vote-toggle').hidden") is False
            await evaluate(viewer, "document.getElementById('vote-toggle').click()")
            await wait_for_text(viewer, "#result", "Done")  # run took it: the answer waits for that
            assert b'"type":"vote_close"' in journal.read_bytes()
            await wait_for_text(phones[5], "#vote-state", "The vote is closed", 15)
            assert await evaluate(phones[5], "document.querySelector('#vote-measures button.more').disabled") is True
            closed = journal.read_bytes()
            assert await evaluate(phones[5], send(3, "usable", 1)) == 409
            await asyncio.sleep(0.5)
            assert journal.read_bytes() == closed  # nothing counted after the close

            timer.send("V")  # the tally, on the stage and on the pages
            expected = {n: {"useful": 0, "usable": 0} for n in (1, 2, 3)}
            given: dict[tuple[str, int, str], int] = {}
            for vote_event in votes_in(journal):  # the last points each browser gave on each measure and criterion
                given[(vote_event["browser"], vote_event["measure"], vote_event["criterion"])] = vote_event["points"]
            for (_, measure, criterion), points in given.items():
                expected[measure][criterion] += points
            planned = {n: {"useful": 0, "usable": 0} for n in (1, 2, 3)}
            for measure, criterion, points in PLAN:
                planned[measure][criterion] += points
            assert expected == planned  # the journal holds exactly the votes cast
            screen = timer.wait_for("#1 Share of users")
            for number in (1, 2, 3):
                points = planned[number]
                assert re.search(rf"Useful\s+{points['useful']}\b.*Usable\s+{points['usable']}\b", screen), screen
            await viewer.send("Page.navigate", url=link.split("/vote#")[0] + "/")
            shown = await wait_for_text(viewer, "#tally", "#1", 15)
            for number in (1, 2, 3):
                points = planned[number]
                assert f"Useful {points['useful']} · Usable {points['usable']}" in shown
            await wait_for_text(viewer, "#board-state", f"{PAGES} browsers voted")
            print(f"\n{PAGES} pages cast {cast} votes in {took:.1f} s")
    finally:
        reading.close()
        stop(server)
    timer.send("q")
    timer.wait_for("Quit the session?")
    timer.send("y")
    timer.child.expect(pexpect.EOF, timeout=15)
