"""The audience speaks (no Textual): questions from the participants' phones, a moderated queue, and a
ROTI (return on time invested, 1 to 5) at the end.

Nothing an audience member writes reaches the room's screen before the facilitator chooses it: a
question waits in the queue until it is *shown* (it then becomes the message of the moment), *answered*
or *dropped*. Every change is one journal event, written by ``run`` alone (the session's ``mark``):

- ``question {id, browser, name, text}``: asked from a browser (its random id), a name optional;
- ``question_status {id, status}``: ``shown``, ``answered`` or ``dropped``;
- ``roti_open``, ``roti_close``, ``roti_vote {browser, score}``, ``roti_reveal {shown}``.

``replay`` rebuilds the same state from the journal's events (``resume``, ``follow``, ``serve``,
``export``). Each browser votes once; a question is one line of at most ``QUESTION_MAX`` characters,
and a browser asks at most one question every ``ASK_EVERY`` seconds (``AskLimit``, also kept by
``serve`` to answer the page at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from atelier_timer.measures import BROWSER
from atelier_timer.safetext import printable

if TYPE_CHECKING:
    from atelier_timer.session import Session

QUESTION_MAX = 280  # characters of a question
NAME_MAX = 40  # characters of a name
ASK_EVERY = 20.0  # seconds between two questions of one browser, as serve holds them
# run applies a question a moment after serve accepted it: it holds a browser to a second less, so that
# a question serve said was taken is never dropped between them
ASK_GRACE = 1.0
QUEUE_MAX = 500  # questions a session takes in all: a flood stops there
SCORES = (1, 2, 3, 4, 5)
ASKED_TOO_SOON = "too soon after this browser's last question"  # serve answers it with a 429
STATUSES = ("waiting", "shown", "answered", "dropped")


class AudienceError(ValueError):
    """What an audience member sent is refused; the message is one line, for the page."""


class Question(NamedTuple):
    id: int
    browser: str
    name: str | None
    text: str
    wall: float
    step: int
    status: str = "waiting"


def clean_browser(browser: object) -> str:
    """A browser's id as sent by its page (random, kept in the browser), or AudienceError."""
    if not isinstance(browser, str) or not BROWSER.fullmatch(browser):
        raise AudienceError("'browser' must be the page's id (16 to 64 letters, digits, - or _)")
    return browser


def clean_question(text: object, name: object = None) -> tuple[str, str | None]:
    """The question and the name as they will be kept: one line each, control and bidi characters as
    escapes (``safetext.printable``), within their limits; or AudienceError."""
    if not isinstance(text, str) or not " ".join(text.split()):
        raise AudienceError("a question is a line of text")
    text = " ".join(text.split())
    if len(text) > QUESTION_MAX:
        raise AudienceError(f"a question is at most {QUESTION_MAX} characters")
    if name is not None and (not isinstance(name, str) or len(name) > NAME_MAX):
        raise AudienceError(f"a name is at most {NAME_MAX} characters")
    name = " ".join((name or "").split())
    return printable(text), printable(name) or None


def clean_score(score: object) -> int:
    """A ROTI vote as sent (a whole number from 1 to 5, never ``True``), or AudienceError."""
    if not isinstance(score, int) or isinstance(score, bool) or score not in SCORES:
        raise AudienceError("a ROTI vote is a whole number from 1 to 5")
    return score


class AskLimit:
    """At most one question per browser every ``every`` seconds, on the clock it is handed."""

    def __init__(self, every: float = ASK_EVERY) -> None:
        self.every = every
        self._last: dict[str, float] = {}

    def wait(self, browser: str, now: float) -> float:
        """Seconds ``browser`` must still wait before asking again (0: it may)."""
        last = self._last.get(browser)
        return 0.0 if last is None else max(0.0, last + self.every - now)

    def take(self, browser: str, now: float) -> None:
        """``browser`` asks now, or AudienceError when it is too soon."""
        left = self.wait(browser, now)
        if left > 0:
            raise AudienceError(f"{ASKED_TOO_SOON} (one every {self.every:g} s): wait {left:.0f} s")
        self.note(browser, now)

    def note(self, browser: str, now: float) -> None:
        """``browser`` asked at ``now`` (a question taken back from the journal)."""
        self._last[browser] = now


class Audience:
    """The questions' queue and the ROTI of one session; each change goes to ``mark`` (the journal)."""

    def __init__(self, mark: Callable[..., None], wall: Callable[[], float], step: Callable[[], int]) -> None:
        self._mark, self._wall, self._step = mark, wall, step
        self.questions: list[Question] = []
        self.limit = AskLimit(ASK_EVERY - ASK_GRACE)
        self.roti_open = False
        self.roti_opened = False  # ever: a step's ``roti: true`` opens it once
        self.roti_revealed = False
        self.votes: dict[str, int] = {}  # browser -> score

    # ----- questions

    def ask(self, browser: object, text: object, name: object = None) -> Question:
        """A question from a browser, put in the queue (never on the room's screen), or AudienceError."""
        browser = clean_browser(browser)
        text, name = clean_question(text, name)
        if len(self.questions) >= QUEUE_MAX:
            raise AudienceError("the queue is full")
        self.limit.take(browser, self._wall())
        question = Question(len(self.questions) + 1, browser, name, text, round(self._wall(), 3), self._step())
        self.questions.append(question)
        self._mark("question", id=question.id, browser=browser, name=name, text=text)
        return question

    def waiting(self) -> list[Question]:
        return [q for q in self.questions if q.status == "waiting"]

    def shown(self) -> Question | None:
        """The question on the room's screen now, if one is."""
        return next((q for q in self.questions if q.status == "shown"), None)

    def set_status(self, question_id: int, status: str) -> Question:
        """Show a question to the room, mark it answered, or drop it; the question as it now stands.

        Only one question is shown at a time: showing one marks the one shown before as answered.
        """
        if status not in STATUSES[1:]:
            raise AudienceError(f"unknown status {status!r}")
        if not isinstance(question_id, int) or isinstance(question_id, bool) or not 1 <= question_id <= len(self.questions):
            raise AudienceError("no such question")
        before = self.shown()
        if status == "shown" and before is not None and before.id != question_id:
            self._set(before.id, "answered")
        return self._set(question_id, status)

    def _set(self, question_id: int, status: str) -> Question:
        question = self.questions[question_id - 1]._replace(status=status)
        self.questions[question_id - 1] = question
        self._mark("question_status", id=question_id, status=status)
        return question

    # ----- the ROTI

    def open_for_step(self) -> None:
        """A step with ``roti: true`` begins: the vote opens, unless it was opened once already."""
        if not self.roti_opened:
            self.open_roti()

    def open_roti(self) -> None:
        if not self.roti_open:
            self.roti_open = self.roti_opened = True
            self._mark("roti_open")

    def close_roti(self) -> None:
        if self.roti_open:
            self.roti_open = False
            self._mark("roti_close")

    def check_vote(self, browser: str) -> None:
        """AudienceError when ``browser`` may not vote now: the vote is closed, or it voted already."""
        if not self.roti_open:
            raise AudienceError("the ROTI is not open")
        if browser in self.votes:
            raise AudienceError("this browser has voted already")

    def vote(self, browser: object, score: object) -> None:
        """One browser's vote, once; AudienceError when the vote is closed or the browser voted."""
        browser, score = clean_browser(browser), clean_score(score)
        self.check_vote(browser)
        self.votes[browser] = score
        self._mark("roti_vote", browser=browser, score=score)

    def reveal_roti(self, shown: bool = True) -> None:
        """Show the distribution to the room (closing the vote), or hide it again."""
        if shown:
            self.close_roti()
        if shown != self.roti_revealed:
            self.roti_revealed = shown
            self._mark("roti_reveal", shown=shown)

    def distribution(self) -> list[int]:
        """How many votes each score got, 1 to 5."""
        return [sum(1 for s in self.votes.values() if s == score) for score in SCORES]

    def mean(self) -> float | None:
        return round(sum(self.votes.values()) / len(self.votes), 2) if self.votes else None

    def roti_view(self) -> dict[str, object] | None:
        """The ROTI as the room's screens show it: None before it opens; the distribution once revealed."""
        if not self.roti_opened:
            return None
        revealed = self.roti_revealed
        return {
            "open": self.roti_open,
            "votes": len(self.votes),
            "revealed": revealed,
            "distribution": self.distribution() if revealed else None,
            "mean": self.mean() if revealed else None,
        }

    # ----- the journal

    def replay(self, event: dict[str, Any]) -> None:
        """Take one journal event back (a line of the wrong shape changes nothing)."""
        kind = event.get("type")
        try:
            if kind == "question":
                text, name = clean_question(event.get("text"), event.get("name"))
                step = event.get("state", {}).get("step", 0) if isinstance(event.get("state"), dict) else 0
                browser = clean_browser(event.get("browser"))
                wall = float(event.get("wall", 0.0))
                self.questions.append(Question(len(self.questions) + 1, browser, name, text, wall, step))
                self.limit.note(browser, wall)
            elif kind == "question_status" and event.get("status") in STATUSES[1:]:
                index = event.get("id")
                if isinstance(index, int) and 1 <= index <= len(self.questions):
                    self.questions[index - 1] = self.questions[index - 1]._replace(status=event["status"])
            elif kind == "roti_open":
                self.roti_open = self.roti_opened = True
            elif kind == "roti_close":
                self.roti_open = False
            elif kind == "roti_vote":
                self.votes.setdefault(clean_browser(event.get("browser")), clean_score(event.get("score")))
            elif kind == "roti_reveal":
                self.roti_revealed = bool(event.get("shown", True))
        except (AudienceError, TypeError, ValueError):
            pass


def moderate(session: Session, question_id: int, status: str) -> Question:
    """The facilitator's choice for a question: ``shown`` makes it the message of the moment (large on
    the room's screens); ``answered`` or ``dropped`` takes it off them if it is still what they show."""
    audience = session.audience
    question = audience.set_status(question_id, status)
    message = session.message_now()
    if status == "shown":
        session.show_message(room_text(question))
    elif message is not None and message.get("text") == " ".join(room_text(question).split()):
        session.clear_message()
    return question


def room_text(question: Question) -> str:
    """What the room reads when a question is shown: the question, and who asked when they said."""
    return f"{question.text} — {question.name}" if question.name else question.text
