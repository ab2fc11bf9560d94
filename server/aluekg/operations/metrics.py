"""Prometheus metrics of one app, in a registry of its own (so that two apps in one process, as in
the tests, count apart): requests by route and status, query time, timeouts, fairness refusals
and reloads, counted as they happen; cache hits, workers restarted and the store's size, read
from the generations when scraped.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from aluekg.operations.generations import Generations

# Query times from a cached answer (~1 ms) to the default limit (30 s) and past it.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _FromGenerations(Collector):
    def __init__(self, generations: Generations) -> None:
        self._generations = generations

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily(
            "aluekg_cache_hits",
            "Answers served from the answer cache",
            self._generations.count("hits"),
        )
        yield CounterMetricFamily(
            "aluekg_workers_restarted",
            "Query worker processes replaced (stopped past the time limit, or died)",
            self._generations.count("restarts"),
        )
        current = self._generations.current
        quads = current.quads if current is not None and current.quads is not None else 0
        yield GaugeMetricFamily("aluekg_store_quads", "Quads in the store being served", quads)


class Metrics:
    """The app's metrics; observe() is called once per request by the access middleware."""

    def __init__(self, generations: Generations) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "aluekg_requests",
            "HTTP requests by route and status",
            ("route", "status"),
            registry=self.registry,
        )
        self.query_seconds = Histogram(
            "aluekg_query_seconds",
            "Time to answer a request at /sparql, from its start to its last byte",
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.timeouts = Counter(
            "aluekg_query_timeouts", "Queries stopped at the time limit", registry=self.registry
        )
        self.refused = Counter(
            "aluekg_fairness_refusals",
            "Requests refused (429) because their client had spent its share of query time",
            registry=self.registry,
        )
        self.reloads = Counter(
            "aluekg_reloads",
            "Reloads of the data by outcome (swapped, invalid, failed)",
            ("outcome",),
            registry=self.registry,
        )
        self.registry.register(_FromGenerations(generations))
        # labels() costs a lock and a lookup: keep the children already made.
        self._children: dict[tuple[str, int], Counter] = {}

    def observe(self, route: str, status: int, seconds: float) -> None:
        child = self._children.get((route, status))
        if child is None:
            child = self._children[(route, status)] = self.requests.labels(route, str(status))
        child.inc()
        if route == "/sparql":
            self.query_seconds.observe(seconds)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
