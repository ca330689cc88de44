"""Rebalancing: the coming steps are resized so the session ends on time, within their limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier_timer.session import rebalance
from tests.helpers import make_agenda, new_session


@st.composite
def plans(draw):
    n = draw(st.integers(1, 8))
    durations = draw(st.lists(st.integers(0, 7200), min_size=n, max_size=n))
    planned = draw(st.lists(st.integers(1, 7200), min_size=n, max_size=n))
    protected = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    current = draw(st.integers(0, n - 1))
    gap = draw(st.integers(-7200, 7200))
    return durations, current, protected, gap, [min(60, p) for p in planned]


@settings(max_examples=400)
@given(plans())
def test_rebalance_absorbs_what_it_can_and_reports_the_rest_exactly(plan) -> None:
    durations, current, protected, gap, floors = plan
    new, overrun = rebalance(durations, current, protected, gap, floors)
    assert len(new) == len(durations) and all(isinstance(d, int) for d in new)
    free = [i for i in range(current + 1, len(durations)) if not protected[i]]
    for i in range(len(durations)):
        if i not in free:
            assert new[i] == durations[i]  # past, current and protected steps never change
    floor = {i: min(floors[i], durations[i]) for i in free}
    assert all(new[i] >= floor[i] for i in free)
    weight = sum(durations[i] for i in free)
    if gap >= 0:
        assert all(new[i] <= durations[i] for i in free)
        capacity = sum(durations[i] - floor[i] for i in free)
        assert overrun == max(0, gap - capacity)
        assert sum(new) == sum(durations) - (gap - overrun)
        if overrun:
            assert all(new[i] == floor[i] for i in free)
    else:
        assert overrun == 0
        assert all(new[i] >= durations[i] for i in free)  # ahead: the coming steps grow
        if weight:
            assert sum(new) == sum(durations) - gap
            for i in free:  # in proportion to their length, to the second
                assert abs(new[i] - durations[i] * (weight - gap) / weight) < 1
        else:
            assert new == durations


def test_rebalance_with_only_zero_length_steps_left_does_not_crash() -> None:
    assert rebalance([600, 0, 0], 0, [False] * 3, 60) == ([600, 0, 0], 60)
    assert rebalance([600, 100, 0], 0, [False] * 3, 100, [60] * 3) == ([600, 60, 0], 60)
    assert rebalance([600, 0], 0, [False] * 2, -60) == ([600, 0], 0)


@st.composite
def sessions(draw):
    n = draw(st.integers(2, 6))
    minutes = draw(st.lists(st.integers(1, 40), min_size=n, max_size=n))
    short = draw(st.lists(st.booleans(), min_size=n, max_size=n))  # some steps under a minute
    lengths = [30 / 60 if s else m for m, s in zip(minutes, short)]
    protected = tuple(i for i in range(n) if draw(st.booleans()))
    current = draw(st.integers(0, n - 2))
    spent = [draw(st.integers(0, 2 * round(lengths[i] * 60))) for i in range(current + 1)]
    pause = draw(st.integers(0, 900))
    adjust = draw(st.integers(-3, 5))
    return lengths, protected, current, spent, pause, adjust


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_a_rebalanced_session_lands_on_its_planned_end(case) -> None:
    lengths, protected, current, spent, pause, adjust = case
    agenda = make_agenda(lengths, protected=protected)
    session, clock, recorder = new_session(agenda)
    session.toggle()
    for i in range(current):
        clock.advance(spent[i])
        session.next()
    if adjust:
        session.adjust(60 * adjust)
    clock.advance(spent[current])
    session.toggle()
    clock.advance(pause)
    session.toggle()
    before = list(session.durations)
    plan = session.rebalance_plan()
    assert session.durations == before  # a preview changes nothing
    assert plan.old == tuple(before) and plan.current == current
    assert plan.gap == round(session.drift())
    session.apply_rebalance(plan)
    assert session.durations == list(plan.new)
    for i, step in enumerate(agenda.steps):
        if i <= current or step.protected:
            assert plan.new[i] == before[i]
        else:
            assert plan.new[i] >= min(60, step.duration, before[i])
            assert (plan.new[i] >= before[i]) if plan.gap < 0 else (plan.new[i] <= before[i])
    assert [c[0] for c in plan.changes] == list(range(current + 1, len(before)))
    free = [i for i in range(current + 1, len(before)) if not agenda.steps[i].protected]
    if free:
        assert session.drift() == plan.overrun  # on time to the second, or behind by what is reported
        assert session.projected_end() - session.planned_end() == plan.overrun
    else:
        assert session.drift() == plan.gap and plan.new == plan.old


@pytest.mark.parametrize("how", ["overrun", "adjust"])
def test_issue_5_example(how: str) -> None:
    """10, 10, 5 (protected), 10 minutes; two minutes more on step 1."""
    session, clock, recorder = new_session(make_agenda([10, 10, 5, 10], protected=(2,)))
    session.toggle()
    if how == "overrun":
        clock.advance(12 * 60)
    else:
        session.adjust(+60)
        session.adjust(+60)
    assert session.drift_minutes() == 2
    plan = session.rebalance_plan()
    assert plan.gap == 120 and plan.overrun == 0
    assert plan.changes == [(1, 600, 540), (2, 300, 300), (3, 600, 540)]
    session.apply_rebalance(plan)
    assert session.drift() == 0 and session.drift_minutes() == 0
    assert recorder[-1]["type"] == "rebalance"
    assert (recorder[-1]["old"], recorder[-1]["new"]) == (list(plan.old), list(plan.new))


def test_an_impossible_rebalance_shrinks_to_the_floors_and_says_by_how_much() -> None:
    session, clock, _ = new_session(make_agenda([10, 3, 0.5, 10], protected=(3,)))
    session.toggle()
    clock.advance(20 * 60)  # ten minutes behind; steps 2 and 3 can give 2:00 and 0:00
    plan = session.rebalance_plan()
    assert plan.new == (600, 60, 30, 600)
    assert plan.overrun == 600 - 120
    session.apply_rebalance(plan)
    assert session.drift() == plan.overrun
