"""``/metrics``: Prometheus figures read from the store at scrape time (the web process is not
the workers, so it keeps no counters of its own; the store is the record of what they did)."""
from __future__ import annotations

import concurrent.futures
import time

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-depths")


def _queue_depths(timeout: float = 2.0) -> dict[str, int]:
    """Messages waiting per broker queue; empty when the broker cannot tell in ``timeout`` s."""
    def read():
        from tasks.queues import depths
        return depths()
    try:
        got = _pool.submit(read).result(timeout=timeout)
    except Exception:  # noqa: BLE001 - broker down or slow: depths are unknown, not an error page
        return {}
    return {q: n for q, n in got.items() if n is not None}


class StoreCollector(Collector):
    """Everything ``/metrics`` shows, computed from the store on each scrape."""

    def __init__(self, store, *, queue_depths=_queue_depths):
        self.store = store
        self.queue_depths = queue_depths
        self._depths: tuple[float, dict] = (0.0, {})

    def collect(self):
        s = self.store
        g = GaugeMetricFamily("aidewatch_feeds", "Feeds by the result of their last poll "
                              "(new, ok, not_modified, retrying, failing).", labels=["result"])
        states = s.feed_states()
        for state in ("new", "ok", "not_modified", "retrying", "failing"):
            g.add_metric([state], states.get(state, 0))
        yield g

        polls = CounterMetricFamily("aidewatch_poll_failures", "Failed feed polls by reason.", labels=["reason"])
        fetch = CounterMetricFamily("aidewatch_fetch_errors", "Article fetch and processing errors by reason.",
                                    labels=["reason"])
        other = CounterMetricFamily("aidewatch_errors", "Other recorded errors by scope and reason.",
                                    labels=["scope", "reason"])
        alert_failures = 0
        for scope, reason, n in s.error_counts():
            if scope == "feed":
                polls.add_metric([reason], n)
            elif scope == "article":
                fetch.add_metric([reason], n)
            elif scope == "alert":
                alert_failures += n
            else:
                other.add_metric([scope, reason], n)
        yield polls
        yield fetch
        yield other

        arts = GaugeMetricFamily("aidewatch_articles", "Articles stored, by status.", labels=["status"])
        for status, n in sorted(s.article_counts().items()):
            arts.add_metric([status], n)
        yield arts
        ec = s.event_counts()
        yield GaugeMetricFamily("aidewatch_events", "Staffing events stored.", value=ec["events"])
        yield GaugeMetricFamily("aidewatch_event_sources", "Reports of events by articles.", value=ec["sources"])

        backlog = GaugeMetricFamily("aidewatch_backlog", "Work due now according to the store "
                                    "(claimed feeds, unfinished articles, due alerts).", labels=["kind"])
        for kind, n in s.pending_work().items():
            backlog.add_metric([kind], n)
        yield backlog
        now = time.monotonic()
        if now - self._depths[0] > 5:
            self._depths = (now, self.queue_depths())
        if self._depths[1]:
            q = GaugeMetricFamily("aidewatch_queue_messages", "Messages waiting in each broker queue.",
                                  labels=["queue"])
            for name, n in sorted(self._depths[1].items()):
                q.add_metric([name], n)
            yield q

        alerts = s.alert_counts()
        deliveries = CounterMetricFamily("aidewatch_alert_deliveries", "Alert delivery outcomes: sent, "
                                         "failed_attempt (retried), given_up.", labels=["result"])
        deliveries.add_metric(["sent"], alerts.get("sent", 0))
        deliveries.add_metric(["failed_attempt"], alert_failures)
        deliveries.add_metric(["given_up"], alerts.get("failed", 0))
        yield deliveries
        yield GaugeMetricFamily("aidewatch_alerts_pending", "Alerts not delivered yet.", value=alerts.get("pending", 0))

        buckets, count, total = s.alert_delay_histogram()
        yield HistogramMetricFamily(
            "aidewatch_alert_delay_seconds", "Seconds from an article's publication to its alert's delivery.",
            buckets=[("+Inf" if b == float("inf") else repr(b), n) for b, n in buckets], sum_value=total)


def endpoint(request: Request):
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE)


def registry_for(store) -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(StoreCollector(store))
    return reg
