"""Retry and back-off policy of the tasks (pure functions of counts and server hints)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from storage import StoreError
from storage.sql import utcnow

# Database trouble (PostgreSQL restarting, SQLite busy): retry the task soon, a bounded number
# of times; what still fails is found again from the store by ``tick``.
DB_RETRY = dict(autoretry_for=(StoreError,), retry_backoff=5, retry_backoff_max=60,
                retry_jitter=True, max_retries=20)

# Leases (how long a task holds a feed, article or alert) are the AIDEWATCH_LEASE_SECONDS setting.
ARTICLE_MAX_ATTEMPTS = 5


def backoff_seconds(failures: int, *, base: float = 60.0, cap: float = 86400.0,
                    retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Exponential back-off with full jitter above half the step, capped, honouring Retry-After."""
    step = min(cap, base * (2 ** max(0, failures - 1)))
    delay = step / 2 + (rng or random).random() * step / 2
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return min(delay, cap)


def next_feed_check(interval_minutes: float, *, now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(minutes=interval_minutes)


def feed_retry_at(error_count: int, interval_minutes: float, cap_minutes: float,
                  retry_after: float | None = None, *, now: datetime | None = None) -> datetime:
    """When to poll a failing feed again: back-off from the feed interval up to the cap."""
    seconds = backoff_seconds(error_count, base=min(interval_minutes * 60, 300), cap=cap_minutes * 60,
                              retry_after=retry_after)
    return (now or utcnow()) + timedelta(seconds=seconds)


def retry_at(attempts: int, *, base: float = 30.0, cap: float = 3600.0,
             retry_after: float | None = None) -> datetime:
    return utcnow() + timedelta(seconds=backoff_seconds(attempts, base=base, cap=cap, retry_after=retry_after))
