"""The Markdown record: golden files for both bundled agendas, escaping, the journal export, failures."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from atelier_timer.agenda import load_agenda, read_agenda_source, slugify
from atelier_timer.clock import FakeClock
from atelier_timer.journal import Journal, read_journal
from atelier_timer.report import (
    REPORT_STRINGS,
    ExportError,
    RecordKept,
    escape_markdown,
    export_path,
    mermaid_label,
    render_markdown,
    session_from_journal,
    write_export,
)
from atelier_timer.session import Session, Slot
from tests.helpers import T0, make_agenda, new_session

GOLDEN = Path(__file__).parent / "golden"
START = T0 + 2 * 60  # 14:02 in Paris
LEGEND_FR = "Durées en minutes:secondes ; l'écart compare le réel au prévu (+ : dépassement)."


def minutes(m: float, s: float = 0) -> float:
    return m * 60 + s


def run_codev(session: Session, clock: FakeClock) -> None:
    """Acte 2 as it might go: the team's introduction runs over and shortens the coaches', a pause, a
    rebalance, an extra minute for a coach, notes of every kind, some written during a coach's turn."""
    session.toggle()  # 14:02
    clock.advance(minutes(5))  # the framing takes 5 minutes of its 4
    session.next_turn()  # the round of introductions: four turns of 1:30 in the 5 minutes left, 1:15 each
    clock.advance(minutes(2, 30))
    session.add_note("Tour de table : 3 coachs, 1 observatrice, l'équipe au complet")
    session.next_turn()  # the team ran over: each coach now has 0:50
    clock.advance(minutes(1, 10))
    session.next_turn()
    clock.advance(minutes(1))
    session.next_turn()
    clock.advance(minutes(1, 20))
    session.next_turn()  # after the last turn, the next step
    clock.advance(minutes(4))
    session.add_note("! Mesurer le délai d'obtention de la démarche #1")
    clock.advance(minutes(3))
    session.toggle()  # a 2-minute pause: the video call drops
    clock.advance(minutes(2))
    session.toggle()
    session.add_note("   ")  # blank: ignored
    session.add_note("#2 *important* | yes")
    session.apply_rebalance(session.rebalance_plan())  # behind: the coming steps give it back, turns too
    clock.advance(minutes(3, 20))
    session.next()
    session.adjust(+60)  # the questions need a minute more
    clock.advance(minutes(5))
    session.add_note("? Qui produit les chiffres de la page /stats ?")
    clock.advance(minutes(4, 40))
    session.next()  # the recommendations: first the team restates the help it wants
    clock.advance(minutes(3))
    session.next_turn()  # then one coach at a time
    clock.advance(minutes(7))
    session.add_note("* Partir de « qu'est-ce qui ira mieux, et pour qui ? »")
    session.add_note("Le taux de pénétration #2 est fiable à 50 % & pas plus")
    session.next_turn()
    session.adjust(+60)  # the second coach gets a minute more
    session.add_note("#3 satisfaction_mesurée en sortie <à confirmer>")
    clock.advance(minutes(8))
    session.add_note("! Publier [la page] `/stats` avec l'indicateur ~nord~ avant juin #1 #3")
    session.next_turn()
    session.add_note("- une piste : 1. la démarche, 2. le délai")
    session.add_note("#+ Part des démarches abandonnées en cours de route")  # a measure that comes up
    session.change_board("vote_open")  # the room votes from its phones
    for browser, useful, usable in (("a" * 16, 1, 5), ("b" * 16, 1, 1), ("c" * 16, 5, 5)):
        session.change_board("vote", browser=browser, measure=useful, criterion="useful", points=2)
        session.change_board("vote", browser=browser, measure=usable, criterion="usable", points=3)
    session.change_board("vote_close")
    session.change_board("vote_reveal", shown=True)
    session.change_board("measure_verdict", number=1, verdict="keep")
    session.change_board("measure_verdict", number=2, verdict="rework")
    session.change_board("measure_verdict", number=4, verdict="drop")
    session.change_board("measure_edit", number=2, fields={"source": "https://exemple.beta.gouv.fr/stats", "target": "30 %"})
    clock.advance(minutes(5, 30))
    session.next()
    clock.advance(minutes(2))
    session.add_note("* Un indicateur d'impact part de l'usager, pas de l'équipe")
    session.add_note("! Fixer une revue des indicateurs avec le sponsor, Camille, 15 avril")
    session.add_note("? Comment fiabiliser la mesure à 90 % ? #4")
    clock.advance(minutes(3, 30))
    session.next()  # last step: the session is finished


def run_temoignages(session: Session, clock: FakeClock) -> None:
    """Acte 1: three testimonies as turns (the first overruns), a pause, a minute cut from the exchanges."""
    session.toggle()
    clock.advance(minutes(4, 10))
    session.next()
    clock.advance(minutes(5))
    session.add_note("Le tableau de bord que personne ne lisait")
    clock.advance(minutes(2, 45))  # 7:45 for a 7-minute turn
    session.next_turn()
    clock.advance(minutes(6, 50))
    session.add_note("* Un indicateur sans décision derrière ne sert à rien")
    session.next_turn()
    clock.advance(minutes(3))
    session.pause()
    clock.advance(minutes(1))
    session.start()
    clock.advance(minutes(4))
    session.add_note("? Comment éviter la loi de Campbell | la triche ?")
    session.next_turn()  # the last testimony's end is the step's
    session.adjust(-60)
    clock.advance(minutes(12))
    session.add_note("! Partager le modèle de page /stats *avant* le prochain atelier")
    session.add_note("#1 n'est pas une hypothèse ici : ce n'est qu'un numéro")
    clock.advance(minutes(17))
    session.next()
    clock.advance(minutes(4, 30))
    session.add_note("* Commencer par « pour qui ? »")
    session.next()


def run_through(session: Session, clock: FakeClock) -> None:
    """Any agenda, as a facilitator might run it: every turn and step a little over or under, a note in each."""
    session.toggle()
    for number, step in enumerate(session.agenda.steps):
        for turn in range(max(1, len(step.turns))):
            left = session.turn_remaining() if step.turns else session.remaining()
            clock.advance(max(0, left + (20 if (number + turn) % 3 == 0 else -40)))
            kind = ("", "! ", "* ", "? ")[(number + turn) % 4]
            session.add_note(f"{kind}Note {number + 1}.{turn + 1}")
            if step.turns:
                session.next_turn()
        if not step.turns:
            session.next()


SCRIPTS = {
    "codev": run_codev, "temoignages": run_temoignages, "codev-6-etapes": run_through, "troika": run_through, "1-2-4-all": run_through
}


def scripted(name: str, slot: Slot | None = None) -> tuple[Session, FakeClock, list[dict]]:
    session, clock, recorder = new_session(load_agenda(name), wall=START)
    session.slot = slot
    SCRIPTS[name](session, clock)
    return session, clock, recorder


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("agenda", "lang", "golden"),
    [
        ("codev", "fr", "codev.md"),
        ("temoignages", "fr", "temoignages.md"),
        ("codev", "en", "codev.en.md"),
        ("codev-6-etapes", "fr", "codev-6-etapes.md"),
        ("troika", "fr", "troika.md"),
        ("1-2-4-all", "fr", "1-2-4-all.md"),
    ],
)
def test_export_matches_the_golden_file(paris, agenda: str, lang: str, golden: str) -> None:
    session, _, _ = scripted(agenda)
    assert session.finished
    check_golden(golden, render_markdown(session, lang))


@pytest.mark.parametrize(("lang", "golden"), [("fr", "codev.slot.md"), ("en", "codev.slot.en.md")])
def test_export_with_a_slot_says_how_late_it_started_and_the_drift_from_the_slot(paris, lang: str, golden: str) -> None:
    session, _, _ = scripted("codev", Slot(T0, T0 + 3600))  # booked 14:00 -> 15:00, started at 14:02
    text = render_markdown(session, lang)
    check_golden(golden, text)
    assert ("**Créneau** : 14:00 → 15:00" if lang == "fr" else "**Slot**: 14:00 → 15:00") in text


def html(markdown: str) -> str:
    """The HTML, without the bidi isolates around each typed text (invisible to the reader)."""
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    return rendered.translate(str.maketrans("", "", "\u2068\u2069"))


def table_rows(markdown: str) -> list[list[str]]:
    """Each row of the first table as GitHub would split it into cells."""
    rendered = html(markdown)
    table = rendered[rendered.index("<table>") : rendered.index("</table>")]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_the_steps_table_keeps_its_shape_whatever_the_titles(paris) -> None:
    agenda = make_agenda([1, 1])
    agenda = agenda._replace(steps=(agenda.steps[0]._replace(title="A | B *c* #1", speaker="Sam | Lou"), agenda.steps[1]))
    session, clock, _ = new_session(agenda)
    session.toggle()
    clock.advance(75)
    session.next()
    clock.advance(30)
    session.next()
    rows = table_rows(render_markdown(session))
    assert len(rows) == 1 + 2 + 1  # header, two steps, total
    assert all(len(row) == len(rows[0]) for row in rows)
    assert rows[1][1] == "A | B *c* #1 — Sam | Lou"
    assert rows[1][-2:] == ["1:15", "+0:15"]
    assert rows[2][-2:] == ["0:30", "-0:30"]
    assert rows[3][-2:] == ["<strong>1:45</strong>", "<strong>-0:15</strong>"]


def test_user_text_shows_literally_and_never_as_markup(paris) -> None:
    session, clock, _ = new_session(make_agenda([10], hypotheses=("Part *des* usagers | #1",)))
    session.toggle()
    typed = ["#2 *important* | yes", "<b>gras</b> & [lien](x) `code` _x_ ~~y~~ $1$ \\n", "- liste", "1. point"]
    for text in typed:
        session.add_note(text)
    session.add_note("! # titre ? #1")
    rendered = html(render_markdown(session))
    for text in typed:
        shown = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert shown in rendered
    assert "# titre ? #1" in rendered
    assert "Part *des* usagers | #1" in rendered
    for tag in ("<b>", "<a ", "<code>", "<s>", "<del>", "<blockquote>", "<strong>important"):
        assert tag not in rendered
    measures_legend = REPORT_STRINGS["measures_legend"]["fr"].format(voters=0)
    assert set(re.findall(r"<em>(.*?)</em>", rendered)) <= {"(en cours)", "Rien de noté.", LEGEND_FR, measures_legend}
    assert rendered.count("<h1>") == 1 and rendered.count("<ol>") == 1  # the hypotheses


def test_escape_markdown_isolates_escapes_and_keeps_links() -> None:
    def isolated(text: str) -> str:
        return "\u2068" + text + "\u2069"

    assert escape_markdown("#2 *important* | yes") == isolated(r"\#2 \*important\* \| yes")
    assert escape_markdown("- item") == isolated(r"\- item")
    assert escape_markdown("---") == isolated(r"\---")
    assert escape_markdown("12. item") == isolated(r"12\. item")
    assert escape_markdown("a\nb  c") == isolated("a b c")
    assert escape_markdown("\u202eab\x00c\x85d\x9b") == isolated("abc d")
    assert escape_markdown("  ") == ""
    url = "https://stats.beta.gouv.fr/x?a=1&vue=usagers_actifs"
    assert escape_markdown(f"Voir {url}.") == isolated(f"Voir <{url}>.")
    assert escape_markdown("https://a.fr/p|q", cell=True) == isolated("<https://a.fr/p\\|q>")
    assert escape_markdown("(https://fr.wikipedia.org/wiki/Loi_(droit))") == isolated(
        "(<https://fr.wikipedia.org/wiki/Loi_(droit)>)"
    )
    assert escape_markdown("https:// seul") == isolated("https:// seul")
    assert escape_markdown("www.a.fr/x_y?a&b") == isolated(r"[www.a.fr/x\_y?a\&b](<http://www.a.fr/x_y?a\&b>)")
    assert mermaid_label("3. Q&R : questions; #2") == "3. Q&R questions 2"
    assert mermaid_label("a\u202eb") == "ab"
    assert mermaid_label("x" * 60).endswith("…") and len(mermaid_label("x" * 60)) == 48


def test_actions_are_a_checklist_and_each_kind_has_its_section(paris) -> None:
    session, _, _ = scripted("codev")
    text = render_markdown(session)
    actions = text.split("## Actions\n\n")[1].split("\n\n")[0].splitlines()
    assert actions == [
        "- [ ] \u2068Mesurer le délai d'obtention de la démarche \\#1\u2069 — 14:17, étape 2",
        "- [ ] \u2068Publier \\[la page\\] \\`/stats\\` avec l'indicateur \\~nord\\~ avant juin \\#1 \\#3\u2069 — 14:53, étape 4, tour : "
        "\u2068Coach 2\u2069",
        "- [ ] \u2068Fixer une revue des indicateurs avec le sponsor, Camille, 15 avril\u2069 — 15:00, étape 5",
    ]
    rendered = html(text)
    assert "<h2>Apprentissages</h2>" in rendered and "<h2>Questions</h2>" in rendered


def test_hypotheses_list_what_was_said_of_each(paris) -> None:
    session, _, _ = scripted("codev")
    section = render_markdown(session).split("## Hypothèses d'impact\n\n")[1].split("\n\n")[0]
    numbered = re.findall(r"^(\d+)\. ", section, re.M)
    assert numbered == ["1", "2", "3", "4", "5"]  # the fifth added during the session
    said = {n: block for n, block in re.findall(r"^(\d+)\. (.*?)(?=^\d+\. |\Z)", section, re.M | re.S)}
    assert said["1"].count("\n   - ") == 2  # the two actions citing #1
    assert "\\#2 \\*important\\* \\| yes" in said["2"] and "pénétration" in said["2"]
    assert "satisfaction" in said["3"]
    assert "fiabiliser" in said["4"]


def test_the_messages_shown_to_the_room_are_listed(paris) -> None:
    session, clock, _ = new_session(make_agenda([10, 10]), wall=START)
    session.toggle()
    clock.advance(minutes(8))
    session.show_message("On conclut *vite*", flash=True)
    session.clear_message()
    text = render_markdown(session, "fr")
    assert f"## Messages à la salle\n\n- **14:10** {escape_markdown('On conclut *vite*')} — étape 1" in text
    assert "\\*vite\\*" in text
    assert "Messages" not in render_markdown(new_session(make_agenda([10]))[0], "fr")


def test_an_empty_session_still_renders(paris) -> None:
    session, _, _ = new_session(make_agenda([5, 5]))
    text = render_markdown(session, "en")
    assert "not started yet" in text
    assert "```mermaid" not in text
    assert "No action noted." in text
    rows = table_rows(text)
    assert rows[1][-2:] == ["—", "—"]


def test_a_session_under_way_marks_the_current_step_and_leaves_coming_ones_open(paris) -> None:
    session, clock, _ = new_session(make_agenda([10, 10, 10]))
    session.toggle()
    clock.advance(minutes(11))
    session.next()
    clock.advance(minutes(3))
    text = render_markdown(session)
    rows = table_rows(text)
    assert rows[1][-2:] == ["11:00", "+1:00"]
    assert rows[2][1].endswith("<em>(en cours)</em>") and rows[2][-2:] == ["3:00", "—"]
    assert rows[3][-2:] == ["—", "—"]
    assert rows[4][-2:] == ["<strong>14:00</strong>", "<strong>+1:00</strong>"]
    assert "session non terminée (état à 14:14 ; fin prévue à 14:30)" in text


def test_the_export_from_the_journal_equals_the_live_record(paris, tmp_path: Path) -> None:
    yaml_text, source = read_agenda_source("codev")
    session, clock, _ = new_session(load_agenda("codev"), wall=START)
    journal = Journal.create(tmp_path, yaml_text, source, slugify(session.agenda.title), clock.wall())
    session.record = journal.append
    try:
        session.toggle()
        clock.advance(minutes(12))
        session.next()
        clock.advance(minutes(3))
        session.add_note("* en cours #1 | encore")
        live_while_running = render_markdown(session)
        assert render_markdown(session_from_journal(read_journal(journal.path))) == live_while_running
        clock.advance(minutes(50))  # read much later, the journal export still says the same
        assert render_markdown(session_from_journal(read_journal(journal.path))) == live_while_running
        session.next_turn()  # the round of introductions moves on: in the journal too
        clock.advance(minutes(1))
        while not session.finished:
            session.next()
        clock.advance(minutes(10))
        assert render_markdown(session_from_journal(read_journal(journal.path)), "en") == render_markdown(session, "en")
    finally:
        journal.close()


def test_export_path_is_named_after_the_start_and_the_agenda(paris, tmp_path: Path) -> None:
    session, _, _ = new_session(load_agenda("temoignages"), wall=START)
    session.toggle()
    assert export_path(session, tmp_path) == tmp_path / "2026-03-12-1402-atelier-impact-temoignages.md"


def test_write_export_creates_the_notes_dir_and_writes_the_record(paris, tmp_path: Path) -> None:
    session, _, _ = scripted("temoignages")
    notes = tmp_path / "a" / "atelier-notes"
    path = write_export(session, notes, "fr")
    assert path == notes / "2026-03-12-1402-atelier-impact-temoignages.md"
    mark = f"\n<!-- atelier-timer record: session={START:.3f} events={session.event_count} -->\n"
    assert path.read_text(encoding="utf-8") == render_markdown(session, "fr") + mark
    assert [p.name for p in notes.iterdir()] == [path.name]
    target = tmp_path / "record.md"
    assert write_export(session, notes, "en", path=target) == target
    assert target.read_text(encoding="utf-8") == render_markdown(session, "en") + mark


def test_two_sessions_started_in_the_same_minute_get_two_records(paris, tmp_path: Path) -> None:
    first, clock, _ = new_session(load_agenda("codev"), wall=START)
    first.toggle()
    second, _, _ = new_session(load_agenda("codev"), wall=START + 20)
    second.toggle()
    second.add_note("la seconde")
    one, two = write_export(first, tmp_path), write_export(second, tmp_path)
    stem = "2026-03-12-1402-atelier-impact-co-developpement"
    assert (one.name, two.name) == (f"{stem}.md", f"{stem}-2.md")
    first.add_note("la première")
    assert write_export(first, tmp_path) == one  # each session keeps its own file
    assert "la première" in one.read_text() and "la seconde" in two.read_text()
    (tmp_path / "2026-03-12-1402-atelier-impact-temoignages.md").write_text("mes notes à moi\n")
    third, _, _ = new_session(load_agenda("temoignages"), wall=START)
    third.toggle()
    assert write_export(third, tmp_path).name.endswith("temoignages-2.md")  # a file that is no record is never replaced
    assert (tmp_path / "2026-03-12-1402-atelier-impact-temoignages.md").read_text() == "mes notes à moi\n"


def test_a_record_is_never_replaced_by_a_shorter_one_of_the_same_session(paris, tmp_path: Path) -> None:
    session, clock, _ = new_session(load_agenda("codev"), wall=START)
    session.toggle()
    early = Session.restore(session.agenda, [], clock)  # what a journal that missed the later events gives
    early.started_wall = session.started_wall
    session.add_note("notée pendant que le disque était plein")
    path = write_export(session, tmp_path)
    complete = path.read_text()
    with pytest.raises(RecordKept, match="kept: it already holds a more complete record of this session"):
        write_export(early, tmp_path)
    assert path.read_text() == complete
    session.add_note("et une de plus")
    assert write_export(session, tmp_path) == path and "et une de plus" in path.read_text()


@pytest.mark.parametrize("where", ["missing-folder", "under-a-file", "notes-dir-under-a-file"])
def test_an_export_that_cannot_be_written_says_why_in_one_line(paris, tmp_path: Path, where: str) -> None:
    session, _, _ = scripted("codev")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    if where == "missing-folder":
        target, notes = tmp_path / "nowhere" / "x.md", tmp_path
    elif where == "under-a-file":
        target, notes = blocker / "x.md", tmp_path
    else:
        target, notes = None, blocker / "notes"
    with pytest.raises(ExportError) as caught:
        write_export(session, notes, "fr", path=target)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(target or notes) + ": error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing half-written anywhere


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gets_a_one_line_error(paris, tmp_path: Path) -> None:
    session, _, _ = scripted("codev")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Permission denied"):
            write_export(session, tmp_path, "fr")
        assert list(tmp_path.iterdir()) == []
    finally:
        tmp_path.chmod(0o700)

