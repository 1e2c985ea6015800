"""Per-host limit on concurrent requests, shared by every worker process.

With a Redis broker the slots live in Redis (a sorted set per host: member = holder, score =
expiry); otherwise in the store (``host_slots`` rows). A slot expires by itself after the
longest time a fetch may take, so a killed worker never keeps a host blocked. Taking a slot
never waits: a caller that gets none puts its work back with a short next-attempt time.
"""
from __future__ import annotations

import logging
import random
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Iterator
from urllib.parse import urlsplit

from storage.sql import utcnow

from . import runtime

log = logging.getLogger("aidewatch.hostlimit")

# KEYS[1] = the host's set; ARGV = limit, ttl (ms), holder. Time comes from the Redis server,
# so workers on machines with different clocks agree.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
  return 1
end
return 0
"""
KEY_PREFIX = "aidewatch:host:"


def host_of(url: str | None) -> str | None:
    try:
        return (urlsplit(url).hostname or "").lower() or None if url else None
    except ValueError:
        return None


def slot_seconds() -> float:
    """Longest a request may hold its slot: the whole-fetch time cap and a margin."""
    return 2 * runtime.settings().fetch_timeout + 5


def busy_retry_at(now: datetime | None = None) -> datetime:
    """When work put back for a busy host is tried again: a few seconds, with jitter."""
    return (now or utcnow()) + timedelta(seconds=2 + random.random() * 3)


@lru_cache(maxsize=4)
def _redis(url: str):
    import redis
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return client, client.register_script(_ACQUIRE)


def _uses_redis() -> bool:
    return runtime.settings().broker_url.startswith(("redis://", "rediss://"))


def acquire(host: str, holder: str) -> bool:
    s = runtime.settings()
    ttl = slot_seconds()
    if _uses_redis():
        _client, script = _redis(s.broker_url)
        return bool(script(keys=[KEY_PREFIX + host], args=[s.host_concurrency, int(ttl * 1000), holder]))
    return runtime.store().acquire_host_slot(host, limit=s.host_concurrency, holder=holder, ttl_seconds=ttl)


def release(host: str, holder: str) -> None:
    try:
        if _uses_redis():
            client, _script = _redis(runtime.settings().broker_url)
            client.zrem(KEY_PREFIX + host, holder)
        else:
            runtime.store().release_host_slot(host, holder=holder)
    except Exception as exc:  # noqa: BLE001 - the slot expires by itself
        log.warning("could not release the slot of %s (it expires by itself): %s", host, exc)


@contextmanager
def host_slot(url: str | None) -> Iterator[bool]:
    """Hold a request slot of ``url``'s host for the block; yields False when the host is full."""
    host = host_of(url)
    if host is None:  # no host (a local file, a bad URL the fetch will refuse): nothing to limit
        yield True
        return
    holder = uuid.uuid4().hex
    if not acquire(host, holder):
        yield False
        return
    try:
        yield True
    finally:
        release(host, holder)
