"""A step made of turns on screen: the turn's countdown in the big digits, the person's name large,
t and T between turns, an overrun shortening the following turns, the turn's softer signal."""

from __future__ import annotations

from atelier_timer.ui.widgets.bigtime import BigTime
from atelier_timer.ui.widgets.bigtitle import BigTitle

from .conftest import notices, settle, shown

ROUND = """\
version: 1
title: Tour de table
language: fr
roles: {client: Équipe, consultants: Coachs}
participants:
  - {name: Ana, role: client}
  - {name: Bo, role: consultants}
  - {name: Chloé, role: consultants}
alerts: {warn: 2m, danger: 30s, bell: true}
steps:
  - title: Tour de table
    duration: 6m
    turns: participants
  - title: Clôture
    duration: 3m
"""


def countdown(app) -> str:
    return app.query_one("#countdown", BigTime).text


def turn_line(app) -> str:
    return shown(app.query_one("#turn"))


async def test_the_big_digits_count_the_turn_and_the_name_is_large(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 30)
        assert countdown(app) == "01:30"  # Ana's two minutes, not the step's six
        assert app.query_one("#turn-name", BigTitle).text == "Ana"
        assert "Tour 1/3 · étape : reste 05:30 · ensuite 2 min chacun" in turn_line(app)


async def test_t_moves_to_the_next_turn_and_shift_t_back(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 120)
        await pilot.press("t")
        assert app.query_one("#turn-name", BigTitle).text == "Bo" and countdown(app) == "02:00"
        await pilot.press("T")
        assert app.query_one("#turn-name", BigTitle).text == "Ana"
        await pilot.press("t", "t", "t")  # after the last turn, the next step
        assert app.session.index == 1 and app.query_one("#turn").has_class("-empty")
        await pilot.press("p")  # n and p still change step: back on the last turn
        assert app.query_one("#turn-name", BigTitle).text == "Chloé"


async def test_a_turn_that_ran_over_shows_the_next_turns_shortened(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 180)  # Ana takes three minutes of her two
        assert countdown(app) == "+01:00"
        assert "ensuite 1 min 30 s chacun" in turn_line(app)
        await pilot.press("t")
        assert countdown(app) == "01:30"


async def test_a_turn_end_rings_the_softer_turn_signal_once(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 119)
        await settle(app, pilot, clock, 2)
        assert app.ticker.bells == [(0, "turn")]
        assert app.query_one("#countdown").has_class("-overtime")
        await pilot.press("t")
        await settle(app, pilot, clock, 1)
        assert app.ticker.bells == [(0, "turn")], "the next turn starts in its own phase"


async def test_plus_gives_the_current_turn_a_minute(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 60)
        await pilot.press("plus")
        assert countdown(app) == "02:00" and "reste 06:00" in turn_line(app)
        assert notices(app)[-1] == "+1 min → 02:00"  # what the big digits now show


async def test_a_step_over_its_time_reads_over_on_the_turn_line(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await settle(app, pilot, clock, 6 * 60 + 5)
        assert "étape : dépassé +00:05" in turn_line(app) and "reste +" not in turn_line(app)


async def test_the_agenda_gives_each_turn_its_time_in_the_duration_column(make, clock):
    app = make(ROUND)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lines = shown(app.query_one("#agenda")).splitlines()
        step = next(line for line in lines if "Clôture" in line).rstrip()
        turn = next(line for line in lines if "Chloé" in line).rstrip()
        assert step.endswith("03:00") and turn.endswith("02:00") and len(turn) == len(step)


AUTO = """\
version: 1
title: Témoignages
language: fr
auto_advance: true
steps:
  - title: Témoignages
    turns:
      - {name: Léa, duration: 2m}
      - {name: Malik, duration: 2m}
      - {name: Zoé, duration: 2m}
  - title: Échanges
    duration: 10m
"""


async def test_auto_advance_moves_from_person_to_person_on_its_own(make, clock):
    app = make(AUTO)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        seen = []
        for _ in range(3):
            await settle(app, pilot, clock, 60)
            seen.append((app.query_one("#turn-name", BigTitle).text, countdown(app)))
            await settle(app, pilot, clock, 60)  # the turn's zero
        assert seen == [("Léa", "01:00"), ("Malik", "01:00"), ("Zoé", "01:00")]
        assert app.session.index == 1, "at the last turn's zero, the step moves on as today"
        assert [round(app.session.turn_elapsed(j, 0)) for j in range(3)] == [120, 120, 120]
        assert app.ticker.bells.count((0, "turn")) == 2, "each turn's end gives its signal once"


async def test_the_role_with_the_floor_follows_the_turn(make_bundled, clock):
    from atelier_timer.ui.widgets.reminders import Reminders

    def floor(app) -> str:
        (line,) = [line for line in shown(app.query_one(Reminders)).splitlines() if "▶" in line]
        return line.split("▶", 1)[1].strip()

    app = make_bundled("codev")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        seen = [floor(app)]  # the framing: the facilitator's
        for _ in range(2):
            await pilot.press("t")
            await settle(app, pilot)
            seen.append(floor(app))
        assert [line.split()[0] for line in seen] == ["Animation", "Équipe", "Consultants"], seen
        await pilot.press("n", "n", "n")  # the recommendations: the team restates the help it wants
        await settle(app, pilot)
        assert floor(app).startswith("Équipe")
        await pilot.press("t")  # then Coach 1
        await settle(app, pilot)
        assert floor(app).startswith("Consultants"), "during a coach's turn, the coaches' role stands out"


async def test_during_a_testimony_the_speakers_role_has_the_floor(make_bundled, clock):
    from atelier_timer.ui.widgets.reminders import Reminders

    app = make_bundled("temoignages")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("space", "n")
        await settle(app, pilot)
        (line,) = [line for line in shown(app.query_one(Reminders)).splitlines() if "▶" in line]
        assert "Intervenant·e" in line, "the testimony's turn says its role: the speaker's reminder stands out"
