"""Fairness: a client that spends more than its share of query time in a window gets 429 with
Retry-After; other clients are answered as before."""

from __future__ import annotations

import httpx2
import pytest

from aluekg.config import Settings
from aluekg.errors import ConfigError
from aluekg.operations.fairness import TRACKED, Budget
from tests.operations_service import live
from tests.sparql_service import EX, service

ASK = f"ASK {{ <{EX}programme-1> ?p ?o }}"
# Eight-fold cross product of the fixtures' quads: runs until the time limit stops it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_budget_refills_at_share_per_window() -> None:
    clock = Clock()
    budget = Budget(share=10, window=60, clock=clock)
    budget.charge("a", 13)  # 3 s past its share: 18 s to earn them back at 10 s a minute
    assert budget.retry_after("a") == 18
    assert budget.retry_after("b") == 0
    clock.now += 17.5
    assert budget.retry_after("a") == 1
    clock.now += 0.6
    assert budget.retry_after("a") == 0


def test_one_query_at_a_time_is_never_refused_when_share_equals_window() -> None:
    clock = Clock()
    budget = Budget(share=60, window=60, clock=clock)
    for _ in range(100):
        assert budget.retry_after("a") == 0
        clock.now += 5  # a five-second query, then the next
        budget.charge("a", 5)


def test_zero_share_turns_the_budget_off() -> None:
    budget = Budget(share=0, window=60)
    budget.charge("a", 1e6)
    assert budget.retry_after("a") == 0


def test_past_the_tracked_clients_the_least_recently_charged_is_forgotten() -> None:
    clock = Clock()
    budget = Budget(share=10, window=60, clock=clock, tracked=3)
    for client in ("a", "b", "c"):
        budget.charge(client, 13)
    budget.charge("a", 1)  # a is now the most recently charged, b the least
    budget.charge("d", 13)
    assert budget.clients == 3
    assert budget.retry_after("b") == 0  # forgotten: its debt with it
    assert [budget.retry_after(client) > 0 for client in ("a", "c", "d")] == [True] * 3


def test_many_addresses_do_not_grow_the_table_past_its_bound() -> None:
    # A crawler from many addresses at once (the clock stands still: no bucket refills).
    budget = Budget(share=60, window=60, clock=Clock())
    for number in range(TRACKED + 500):
        budget.charge(f"10.{number >> 16}.{(number >> 8) & 255}.{number & 255}", 0.01)
    assert budget.clients == TRACKED


def spend(url: str, headers: dict[str, str]) -> httpx2.Response:
    """A query stopped at the time limit: its client is charged the whole limit."""
    return httpx2.get(url + "/sparql", params={"query": RUNAWAY}, headers=headers, timeout=30)


def test_a_client_over_its_share_gets_429_and_others_do_not() -> None:
    changes = {"workers": 1, "query_timeout": 1.0, "fair_share": 0.5, "fair_window": 60.0}
    with service(**changes, client_header="X-Forwarded-For") as built, live(built.app) as url:
        greedy = {"X-Forwarded-For": "192.0.2.1, 198.51.100.7"}
        assert spend(url, greedy).status_code == 503
        refused = httpx2.get(url + "/sparql", params={"query": ASK}, headers=greedy)
        other = httpx2.get(
            url + "/sparql", params={"query": ASK}, headers={"X-Forwarded-For": "192.0.2.1"}
        )
        # Health and metrics are never refused.
        health = httpx2.get(url + "/health", headers=greedy)
    assert refused.status_code == 429
    # At least 0.5 s past its share (the query ran 1 s), earned back at 0.5 s a minute.
    assert 60 <= int(refused.headers["retry-after"]) <= 600
    assert refused.text.startswith(
        "This client has used its share of the service's time (0.5 s in any 60 s); try again in "
    )
    assert other.status_code == 200
    assert other.json()["boolean"] is True
    assert health.status_code == 200


def test_without_a_trusted_proxy_header_the_peer_address_is_the_client() -> None:
    changes = {"workers": 1, "query_timeout": 1.0, "fair_share": 0.5, "fair_window": 60.0}
    with service(**changes) as built, live(built.app) as url:
        assert spend(url, {"X-Forwarded-For": "192.0.2.1"}).status_code == 503
        # Off by default: a client cannot name itself anew to escape its budget.
        spoofed = {"X-Forwarded-For": "192.0.2.2"}
        refused = httpx2.get(url + "/sparql", params={"query": ASK}, headers=spoofed)
    assert refused.status_code == 429


def test_fairness_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "ALUEKG_FAIR_SHARE": "0",
            "ALUEKG_FAIR_WINDOW": "30",
            "ALUEKG_CLIENT_HEADER": "X-Forwarded-For",
            "ALUEKG_READ_TIMEOUT": "5",
        }
    )
    assert (settings.fair_share, settings.fair_window) == (0.0, 30.0)
    assert (settings.client_header, settings.read_timeout) == ("X-Forwarded-For", 5.0)
    # Off unless set: the peer address is the client, a share of 60 s in any 60 s.
    defaults = Settings.from_env({})
    assert (defaults.fair_share, defaults.fair_window, defaults.client_header) == (60, 60, None)


def test_a_bad_fair_share_names_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"ALUEKG_FAIR_SHARE": "-1"})
    assert (
        str(caught.value) == "ALUEKG_FAIR_SHARE must be a number of seconds (0 or more), not '-1'"
    )
