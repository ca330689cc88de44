"""The audience's questions and the ROTI, in the core: a moderated queue (nothing on the room's screen
before the facilitator picks it), one vote per browser, all journaled and taken back by a replay, and the
record's Questions and ROTI sections rendered by cmark-gfm, hostile questions included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atelier_timer.agenda import load_agenda, parse_agenda, read_agenda_source, slugify
from atelier_timer.audience import ASK_EVERY, QUESTION_MAX, AudienceError, moderate
from atelier_timer.journal import Journal, read_journal
from atelier_timer.live import view_state
from atelier_timer.report import render_markdown, session_from_journal
from tests.render import gfm

from ..helpers import T0, make_agenda, new_session

LOU, MAX = "browser-lou-0001", "browser-max-0002"


def started():
    session, clock, recorder = new_session(make_agenda([5, 30, 4]))
    session.toggle()
    return session, clock, recorder


def test_a_question_waits_in_the_queue_and_reaches_no_room_screen_until_shown() -> None:
    session, _, recorder = started()
    question = session.audience.ask(LOU, "Combien d'usagers ?", "Lou")
    assert [q.status for q in session.audience.waiting()] == ["waiting"]
    page = json.dumps(view_state(session), ensure_ascii=False)
    assert "usagers" not in page and session.message_now() is None  # the viewers' page knows nothing of it
    assert recorder[-1]["type"] == "question" and recorder[-1]["text"] == "Combien d'usagers ?"
    moderate(session, question.id, "shown")
    assert session.message_now()["text"] == "Combien d'usagers ? — Lou"  # the message of the moment: large
    assert view_state(session)["message"]["text"] == "Combien d'usagers ? — Lou"
    moderate(session, question.id, "answered")
    assert session.message_now() is None and session.audience.questions[0].status == "answered"
    assert [e["type"] for e in recorder][-4:] == ["question_status", "message", "question_status", "message"]


def test_showing_a_question_marks_the_one_shown_before_answered() -> None:
    session, _, _ = started()
    first = session.audience.ask(LOU, "Première ?")
    second = session.audience.ask(MAX, "Deuxième ?")
    moderate(session, first.id, "shown")
    moderate(session, second.id, "shown")
    assert [q.status for q in session.audience.questions] == ["answered", "shown"]
    assert session.message_now()["text"] == "Deuxième ?"


def test_dropping_a_question_shown_takes_it_off_but_not_a_message_typed_since() -> None:
    session, _, _ = started()
    question = session.audience.ask(LOU, "Hors sujet ?")
    moderate(session, question.id, "shown")
    session.show_message("Pause café")
    moderate(session, question.id, "dropped")
    assert session.message_now()["text"] == "Pause café"  # the facilitator's own message stays
    assert session.audience.questions[0].status == "dropped"


def test_one_question_per_browser_every_few_seconds_on_the_sessions_clock() -> None:
    session, clock, _ = started()
    session.audience.ask(LOU, "Une ?")
    with pytest.raises(AudienceError, match="wait"):
        session.audience.ask(LOU, "Deux ?")
    session.audience.ask(MAX, "Une autre personne ?")  # the limit is per browser
    clock.advance(ASK_EVERY)
    session.audience.ask(LOU, "Deux ?")
    assert [q.text for q in session.audience.questions] == ["Une ?", "Une autre personne ?", "Deux ?"]


@pytest.mark.parametrize(
    "browser, text, name",
    [
        ("short", "Une question ?", None),  # not a browser id
        ("../../etc/passwd-x", "Une question ?", None),
        (LOU, "   ", None),
        (LOU, "x" * (QUESTION_MAX + 1), None),
        (LOU, "Une question ?", "n" * 41),
        (LOU, 42, None),
    ],
)
def test_what_is_not_a_question_is_refused_and_recorded_nowhere(browser, text, name) -> None:
    session, _, recorder = started()
    before = len(recorder)
    with pytest.raises(AudienceError):
        session.audience.ask(browser, text, name)
    assert len(recorder) == before and session.audience.questions == []


def test_terminal_escapes_and_bidi_in_a_question_are_kept_as_visible_escapes() -> None:
    session, _, _ = started()
    question = session.audience.ask(LOU, "\x1b]2;pwned\x07 ok \u202e", "\x1b[31mLou")
    assert "\x1b" not in question.text and "\\x1b" in question.text and "\\u202e" in question.text
    assert "\x1b" not in question.name


def test_each_browser_votes_once_while_the_roti_is_open_and_the_room_sees_it_when_revealed() -> None:
    session, _, recorder = started()
    with pytest.raises(AudienceError, match="not open"):
        session.audience.vote(LOU, 5)
    session.audience.open_roti()
    for n, score in enumerate([5, 4, 4, 3, 5, 5, 2, 4, 4, 1]):  # ten phones
        session.audience.vote(f"browser-{n:08d}", score)
    with pytest.raises(AudienceError, match="voted already"):
        session.audience.vote("browser-00000000", 1)
    for bad in (0, 6, 3.5, True, "5"):
        with pytest.raises(AudienceError):
            session.audience.vote(LOU, bad)
    assert view_state(session)["roti"] == {"open": True, "votes": 10, "revealed": False, "distribution": None, "mean": None}
    session.audience.reveal_roti()
    roti = view_state(session)["roti"]
    assert roti == {"open": False, "votes": 10, "revealed": True, "distribution": [1, 1, 1, 4, 3], "mean": 3.7}
    with pytest.raises(AudienceError, match="not open"):  # revealing closes the vote
        session.audience.vote(LOU, 5)
    assert [e["type"] for e in recorder].count("roti_vote") == 10


def test_a_step_with_roti_true_opens_the_vote_once() -> None:
    text = "version: 1\ntitle: A\nsteps:\n  - {title: Intro, duration: 1}\n  - {title: Clôture, duration: 1, roti: true}\n"
    session, _, _ = new_session(parse_agenda(text, "a.yaml"))
    session.toggle()
    assert session.audience.roti_view() is None
    session.next()
    assert session.audience.roti_open
    session.audience.close_roti()
    session.previous()
    session.next()
    assert not session.audience.roti_open  # closed by the facilitator: not opened again behind their back
    assert load_agenda("temoignages").steps[-1].roti


def test_the_queue_and_the_roti_come_back_from_the_journal(tmp_path: Path) -> None:
    text, source = read_agenda_source("temoignages")
    session, clock, _ = new_session(load_agenda("temoignages"))
    journal = Journal.create(tmp_path, text, source, slugify(session.agenda.title), clock.wall())
    session.record = journal.append
    session.toggle()
    first = session.audience.ask(LOU, "Pourquoi ?", "Lou")
    session.audience.ask(MAX, "Comment ?")
    moderate(session, first.id, "shown")
    session.audience.open_roti()
    session.audience.vote(LOU, 4)
    session.audience.vote(MAX, 2)
    session.audience.reveal_roti()
    journal.close()
    back = session_from_journal(read_journal(journal.path))
    assert back.audience.questions == session.audience.questions
    assert back.audience.votes == {LOU: 4, MAX: 2} and back.audience.roti_revealed
    assert back.message_now()["text"] == "Pourquoi ? — Lou"
    with pytest.raises(AudienceError, match="wait"):  # the rate limit holds across a resume
        back.audience.ask(LOU, "Encore ?")


HOSTILE_QUESTIONS = [
    "--- ## titre | a | b",
    "<script>alert(1)</script> & <b>gras</b>",
    "* liste\\ `code` [lien](javascript:alert(1)) ~~barré~~",
    "\x1b[2J\u202einversé",
    "> citation 1. liste",
]


def test_the_record_lists_every_question_with_its_status_and_the_roti_as_typed(paris) -> None:
    session, _, _ = new_session(make_agenda([5, 30, 4]), wall=T0)
    session.toggle()
    for n, text in enumerate(HOSTILE_QUESTIONS):
        session.audience.ask(f"browser-{n:08d}", text, "<i>Eve</i> | *x*" if n == 0 else None)
    moderate(session, 1, "shown")
    moderate(session, 2, "dropped")
    moderate(session, 3, "answered")
    session.audience.open_roti()
    for n, score in enumerate([5, 4, 4, 3, 5, 5, 2, 4, 4, 1]):
        session.audience.vote(f"browser-{n:08d}", score)
    markdown = render_markdown(session)
    page = gfm.parse(gfm.render(markdown))
    assert not page.all("script") and not page.all("h3")[1:] and not page.all("blockquote")
    assert [a.attrs.get("href") for a in page.all("a")] == []  # the javascript: link stays text
    part = gfm.sections(page)["Questions"]
    assert part[0].text() == "Aucune question notée."  # the facilitator's own question notes: none
    items = [li.text() for li in part[2].all("li")]
    assert len(items) == 5
    statuses = ["montrée à la salle", "écartée", "répondue", "en attente", "en attente"]
    for item, text, status in zip(items, HOSTILE_QUESTIONS, statuses):
        assert item.endswith(status)
        shown_text = text.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
        assert shown_text in item
    assert "<i>Eve</i> | *x*" in items[0] and "anonyme" in items[1]
    roti = gfm.sections(page)["ROTI (retour sur le temps investi)"]
    rows = [[cell.text() for cell in row.all("td")] for row in roti[0].all("tr")[1:]]
    assert rows == [["1", "1"], ["2", "1"], ["3", "1"], ["4", "4"], ["5", "3"]]
    assert roti[1].text() == "Moyenne : 3,7 / 5 (10 votes)"
    assert "Mean: 3.7 / 5 (10 votes)" in gfm.parse(gfm.render(render_markdown(session, "en"))).text()


def test_the_audience_commands_are_checked_at_the_door_by_the_audiences_own_rules() -> None:
    from atelier_timer import control

    browser = "b" * 32
    ask = {"command": "ask", "browser": browser, "text": "  Une   question ?\x1b ", "name": " Lou ", "extra": 1}
    assert control.validate(ask, control.PARTICIPANT_COMMANDS) == {
        "command": "ask", "browser": browser, "text": "Une question ?\\x1b", "name": "Lou",
    }
    vote = {"command": "roti_vote", "browser": browser, "score": 4}
    assert control.validate(vote, control.PARTICIPANT_COMMANDS) == vote
    for wrong in ({**ask, "text": "x" * 281}, {**ask, "browser": "court"}, {**vote, "score": 6}, {**vote, "score": True}):
        with pytest.raises(control.CommandError):
            control.validate(wrong, control.PARTICIPANT_COMMANDS)
    for theirs in (ask, vote):  # the controller's page neither asks nor votes for the room
        with pytest.raises(control.CommandError, match="unknown command"):
            control.validate(theirs, control.COMMANDS)
    for ours in ({"command": "question", "id": 1, "status": "shown"}, {"command": "roti", "do": "reveal"}):
        assert control.validate(ours, control.COMMANDS) == ours
        with pytest.raises(control.CommandError, match="unknown command"):  # a phone cannot moderate
            control.validate(ours, control.PARTICIPANT_COMMANDS)
    wrongs = (
        {"command": "question", "id": 0, "status": "shown"},
        {"command": "question", "id": 1, "status": "waiting"},
        {"command": "roti", "do": "x"},
    )
    for wrong in wrongs:
        with pytest.raises(control.CommandError):
            control.validate(wrong, control.COMMANDS)
