"""The record as GitHub draws it: cmark-gfm renders each export, and every cell, heading, note and
hypothesis is read back from the HTML and compared with what was typed; the gantt block keeps its shape.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from atelier_timer.i18n import Translator
from atelier_timer.measures import label as word_in
from atelier_timer.report import REPORT_STRINGS, render_markdown
from atelier_timer.session import Session, Slot
from tests.helpers import T0, make_agenda, new_session
from tests.render import gfm
from tests.unit.test_report import GOLDEN, START, scripted

pytestmark = pytest.mark.skipif(not Path(gfm.CMARK_GFM).exists(), reason=f"no cmark-gfm at {gfm.CMARK_GFM}")

URL = "https://stats.beta.gouv.fr/startups/domifa?periode=12m&vue=usagers_actifs"
ARABIC = "المستخدمون يفضلون الهاتف"
HEBREW = "שלום עולם"
# What a facilitator may paste: rules, headings, lists, quotes, HTML, pipes, backslashes, bidi controls.
HOSTILE_NOTES = [
    f"Voir {URL}",
    "Sans schéma : www.beta.gouv.fr/a_b?x=1&y=2\\z.",
    ARABIC,
    f"! {ARABIC} #3",
    f"{HEBREW} #1",
    "\u202eétape inversée\u202c suite",
    "a | b \\| c \\\\ d",
    "<img src=x onerror=alert(1)> & <b>gras</b>",
    "---",
    "-- -",
    "***",
    "___",
    "> citation",
    "# titre",
    "1. liste",
    "+ plus",
    "\x07sonnette\x9b et C1\u2066",
    "* ---",
    f"? Source : {URL} | x, ou https://a.fr/p|q ou (https://fr.wikipedia.org/wiki/Loi_(droit)) ?",
    "! Relire `/stats` *avant* ~~juin~~ $1$ [lien](http://x) #2",
]
HOSTILE_HYPOTHESES = ("---", "-- -", f"Voir {URL}", "***", "> citation", "<script>alert(1)</script>", "=== 1) x |")


def run_hostile() -> Session:
    agenda = make_agenda([1, 2, 1], title="Atelier <b>x</b> | *y* \\ https://beta.gouv.fr/a_b", hypotheses=HOSTILE_HYPOTHESES)
    first, second, third = agenda.steps
    steps = (
        first._replace(title="--- ouverture <b>gras</b> & co", speaker="Ana | Lou \\ <i>"),
        second._replace(title=f"Lire {URL} | https://a.fr/p|q"),
        third._replace(title="# 1. ___ \u202eرأي"),
    )
    agenda = agenda._replace(steps=steps)
    session, clock, _ = new_session(agenda, wall=START)
    session.toggle()
    hostile = {"source": f"{URL} | x", "baseline": "<b>1</b>", "target": "| 2 |", "frequency": "`hebdo`"}
    session.change_board("measure_edit", number=1, fields=hostile)
    session.add_note("#+ --- mesure | <i>ajoutée</i> \\")
    session.change_board("measure_verdict", number=1, verdict="rework")
    for i, note in enumerate(HOSTILE_NOTES):
        clock.advance(10)
        session.add_note(note)
        if i in (7, 14):
            session.next()
    clock.advance(20)
    session.next()
    return session


def seen(typed: str) -> str:
    """What a reader must see of ``typed``: one line, without control characters."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "", " ".join(typed.split()))


def whose_turn(session: Session, t: Translator, note) -> str:
    """``, tour : Marine`` for a note written during a turn, else nothing."""
    turns = session.agenda.steps[note.step].turns
    return f", {t('whose_turn', name=seen(turns[note.turn].name))}" if note.turn is not None else ""


def where(session: Session, t: Translator, wall: float, step: int, note=None) -> str:
    place = t("where", time=time.strftime("%H:%M", time.localtime(wall)), number=step + 1)
    return place + (whose_turn(session, t, note) if note is not None else "")


def assert_links_work(element: gfm.Element, typed: str) -> None:
    """Every address typed in ``typed`` is a link to itself."""
    links = {unquote(a.attrs["href"]): a.text() for a in element.all("a")}
    for url in re.findall(r"\bhttps?://\S+|\bwww\.\S+", seen(typed)):
        url = url.rstrip(".,;:?!")
        url = url[:-1] if url.count(")") > url.count("(") else url
        target = url if "://" in url else "http://" + url
        assert links.get(target) == url, f"{url} is not a working link in {element.raw()!r}"


def check_rendered(markdown: str, session: Session, lang: str) -> None:
    """Render ``markdown`` (the record of ``session``) as GitHub does and read every typed text back."""
    html = gfm.render(markdown)
    assert not re.search("[\u202a-\u202e\u2066\u2067\x00-\x08\x0b-\x1f\x7f-\x9f]", html)
    assert "<script" not in html and "<img" not in html and "<hr" not in html and "<blockquote" not in html
    page = gfm.parse(html)
    t = Translator(REPORT_STRINGS, lang)
    agenda = session.agenda

    (title,) = page.all("h1")
    assert title.text() == seen(agenda.title)
    assert_links_work(title, agenda.title)

    rows = iter(page.all("table")[0].all("tr")[1:])
    for step in agenda.steps:
        cell = next(rows).all("td")[1]
        expected = seen(step.title) + (f" — {seen(step.speaker)}" if step.speaker else "")
        assert cell.text() == expected
        assert_links_work(cell, step.title)
        for turn in step.turns:  # each turn on its own row under its step
            assert next(rows).all("td")[1].text() == f"↳ {seen(turn.name)}"

    headings = {h.text() for h in page.all("h3")}
    for i, step in enumerate(agenda.steps):
        if any(note.step == i for note in session.notes):
            assert f"{i + 1}. {seen(step.title)}" in headings

    by_section = gfm.sections(page)
    for kind, heading in (("action", "actions"), ("learning", "learnings"), ("question", "questions")):
        notes = [note for note in session.notes if note.kind == kind]
        items = [li for block in by_section[t(heading)] for li in block.all("li")]
        assert len(items) == len(notes)
        for li, note in zip(items, notes):
            # the text, then the time after it, whatever the note's direction
            place = where(session, t, note.wall, note.step, note)
            assert li.text().removeprefix("[ ] ") == f"{seen(note.text)} — {place}"
            assert li.raw().rstrip().endswith(f"\u2069 — {place}" if note.turn is None else "\u2069")
            assert_links_work(li, note.text)

    notes_by_step = [li for block in by_section[t("notes_by_step")] for li in block.all("li")]
    assert len(notes_by_step) == len(session.notes)
    for li, note in zip(notes_by_step, sorted(session.notes, key=lambda n: n.step)):
        label = "" if note.kind == "note" else t("kind_label", kind=t(f"kind_{note.kind}"))
        stamp = time.strftime("%H:%M", time.localtime(note.wall)) + whose_turn(session, t, note)
        assert li.text() == f"{stamp} {label}{seen(note.text)}"
        assert_links_work(li, note.text)

    if session.board.measures:
        (listed,) = [block for block in by_section[t("hypotheses")] if block.tag == "ol"]
        items = [li for li in listed.children if isinstance(li, gfm.Element) and li.tag == "li"]
        texts = [measure.text for measure in session.board.measures]
        (table,) = [block for block in by_section[t("measures")] if block.tag == "table"]
        header, *lines = table.all("tr")
        assert [th.text() for th in header.all("th")][:5] == ["#", t("col_measure"), t("col_verdict"), t("col_useful"), t("col_usable")]
        tally = session.board.tally()
        assert len(lines) == len(texts)  # one row per measure, whatever was typed in it
        for number, (line, text) in enumerate(zip(lines, texts), start=1):
            cells = line.all("td")
            assert len(cells) == len(header.all("th"))
            assert cells[1].text().startswith(seen(text))
            verdict = session.board.verdicts.get(number)
            assert cells[2].text() == (word_in(verdict, lang) if verdict else "—")
            assert [cells[3].text(), cells[4].text()] == [str(tally.points[number][c]) for c in ("useful", "usable")]
        assert [li.text(skip=("ul",)) for li in items] == [seen(h) for h in texts]
        for li, hypothesis in zip(items, texts):
            assert_links_work(li, hypothesis)


@pytest.mark.parametrize(
    ("agenda", "lang", "golden"),
    [
        ("codev", "fr", "codev.md"),
        ("temoignages", "fr", "temoignages.md"),
        ("codev", "en", "codev.en.md"),
        ("codev", "fr", "codev.slot.md"),
        ("codev", "en", "codev.slot.en.md"),
        ("codev-6-etapes", "fr", "codev-6-etapes.md"),
        ("troika", "fr", "troika.md"),
        ("1-2-4-all", "fr", "1-2-4-all.md"),
    ],
)
def test_the_golden_exports_render_as_typed(paris, agenda: str, lang: str, golden: str) -> None:
    slot = Slot(T0, T0 + 3600) if ".slot." in golden else None
    session, _, _ = scripted(agenda, slot)
    check_rendered((GOLDEN / golden).read_text(encoding="utf-8"), session, lang)


def test_a_hostile_export_renders_as_typed(paris) -> None:
    session = run_hostile()
    markdown = render_markdown(session)
    check_rendered(markdown, session, "fr")
    page = gfm.parse(gfm.render(markdown))
    link = next(a for a in page.all("a") if a.text() == URL)
    assert unquote(link.attrs["href"]) == URL  # no backslash inside, no escaped underscore


def test_the_hostile_export_matches_its_golden_file(paris) -> None:
    from tests.unit.test_report import check_golden

    check_golden("hostile.md", render_markdown(run_hostile()))


# --------------------------------------------------------------------------------------------------
# The gantt block

BAR = re.compile(r"^    (?P<name>[^:#;]+) :(?P<tag>crit, |done, )?(?P<start>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (?P<seconds>\d+)s$")
TICK_SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def gantt_lines(markdown: str) -> list[str]:
    return markdown.split("```mermaid\n")[1].split("```")[0].splitlines()


def check_gantt_shape(markdown: str, session: Session) -> None:
    """Local start times and lengths in seconds; planned and actual laid end to end; a readable axis."""
    lines = gantt_lines(markdown)
    assert lines[0] == "gantt" and lines[2] == "    dateFormat YYYY-MM-DD HH:mm:ss"
    axis = re.fullmatch(r"    axisFormat (%H:%M(?::%S)?)", lines[3])
    tick = re.fullmatch(r"    tickInterval (\d+)(second|minute|hour)", lines[4])
    assert axis and tick and lines[5] == "    todayMarker off"
    sections = [i for i, line in enumerate(lines) if line.startswith("    section ")]
    assert len(sections) == 2
    planned = [BAR.match(line) for line in lines[sections[0] + 1 : sections[1]]]
    actual = [BAR.match(line) for line in lines[sections[1] + 1 :]]
    assert all(planned) and all(actual), lines

    def spans(bars):
        out = []
        for bar in bars:
            begin = datetime.strptime(bar["start"], "%Y-%m-%d %H:%M:%S").timestamp()  # local, as Mermaid reads it
            out.append((begin, begin + int(bar["seconds"])))
        return out

    start = round(session.started_wall)
    planned_spans, actual_spans = spans(planned), spans(actual)
    assert [int(bar["seconds"]) for bar in planned] == [step.duration for step in session.agenda.steps]
    for bars in (planned_spans, actual_spans):
        assert bars[0][0] == start
        assert all(a[1] == b[0] for a, b in zip(bars, bars[1:]))
    assert actual_spans[-1][1] == start + round(session.session_elapsed())  # the actual row ends with the session
    tick_seconds = int(tick[1]) * TICK_SECONDS[tick[2]]
    width = max(planned_spans[-1][1], actual_spans[-1][1]) - start
    assert 1 <= width / tick_seconds <= 10
    assert (tick_seconds < 60) == axis[1].endswith(":%S")


@pytest.mark.parametrize("agenda", ["codev", "temoignages"])
def test_the_gantt_block_has_the_shape_every_mermaid_draws(paris, agenda: str) -> None:
    session, _, _ = scripted(agenda)
    markdown = render_markdown(session)
    check_gantt_shape(markdown, session)
    assert "Pauses, 2 min :done, " in markdown if agenda == "codev" else "Pauses, 1 min :done, " in markdown


def test_a_three_second_session_gets_ticks_in_seconds(paris) -> None:
    session, clock, _ = new_session(make_agenda([0.05]), wall=START)
    session.toggle()
    clock.advance(3)
    session.next()
    markdown = render_markdown(session)
    check_gantt_shape(markdown, session)
    assert "    axisFormat %H:%M:%S" in gantt_lines(markdown)
