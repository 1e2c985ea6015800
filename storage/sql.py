"""Small SQL helpers shared by the store modules."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from functools import lru_cache

from sqlalchemy import Connection, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite


def utcnow() -> datetime:
    """Naive UTC now: every datetime in the store is naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def naive_utc(value: datetime | None) -> datetime | None:
    """Convert an aware datetime to naive UTC (naive ones are taken as UTC)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def later(seconds: float, now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=seconds)


def insert_ignore(conn: Connection, table: Table):
    """``INSERT ... ON CONFLICT DO NOTHING`` for the connection's dialect."""
    mod = postgresql if conn.dialect.name == "postgresql" else sqlite
    return mod.insert(table).on_conflict_do_nothing()


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(value: str | None):
    return json.loads(value) if value else None


def try_insert(conn: Connection, table: Table, values: dict, returning=None):
    """Insert unless a unique key exists; returns the ``returning`` column's value
    (or True) when a row was written, None when it was already there."""
    col = returning if returning is not None else list(table.primary_key.columns)[0]
    # the values as parameters of one cached statement, not built into a new one (a third of the
    # CPU of storing an archive record)
    row = conn.execute(insert_ignore(conn, table).returning(col), values).first()
    if row is None:
        return None
    return row[0] if returning is not None else True


@lru_cache(maxsize=None)
def _unnest_insert(table: Table):
    """``INSERT INTO table SELECT * FROM unnest(:c1, :c2, ...) ON CONFLICT DO NOTHING``: one array
    parameter per column (PostgreSQL)."""
    cols = list(table.columns)
    arrays = [bindparam(c.name, type_=postgresql.ARRAY(c.type)) for c in cols]
    src = select(func.unnest(*arrays).table_valued(*(c.name for c in cols)).render_derived())
    return postgresql.insert(table).from_select([c.name for c in cols], src).on_conflict_do_nothing()


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows of ``table`` (each with every column), keeping rows whose unique key
    exists. On PostgreSQL it is one statement whose parameters are a column's values as an array
    each: an index's postings (an article's 25 LSH bands, its 30 story terms, a bulk load) would
    otherwise be as many executions, each parsed, planned and sent on its own."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert_ignore(conn, table), rows)
        return
    conn.execute(_unnest_insert(table), {c.name: [r[c.name] for r in rows] for c in table.columns})
