"""Alert delivery from the outbox: once per (event, channel), retried with back-off.

A row is leased before it is sent and marked sent right after the channel accepted it, so it is
delivered twice only if the worker dies between those two moments; JSON webhooks then receive
the same idempotency key (body and ``Idempotency-Key`` header) and can drop the repeat."""
from __future__ import annotations

import logging
import time

from storage import StoreError

from workers.alerts import AlertError, alert_payload, format_alert, is_webhook, post_webhook, send_alert

from . import policy, runtime
from .app import app

log = logging.getLogger("aidewatch.alerts")
LOG_CHANNEL = "log://"  # used when no alert URL is configured: the alert goes to the log


@app.task(name="aidewatch.deliver_alerts", **policy.DB_RETRY)
def deliver_alerts(ids: list[int] | None = None) -> dict:
    """Send due alerts (all, or those of ``ids``); each is leased first, so never twice at once."""
    store = runtime.store()
    max_attempts = runtime.settings().alert_max_attempts
    sent = failed = 0
    s = runtime.settings()
    for row in store.claim_due_alerts(lease_seconds=s.lease_seconds, ids=ids):
        event = store.get_event(row.event_id)
        if event is None:
            store.alert_failed(row.id, error="event no longer exists", retry_at=None)
            continue
        title, body = format_alert(event, event["sources"], evidence_from=row.source_article)
        try:
            if row.channel == LOG_CHANNEL:
                log.warning("ALERT (%s): %s\n%s", row.watch_name, title, body)
            elif is_webhook(row.channel):
                post_webhook(row.channel, alert_payload(event, event["sources"], channel=row.channel,
                                                           watched=row.watch_name,
                                                           evidence_from=row.source_article))
            else:
                send_alert(row.channel, title, body)
        except AlertError as exc:
            final = row.attempts >= max_attempts
            store.alert_failed(row.id, error=str(exc),
                               retry_at=None if final else policy.retry_at(row.attempts, base=s.alert_retry_seconds, cap=3600))
            failed += 1
            continue
        _mark_sent(store, row.id, patience=0.25 * s.task_time_limit)
        sent += 1
    return {"sent": sent, "failed": failed}


def _mark_sent(store, alert_id: int, *, patience: float) -> None:
    """Record a delivery the channel accepted. The database may be away just then: keep trying
    for ``patience`` seconds (a quarter of the time limit) before giving up, since a row left
    pending is sent again (with the same idempotency key) once its lease ends."""
    deadline = time.monotonic() + patience
    delay = 0.25
    while True:
        try:
            store.alert_sent(alert_id)
            return
        except StoreError:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("alert %s was delivered but could not be marked sent yet; trying again", alert_id)
            time.sleep(delay)
            delay = min(2 * delay, 4.0)
