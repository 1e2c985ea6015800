"""Feeds: configuration, polling state, claims of due feeds."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update

from .schema import errors, feeds
from .sql import later, utcnow
from .writes import claim


@dataclass(frozen=True)
class Feed:
    """A configured feed and its polling state."""

    id: int
    name: str
    url: str | None
    path: str | None
    interval_minutes: float
    alert_max_age_days: float | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    next_check_at: datetime
    claimed_until: datetime | None
    last_polled_at: datetime | None
    last_status: int | None
    error_count: int
    last_error: str | None
    last_error_at: datetime | None
    created_at: datetime

    @property
    def health(self) -> str:
        """The feed's state in a word: new, ok, retrying, failing (3 errors in a row)."""
        if self.error_count >= FAILING_AFTER:
            return "failing"
        if self.error_count:
            return "retrying"
        return "ok" if self.last_polled_at else "new"


FAILING_AFTER = 3  # polls failed in a row before a feed counts as failing
_COLUMNS = [feeds.c[f.name] for f in fields(Feed)]


class FeedStore:
    engine = None  # set by Store

    def add_feed(self, name: str, *, url: str | None = None, path: str | None = None,
                 interval_minutes: float = 15, alert_max_age_days: float | None = None,
                 replace: bool = False) -> int:
        """Add a feed (or, with ``replace``, update its source and interval); returns its id."""
        if bool(url) == bool(path):
            raise ValueError(f"feed {name!r}: give exactly one of url or path")
        now = utcnow()
        with self.engine.begin() as conn:
            row = conn.execute(select(feeds.c.id).where(feeds.c.name == name)).first()
            if row is None:
                return conn.execute(feeds.insert().values(
                    name=name, url=url, path=path, interval_minutes=interval_minutes,
                    alert_max_age_days=alert_max_age_days, next_check_at=now, error_count=0,
                    created_at=now)).inserted_primary_key[0]
            if replace:
                conn.execute(update(feeds).where(feeds.c.id == row.id).values(
                    url=url, path=path, interval_minutes=interval_minutes,
                    alert_max_age_days=alert_max_age_days))
            return row.id

    def feeds_like(self, name: str, *, url: str | None = None, path: str | None = None) -> list[Feed]:
        """Feeds that have this name (any case) or this URL / path: what adding it would clash with."""
        key = name.casefold()
        return [f for f in self.list_feeds() if f.name.casefold() == key
                or (url and f.url == url) or (path and f.path == path)]

    def remove_feed(self, name: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(delete(feeds).where(feeds.c.name == name)).rowcount > 0

    def list_feeds(self, *, limit: int | None = None) -> list[Feed]:
        """Every feed (or the first ``limit``), by name."""
        with self.engine.connect() as conn:
            return [Feed(*r) for r in conn.execute(select(*_COLUMNS).order_by(feeds.c.name).limit(limit))]

    def get_feed(self, feed_id: int) -> Feed | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_COLUMNS).where(feeds.c.id == feed_id)).first()
            return Feed(*row) if row else None

    def claim_due_feeds(self, *, lease_seconds: float, limit: int = 500,
                        now: datetime | None = None) -> list[Feed]:
        """Claim feeds whose next check is due and that no one else holds.

        The claim is a lease in the feed row, so two beats (or a beat and
        ``run --once``) never poll one feed twice in its interval.
        """
        now = now or utcnow()
        due = and_(feeds.c.next_check_at <= now,
                   or_(feeds.c.claimed_until.is_(None), feeds.c.claimed_until < now))
        with self.engine.begin() as conn:
            rows = claim(conn, feeds, due, dict(claimed_until=later(lease_seconds, now)),
                         order_by=feeds.c.next_check_at, limit=limit, returning=_COLUMNS)
            return [Feed(*r) for r in rows]

    def finish_poll(self, feed_id: int, *, status: int, next_check_at: datetime,
                    etag: str | None = None, last_modified: str | None = None,
                    body_hash: str | None = None) -> None:
        """Record a successful poll: validators, next check, error count reset."""
        values = dict(last_status=status, last_polled_at=utcnow(), next_check_at=next_check_at,
                      claimed_until=None, error_count=0, last_error=None)
        if status != 304:
            values.update(etag=etag, last_modified=last_modified, body_hash=body_hash)
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

    def fail_poll(self, feed_id: int, *, reason: str, detail: str, next_check_at: datetime,
                  status: int | None = None) -> int:
        """Record a failed poll and when to try again; returns the new error count."""
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed_id).values(
                error_count=feeds.c.error_count + 1, last_error=f"{reason}: {detail}"[:2000],
                last_error_at=now, last_polled_at=now, last_status=status,
                next_check_at=next_check_at, claimed_until=None))
            conn.execute(errors.insert().values(scope="feed", ref=str(feed_id), reason=reason,
                                                detail=detail[:2000], at=now))
            return conn.execute(select(feeds.c.error_count).where(feeds.c.id == feed_id)).scalar() or 0

    def defer_feed(self, feed_id: int, *, next_check_at: datetime) -> None:
        """Put a claimed feed back unpolled (its host is busy): due again at ``next_check_at``,
        with no error counted."""
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.id == feed_id).values(
                next_check_at=next_check_at, claimed_until=None))

