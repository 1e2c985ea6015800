"""Read side: exports, status, timelines, alert payloads, pending work."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from sqlalchemy import and_, func, or_, select

from .schema import alert_outbox, articles, errors, event_sources, events, feeds
from .sql import utcnow


def _day(value) -> str | None:
    return value.date().isoformat() if value is not None else None


STORY_NEWS_DAYS = 3  # coverage of one story this close together reports one news


def _sources(conn, event_ids: list[str]) -> dict[str, list[dict]]:
    """Each event's sources, by publication, each saying how its own article gives the move
    (staffing-events.md, "In the store"): its role, organisation and counterpart where the
    article words them (absent: the event's apply), and whether it gives the move as background.
    A move that is the news of one article is news, not background, in the articles of the same
    story published within ``STORY_NEWS_DAYS`` of it: the story is about it."""
    out: dict[str, list[dict]] = defaultdict(list)
    seen: dict[str, list[tuple]] = defaultdict(list)
    q = (select(event_sources.c.event_id, event_sources.c.evidence, event_sources.c.role,
                event_sources.c.organisation, event_sources.c.counterpart, event_sources.c.historical,
                articles.c.article_id, articles.c.url, articles.c.outlet, articles.c.published,
                articles.c.story_id)
         .join(articles, articles.c.id == event_sources.c.article_id)
         .where(event_sources.c.event_id.in_(event_ids))
         .order_by(articles.c.published, articles.c.id))
    for r in conn.execute(q):
        src = {"article_id": r.article_id, "url": r.url, "outlet": r.outlet, "published": _day(r.published),
               "evidence": r.evidence, "historical": bool(r.historical)}
        src.update({k: v for k, v in (("role", r.role), ("organisation", r.organisation),
                                      ("counterpart", r.counterpart)) if v})
        out[r.event_id].append(src)
        seen[r.event_id].append((src, r.story_id, r.published))
    for reports in seen.values():
        news = [(story, when) for src, story, when in reports if not src["historical"]]
        for src, story, when in reports:
            if src["historical"] and story and when and any(
                    story == s and w and abs((when - w).total_seconds()) <= STORY_NEWS_DAYS * 86400
                    for s, w in news):
                src["historical"] = False
    return out


def _event_dict(row, sources: list[dict]) -> dict:
    return {"id": row.id, "type": row.type, "person": row.person, "role": row.role,
            "organisation": row.organisation, "counterpart": row.counterpart,
            "historical": bool(row.historical), "reported": _day(row.reported),
            "confidence": round(float(row.confidence), 3), "sources": sources}


class ReportStore:
    engine = None

    def iter_events(self, *, batch: int = 500, person: str | None = None) -> Iterator[dict]:
        """Every event in the export schema of staffing-events.md, oldest first."""
        with self.engine.connect() as conn:
            q = select(events).order_by(events.c.reported, events.c.created_at, events.c.id)
            if person:
                q = q.where(func.lower(events.c.person).contains(person.lower()))
            rows = conn.execute(q).all()
            for i in range(0, len(rows), batch):
                chunk = rows[i:i + batch]
                srcs = _sources(conn, [r.id for r in chunk])
                for r in chunk:
                    yield _event_dict(r, srcs.get(r.id, []))

    def get_event(self, event_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(events).where(events.c.id == event_id)).first()
            return _event_dict(row, _sources(conn, [event_id]).get(event_id, [])) if row else None

    def iter_articles(self) -> Iterator[dict]:
        """One dict per article; every article has a story id (its own when it has none)."""
        with self.engine.connect() as conn:
            q = select(articles.c.article_id, articles.c.url, articles.c.outlet, articles.c.published,
                       articles.c.title, articles.c.story_id, articles.c.duplicate_of, articles.c.status,
                       articles.c.error).order_by(articles.c.id)
            for r in conn.execution_options(stream_results=True).execute(q):
                yield {"article_id": r.article_id, "url": r.url, "outlet": r.outlet,
                       "published": _day(r.published), "title": r.title,
                       "story_id": r.story_id or ("a:" + r.article_id), "duplicate_of": r.duplicate_of,
                       "status": r.status, "error": r.error}

    def pending_work(self) -> dict[str, int]:
        """Counts of work still to do now: claimed feeds, unfinished articles, due alerts."""
        now = utcnow()
        with self.engine.connect() as conn:
            claimed = conn.execute(select(func.count()).select_from(feeds).where(
                feeds.c.claimed_until > now)).scalar()
            unfinished = conn.execute(select(func.count()).select_from(articles).where(
                articles.c.status.in_(("discovered", "fetched")))).scalar()
            alerts = conn.execute(select(func.count()).select_from(alert_outbox).where(and_(
                alert_outbox.c.status == "pending",
                or_(alert_outbox.c.next_attempt_at <= now, alert_outbox.c.lease_until > now)))).scalar()
        return {"feeds": claimed or 0, "articles": unfinished or 0, "alerts": alerts or 0}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            by_status = dict(conn.execute(select(articles.c.status, func.count()).group_by(articles.c.status)).all())
            return {"articles": sum(by_status.values()), **{f"articles_{k}": v for k, v in by_status.items()},
                    "events": conn.execute(select(func.count()).select_from(events)).scalar() or 0,
                    "sources": conn.execute(select(func.count()).select_from(event_sources)).scalar() or 0}

    def last_errors(self, *, limit: int = 10) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(errors).order_by(errors.c.id.desc()).limit(limit))
            return [r._asdict() for r in rows]

    def last_events(self, *, limit: int = 10) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(events).order_by(events.c.created_at.desc(), events.c.id).limit(limit)).all()
            srcs = _sources(conn, [r.id for r in rows])
            return [_event_dict(r, srcs.get(r.id, [])) for r in rows]
