"""Articles: discovery, fetch state, leases and failures."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from .schema import articles, errors, feed_entries
from .sql import insert_ignore, later, naive_utc, try_insert, utcnow
from .writes import claim

PENDING = ("discovered", "fetched")


@dataclass(frozen=True)
class ClaimedArticle:
    """What a task needs of an article it leased."""

    id: int
    article_id: str
    url: str | None
    origin: str
    attempts: int
    text: str | None
    raw: bytes | None
    content_type: str | None
    title: str | None
    author: str | None
    outlet: str | None
    published: datetime | None


_CLAIMED = [f.name for f in fields(ClaimedArticle)]


class ArticleStore:
    engine = None

    def add_article(self, *, article_id: str, origin: str, alerts: bool, url: str | None = None,
                    canonical_url: str | None = None, feed_id: int | None = None,
                    alert_max_age_days: float | None = None, outlet: str | None = None,
                    title: str | None = None, author: str | None = None,
                    published: datetime | None = None, raw: bytes | None = None,
                    content_type: str | None = None, text: str | None = None, entry_key: str | None = None) -> tuple[int, bool]:
        """Insert an article unless its id or canonical URL is known; returns (row id, created).

        With ``text`` or ``raw`` (page bytes) the article starts as ``fetched``, else as
        ``discovered`` (to be fetched). ``entry_key`` links it to its feed entry.
        """
        now = utcnow()
        status = "fetched" if (text or raw) else "discovered"
        with self.engine.begin() as conn:
            new_pk = try_insert(conn, articles, dict(
                article_id=article_id, url=url, canonical_url=canonical_url, feed_id=feed_id,
                origin=origin, alerts=alerts, alert_max_age_days=alert_max_age_days, outlet=outlet,
                title=title, author=author, published=naive_utc(published), raw=raw, content_type=content_type, text=text,
                status=status, attempts=0, discovered_at=now), returning=articles.c.id)
            created = new_pk is not None
            cond = articles.c.article_id == article_id
            if canonical_url:
                cond = or_(cond, articles.c.canonical_url == canonical_url)
            pk = conn.execute(select(articles.c.id).where(cond).order_by(articles.c.id)).scalar()
            if entry_key is not None and feed_id is not None:
                conn.execute(insert_ignore(conn, feed_entries).values(
                    feed_id=feed_id, entry_key=entry_key[:512], article_id=pk, seen_at=now))
            return pk, created

    def known_entries(self, feed_id: int, keys: list[str]) -> set[str]:
        """The entry keys of ``keys`` already seen in this feed."""
        if not keys:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(select(feed_entries.c.entry_key).where(and_(
                feed_entries.c.feed_id == feed_id, feed_entries.c.entry_key.in_([k[:512] for k in keys]))))
            return {r.entry_key for r in rows}

    def get_article(self, pk: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == pk)).first()
            return row._asdict() if row else None

    def claim_article(self, pk: int, status: str, *, lease_seconds: float) -> ClaimedArticle | None:
        """Lease an article in ``status`` for one task; None when it is not in that state
        (already done, or held by a live lease) — the redelivered task then does nothing."""
        got = self.claim_articles([pk], status, lease_seconds=lease_seconds)
        return got[0] if got else None

    def claim_articles(self, pks: list[int], status: str, *, lease_seconds: float) -> list[ClaimedArticle]:
        """Lease those of ``pks`` that are in ``status`` and free, in one statement (a backfill
        batch); ordered by id."""
        if not pks:
            return []
        now = utcnow()
        cond = and_(articles.c.id.in_(pks), articles.c.status == status,
                    or_(articles.c.lease_until.is_(None), articles.c.lease_until < now))
        with self.engine.begin() as conn:
            rows = claim(conn, articles, cond, dict(lease_until=later(lease_seconds, now),
                                                    attempts=articles.c.attempts + 1),
                         returning=[getattr(articles.c, f) for f in _CLAIMED])
        return [ClaimedArticle(*r) for r in rows]

    def save_fetched(self, pk: int, *, raw: bytes, content_type: str | None = None,
                     final_url: str | None = None) -> None:
        """Store a fetched page; the article moves on to processing."""
        values = dict(status="fetched", lease_until=None, attempts=0, raw=raw, content_type=content_type,
                      error=None, error_detail=None)
        if final_url:
            values["url"] = final_url
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == pk).values(**values))

    def defer_article(self, pk: int, *, retry_at: datetime) -> None:
        """Give back a claimed article unworked (its host is busy): the attempt is not counted and
        ``tick`` enqueues it again once ``retry_at`` passed."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == pk).values(
                lease_until=retry_at, attempts=articles.c.attempts - 1))

    def fail_article(self, pk: int, *, reason: str, detail: str = "", final: bool,
                     retry_at: datetime | None = None) -> None:
        """Record an error against the article; ``final`` stops further attempts."""
        now = utcnow()
        values = dict(error=reason[:64], error_detail=detail[:2000], lease_until=retry_at)
        if final:
            values.update(status="failed", lease_until=None, raw=None)
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == pk).values(**values))
            ref = conn.execute(select(articles.c.article_id).where(articles.c.id == pk)).scalar()
            conn.execute(errors.insert().values(scope="article", ref=str(ref or pk), reason=reason[:64],
                                                detail=detail[:2000], at=now))

    def stalled_articles(self, *, limit: int = 500, max_attempts: int = 5,
                         origin: str | None = None, leased_only: bool = False) -> list[tuple[int, str, str]]:
        """Unfinished articles with no live lease: (id, status, origin), to be enqueued again
        after a lost message, a killed worker or a broker restart. ``leased_only``: only those
        whose lease ran out (a task took them and did not finish), not those never taken."""
        now = utcnow()
        cond = and_(articles.c.status.in_(PENDING), articles.c.attempts < max_attempts,
                    or_(articles.c.lease_until.is_(None), articles.c.lease_until < now))
        if leased_only:
            cond = and_(cond, articles.c.lease_until.is_not(None))
        if origin:
            cond = and_(cond, articles.c.origin == origin)
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.status, articles.c.origin)
                                .where(cond).order_by(articles.c.id).limit(limit))
            return [(r.id, r.status, r.origin) for r in rows]

    def give_up_exhausted(self, *, max_attempts: int = 5) -> int:
        """Mark unfinished articles that used all their attempts as failed."""
        now = utcnow()
        cond = and_(articles.c.status.in_(PENDING), articles.c.attempts >= max_attempts,
                    or_(articles.c.lease_until.is_(None), articles.c.lease_until < now))
        with self.engine.begin() as conn:
            return conn.execute(update(articles).where(cond).values(
                status="failed", error="too_many_attempts",
                error_detail=f"gave up after {max_attempts} attempts", raw=None)).rowcount

    def article_pks(self, article_ids: list[str]) -> dict[str, int]:
        if not article_ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.article_id, articles.c.id)
                                .where(articles.c.article_id.in_(article_ids)))
            return {r.article_id: r.id for r in rows}

    def article_status(self, pk: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.status).where(articles.c.id == pk)).scalar()

    def finished_among(self, pks: set[int], *, chunk: int = 500) -> set[int]:
        """Those of ``pks`` that are processed or failed."""
        done: set[int] = set()
        ids = list(pks)
        with self.engine.connect() as conn:
            for i in range(0, len(ids), chunk):
                rows = conn.execute(select(articles.c.id).where(and_(
                    articles.c.id.in_(ids[i:i + chunk]), articles.c.status.in_(("processed", "failed")))))
                done.update(r.id for r in rows)
        return done

    def record_error(self, scope: str, ref: str, reason: str, detail: str = "") -> None:
        """Keep an error that belongs to no row (an unreadable archive record, say); the same
        error (scope, ref and reason) of a repeated run is not stored again."""
        with self.engine.begin() as conn:
            if conn.execute(select(errors.c.id).where(and_(
                    errors.c.scope == scope, errors.c.ref == ref[:500], errors.c.reason == reason[:64]))).first():
                return
            conn.execute(errors.insert().values(scope=scope, ref=ref[:500], reason=reason[:64],
                                                detail=(detail or "")[:2000], at=utcnow()))
