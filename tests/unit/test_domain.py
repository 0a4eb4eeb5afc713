"""The pure rules: transitions, routing choice, the 24 h window, how customers are named."""

from datetime import UTC, datetime, timedelta

import pytest

from atiende.domain.customers import display_name
from atiende.domain.errors import DomainError
from atiende.domain.routing import Candidate, is_eligible, plan
from atiende.domain.states import check_transition
from atiende.domain.window import is_open, window_end

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
GRACE = timedelta(seconds=60)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("assign", {"queued"}), ("open", {"assigned"}), ("write", {"open"}), ("end", {"open"})],
)
def test_each_action_starts_only_from_its_states(action: str, allowed: set[str]) -> None:
    for state in ("queued", "assigned", "open", "closed"):
        if state in allowed:
            check_transition(action, state)
        else:
            with pytest.raises(DomainError) as refused:
                check_transition(action, state)
            assert refused.value.code == f"invalid_state_for_{action}"


def agent(agent_id: int, **kw: object) -> Candidate:
    base: dict[str, object] = dict(
        status="available", capacity=3, active=0, last_seen_at=NOW, last_assigned_at=None
    )
    base.update(kw)
    return Candidate(agent_id=agent_id, **base)  # type: ignore[arg-type]


def test_eligible_means_available_connected_and_under_capacity() -> None:
    assert is_eligible(agent(1), NOW, GRACE)
    assert not is_eligible(agent(1, status="paused"), NOW, GRACE)
    assert not is_eligible(agent(1, status="offline"), NOW, GRACE)
    assert not is_eligible(agent(1, active=3), NOW, GRACE)
    assert not is_eligible(agent(1, last_seen_at=None), NOW, GRACE)
    assert not is_eligible(agent(1, last_seen_at=NOW - timedelta(seconds=61)), NOW, GRACE)


def first_choice(mode: str, pool: list[Candidate], last: int | None = None) -> int:
    chosen = plan(mode, pool, [(100, None)], last, NOW)
    assert len(chosen) == 1
    return chosen[0][1]


def test_least_busy_first_then_longest_idle() -> None:
    early, late = NOW - timedelta(minutes=10), NOW - timedelta(minutes=1)
    pool = [
        agent(1, active=2),
        agent(2, active=1, last_assigned_at=late),
        agent(3, active=1, last_assigned_at=early),
        agent(4, active=1, last_assigned_at=None),
    ]
    queue = [(n, None) for n in range(10, 16)]
    # Each one taken counts before the next is chosen: 4, 3 and 2 reach 2 active, then the
    # longest idle of those at 2 (agent 1, never assigned here) goes first.
    assert [a for _, a in plan("least_busy", pool, queue, None, NOW)] == [4, 3, 2, 1, 4, 3]


def test_window_is_24_hours_from_the_customer_last_message() -> None:
    end = window_end(NOW)
    assert end == NOW + timedelta(hours=24)
    assert is_open(end, NOW + timedelta(hours=23, minutes=59))
    assert not is_open(end, end)
    assert not is_open(None, NOW)


def test_display_name_prefers_name_then_username_then_number() -> None:
    assert display_name("María", "maria.g", "5215512345678") == "María"
    assert display_name(None, "ana.ruiz", None) == "@ana.ruiz"
    assert display_name(None, None, "5215512345678") == "+5215512345678"
    assert display_name(None, None, None) == "Cliente sin nombre"


def test_round_robin_continues_after_the_last_agent_served() -> None:
    pool = [agent(3), agent(1), agent(2)]
    assert first_choice("round_robin", pool) == 1
    assert first_choice("round_robin", pool, 2) == 3
    assert first_choice("round_robin", pool, 3) == 1
    assert first_choice("round_robin", pool, 99) == 1
    queue = [(n, None) for n in range(10, 15)]
    assert [a for _, a in plan("round_robin", pool, queue, 1, NOW)] == [2, 3, 1, 2, 3]


def test_random_draws_any_eligible_agent() -> None:
    import random

    pool = [agent(i) for i in range(1, 6)]
    picks = {
        plan("random", pool, [(100, None)], None, NOW, rng=random.Random(seed))[0][1]
        for seed in range(50)
    }
    assert picks == {1, 2, 3, 4, 5}, "every eligible agent can be drawn"


@pytest.mark.parametrize("mode", ["least_busy", "round_robin", "random"])
def test_reassigned_goes_elsewhere_unless_he_is_the_only_one(mode: str) -> None:
    assert first_choice(mode, [agent(1), agent(2)]) in (1, 2)
    assert plan(mode, [agent(1), agent(2)], [(100, 1)], None, NOW) == [(100, 2)]
    assert plan(mode, [agent(1)], [(100, 1)], None, NOW) == [(100, 1)]


@pytest.mark.parametrize("mode", ["least_busy", "round_robin", "random"])
def test_a_plan_fills_the_room_there_is_oldest_first_and_stops(mode: str) -> None:
    """Room is the smaller of the agent's free capacities; what is left waits, the newest."""
    pool = [agent(1, capacity=3, active=1), agent(2, campaign_capacity=2, campaign_active=1)]
    queue = [(n, None) for n in range(10, 20)]
    chosen = plan(mode, pool, queue, None, NOW)
    assert [a for a, _ in chosen] == [10, 11, 12]
    assert sorted(b for _, b in chosen) == [1, 1, 2]


def test_the_agent_to_avoid_takes_it_when_the_others_are_full() -> None:
    pool = [agent(1), agent(2, active=3)]
    assert plan("least_busy", pool, [(10, 1), (11, None)], None, NOW) == [(10, 1), (11, 1)]


def test_a_plan_for_one_agent_takes_what_is_oldest_within_his_room() -> None:
    pool = [agent(1, active=1), agent(2)]
    queue = [(10, None), (11, None), (12, None)]
    assert plan("least_busy", pool, queue, None, NOW, only_agent=1) == [(10, 1), (11, 1)]
    # The oldest avoids him and agent 2 could take it: he takes none, not the next one.
    assert plan("least_busy", pool, [(10, 1), (11, None)], None, NOW, only_agent=1) == []
    assert plan("least_busy", [agent(1)], [(10, 1)], None, NOW, only_agent=1) == [(10, 1)]


def test_parking_comes_after_the_maximum_of_reassignments() -> None:
    from atiende.domain.routing import must_park

    assert not must_park(3, 3)
    assert must_park(4, 3)
    assert must_park(1, 0), "with a maximum of 0 the first timeout parks it"


def test_capacity_in_the_campaign_counts_too() -> None:
    assert not is_eligible(agent(1, campaign_capacity=2, campaign_active=2), NOW, GRACE)
    assert is_eligible(agent(1, campaign_capacity=2, campaign_active=1), NOW, GRACE)


def test_transfer_only_from_open() -> None:
    check_transition("transfer", "open")
    for state in ("queued", "assigned", "closed"):
        with pytest.raises(DomainError):
            check_transition("transfer", state)


def test_templates_count_and_fill_their_placeholders() -> None:
    from atiende.domain.templates import check_params, placeholders, render

    body = "Hola {{1}}, su pedido {{2}} está listo. {{1}}, gracias."
    assert placeholders(body) == 2
    assert render(body, ["Ana", "A-1"]) == "Hola Ana, su pedido A-1 está listo. Ana, gracias."
    assert check_params(body, ["Ana"]) is not None
    assert check_params(body, ["Ana", " "]) is not None
    assert check_params(body, ["Ana", "a\nb"]) is not None
    assert check_params(body, ["Ana", "A-1"]) is None
    assert placeholders("Sin valores") == 0
