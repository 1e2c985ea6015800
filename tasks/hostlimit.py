"""Per-host limit on concurrent requests, shared by every worker process.

A request holds a slot of its host name and a slot of the server it reaches (its address and
port, resolved here), so two names of one server (``localhost`` and ``127.0.0.1``, a site and its
``www.``) share one limit. With a Redis broker the slots live in Redis (a sorted set per host: member = holder, score =
expiry); otherwise in the store (``host_slots`` rows). A slot expires by itself after the
longest time a fetch may take, so a killed worker never keeps a host blocked. Taking a slot
never waits: a caller that gets none puts its work back with a short next-attempt time.
"""
from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
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


ADDRESS_TTL = 60.0  # seconds a resolved address is reused
_addresses: dict[tuple[str, int], tuple[float, str | None]] = {}
_addresses_lock = threading.Lock()


def server_of(host: str, port: int, resolver=socket.getaddrinfo) -> str | None:
    """The server a request to ``host:port`` reaches, as ``address:port`` (the lowest of the
    host's addresses, so every name of a server gives the same one); None when it does not
    resolve (the fetch then fails on its own). Cached for ``ADDRESS_TTL`` seconds."""
    now = time.monotonic()
    with _addresses_lock:
        hit = _addresses.get((host, port))
    if hit and hit[0] > now:
        return hit[1]
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addrs = [literal]
    except ValueError:
        try:
            addrs = {ipaddress.ip_address(info[4][0].split("%", 1)[0])
                     for info in resolver(host, port, 0, socket.SOCK_STREAM)}
        except (OSError, UnicodeError, ValueError):
            addrs = []
    mapped = [a.ipv4_mapped or a if a.version == 6 else a for a in addrs]
    best = min(mapped, key=lambda a: (a.version, int(a)), default=None)
    server = f"{best}:{port}" if best is not None else None
    with _addresses_lock:
        if len(_addresses) > 4096:
            _addresses.clear()
        _addresses[(host, port)] = (now + ADDRESS_TTL, server)
    return server


def limit_keys(url: str | None) -> list[str]:
    """The limits a request to ``url`` counts against: its host name and its server's address."""
    host = host_of(url)
    if host is None:
        return []
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return [host]
    server = server_of(host, port)
    return [host] + (["@" + server] if server else [])


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
    """Hold a request slot of ``url``'s host name and one of its server for the block; yields
    False (holding nothing) when either is full."""
    holder = uuid.uuid4().hex
    held: list[str] = []
    try:
        # No keys (a local file, a bad URL the fetch will refuse): nothing to limit.
        for key in limit_keys(url):
            if not acquire(key, holder):
                break
            held.append(key)
        else:
            yield True
            return
        yield False
    finally:
        for key in reversed(held):
            release(key, holder)
