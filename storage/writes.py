"""The one write path: a transaction that takes locks as narrow as the data, retried on conflict.

Every multi-statement write of the store goes through :func:`write`. On PostgreSQL the locks are
transaction-level advisory locks on hashed keys (a story's index term, a copy key, a person's
merge key, an article), all taken in one statement in sorted order, so two writers never
deadlock and writers of unrelated data never wait for each other. SQLite has one writer at a
time anyway (``BEGIN IMMEDIATE``): the keys are ignored there. A deadlock, serialisation failure
or busy database is retried here a few times before the error reaches the task's retry policy.
"""
from __future__ import annotations

import hashlib
import random
import time
from typing import Callable, Iterable, Sequence, TypeVar

from sqlalchemy import Connection, Engine, Table, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.exc import DBAPIError, OperationalError

from .errors import StoreError

T = TypeVar("T")

ATTEMPTS = 4
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_LOCK = text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(:keys) WITH ORDINALITY AS t(k, i)") \
    .bindparams(bindparam("keys", type_=ARRAY(BIGINT)))


def lock_key(key: str) -> int:
    """A signed 64-bit advisory-lock key for ``key`` (blake2b: no practical collisions)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


def lock(conn: Connection, keys: Iterable[str]) -> int:
    """Hold the locks of ``keys`` until the transaction ends; returns how many were taken.

    All keys are taken in one round trip, in sorted order of their hashes (the array is unnested
    in order), so any two transactions request their common locks in the same order."""
    if conn.dialect.name != "postgresql":
        return 0
    ints = sorted({lock_key(k) for k in keys})
    if ints:
        conn.execute(_LOCK, {"keys": ints})
    return len(ints)


def retryable(exc: BaseException) -> bool:
    """A conflict that a new attempt of the same transaction resolves (the store raises its own
    errors with SQLAlchemy's as their cause)."""
    err = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ is not None else exc
    orig = getattr(err, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _RETRY_SQLSTATES:
        return True
    return isinstance(err, OperationalError) and "database is locked" in str(orig or err)


def write(engine: Engine, fn: Callable[[Connection], T], *, keys: Iterable[str] = (),
          attempts: int = ATTEMPTS) -> T:
    """Run ``fn(conn)`` in one transaction holding the locks of ``keys``; retried on conflicts."""
    keys = tuple(keys)
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as conn:
                lock(conn, keys)
                return fn(conn)
        except (OperationalError, DBAPIError, StoreError) as exc:
            if attempt == attempts or not retryable(exc):
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


def claim(conn: Connection, table: Table, cond, values: dict, *, order_by=None, limit: int | None = None,
          returning: Sequence = ()) -> list:
    """Lease the rows of ``table`` that match ``cond`` in one statement (UPDATE ... RETURNING):
    at most ``limit`` in ``order_by`` order, setting ``values`` (the lease, an attempt count).

    On PostgreSQL rows being claimed by a concurrent transaction are skipped (``FOR UPDATE SKIP
    LOCKED``) rather than waited for. Returns the claimed rows with the ``returning`` columns
    (and the id), ordered by id."""
    ids = select(table.c.id).where(cond)
    if order_by is not None:
        ids = ids.order_by(order_by)
    if limit is not None:
        ids = ids.limit(limit)
    if conn.dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True)
    cols = list(returning) or [table.c.id]
    if not any(c is table.c.id for c in cols):
        cols.append(table.c.id)
    rows = conn.execute(update(table).where(table.c.id.in_(ids)).values(**values).returning(*cols)).all()
    return sorted(rows, key=lambda r: r.id)
