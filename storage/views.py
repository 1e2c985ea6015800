"""Read queries of the web view and its API: bounded pages of events, one event with every source,
a person's moves, one story, feed health, status and the figures behind ``/metrics``.

Nothing here writes. Every list is bounded (``MAX_PAGE``); event lists page by keyset cursor
(``reported`` then ``id``, newest first), so a page costs the same at any depth.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, literal, or_, select, text

from .feeds import FAILING_AFTER, Feed
from .reports import _day, _event_dict, _sources
from .schema import alert_outbox, articles, errors, event_sources, events, feeds

MAX_PAGE = 200  # most rows any list query returns
DELAY_BUCKETS = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400)


@dataclass(frozen=True)
class EventFilter:
    """What a list of events is narrowed to (every field optional)."""

    person: str | None = None  # case-insensitive part of the name
    organisation: str | None = None  # case-insensitive part of the organisation
    type: str | None = None  # appointment | departure
    current: bool = False  # only moves reported as news (not background mentions)
    since: datetime | None = None  # reported on or after
    until: datetime | None = None  # reported before
    names: tuple[str, ...] | None = None  # only these exact person names (None: any)
    organisations: tuple[str, ...] | None = None  # only these exact organisations (None: any)


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with its wildcards taken literally."""
    v = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{v}%"


def _where(f: EventFilter) -> list:
    cond = [events.c.reported.isnot(None)]  # every writer sets it (publication, else discovery)
    if f.person:
        cond.append(func.lower(events.c.person).like(_like(f.person), escape="\\"))
    if f.organisation:
        cond.append(func.lower(events.c.organisation).like(_like(f.organisation), escape="\\"))
    if f.type:
        cond.append(events.c.type == f.type)
    if f.current:
        cond.append(events.c.historical.is_(False))
    if f.since:
        cond.append(events.c.reported >= f.since)
    if f.until:
        cond.append(events.c.reported < f.until)
    if f.names is not None:
        cond.append(events.c.person.in_(f.names) if f.names else literal(False))
    if f.organisations is not None:
        cond.append(events.c.organisation.in_(f.organisations) if f.organisations else literal(False))
    return cond


def sources_for(conn, event_ids: list[str]) -> dict[str, list[dict]]:
    """Every source of each event, oldest first, as the export gives it (``reports._sources``: the
    one definition of a source), with the article's title and story for the pages, and the
    article's own wording (role, organisation, historical) where the export does not give it."""
    if not event_ids:
        return {}
    out = _sources(conn, event_ids)
    q = (select(event_sources.c.event_id, articles.c.article_id, articles.c.title, articles.c.story_id,
                event_sources.c.role, event_sources.c.organisation, event_sources.c.historical)
         .join(articles, articles.c.id == event_sources.c.article_id)
         .where(event_sources.c.event_id.in_(event_ids)))
    extra = {(r.event_id, r.article_id): r for r in conn.execute(q)}
    for eid, srcs in out.items():
        for src in srcs:
            r = extra.get((eid, src["article_id"]))
            # every key a page reads is present (None when the article does not say)
            src.setdefault("title", r.title if r is not None else None)
            src.setdefault("story_id", (r.story_id or "a:" + r.article_id) if r is not None
                           else "a:" + src["article_id"])
            for k in ("role", "organisation"):
                src.setdefault(k, getattr(r, k) if r is not None else None)
            src.setdefault("historical", bool(r.historical) if r is not None else False)
    return out


def _with_sources(conn, rows) -> list[dict]:
    srcs = sources_for(conn, [r.id for r in rows])
    out = []
    for r in rows:
        ev = _event_dict(r, srcs.get(r.id, []))
        ev["created_at"] = r.created_at
        out.append(ev)
    return out


class ViewStore:
    engine = None

    def analyze(self) -> None:
        """Refresh the planner's statistics and PostgreSQL's visibility map, as autovacuum does in
        time after a bulk fill (benchmarks)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text("VACUUM ANALYZE"))
            else:
                conn.execute(text("ANALYZE"))
                conn.commit()

    def ping(self) -> None:
        """Raise if the store cannot answer a query."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def events_page(self, f: EventFilter, *, limit: int = 50,
                    after: tuple[datetime, str] | None = None) -> tuple[list[dict], tuple[datetime, str] | None]:
        """Up to ``limit`` events matching ``f``, newest first, strictly after the cursor ``after``
        ((reported, id) of the last event of the previous page). Returns the events and the cursor
        of the next page (None at the end). The keys of the page are found in the listing index
        alone; only the rows shown are read."""
        limit = max(1, min(limit, MAX_PAGE))
        where = _where(f)
        if after is not None:
            where.append(or_(events.c.reported < after[0], and_(events.c.reported == after[0], events.c.id < after[1])))
        with self.engine.connect() as conn:
            keys = conn.execute(select(events.c.reported, events.c.id).where(and_(*where))
                                .order_by(events.c.reported.desc(), events.c.id.desc()).limit(limit + 1)).all()
            more = len(keys) > limit
            keys = keys[:limit]
            rows = {r.id: r for r in conn.execute(select(events).where(events.c.id.in_([k.id for k in keys])))}
            found = _with_sources(conn, [rows[k.id] for k in keys if k.id in rows])
        return found, ((keys[-1].reported, keys[-1].id) if more else None)

    def person_names(self, *, limit: int = 200_000) -> list[str]:
        """Distinct person names of the events (read from their index), bounded."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(events.c.person).distinct().limit(limit))]

    def organisation_names(self, *, limit: int = 200_000) -> list[str]:
        """Distinct organisations of the events (read from their index), bounded."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(events.c.organisation).distinct()
                                               .where(events.c.organisation.isnot(None)).limit(limit))]

    def events_of(self, names: list[str], *, limit: int = 500) -> list[dict]:
        """The events of these exact person names, oldest first, bounded."""
        if not names:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(events).where(events.c.person.in_(names))
                                .order_by(events.c.reported, events.c.id).limit(limit)).all()
            return _with_sources(conn, rows)

    def event_detail(self, event_id: str) -> dict | None:
        """One event with every source; None when there is no such event."""
        with self.engine.connect() as conn:
            row = conn.execute(select(events).where(events.c.id == event_id)).first()
            if row is None:
                return None
            ev = _with_sources(conn, [row])[0]
            ev["alerts"] = [r._asdict() for r in conn.execute(
                select(alert_outbox.c.watch_name, alert_outbox.c.status, alert_outbox.c.sent_at,
                       alert_outbox.c.attempts)
                .where(alert_outbox.c.event_id == event_id).order_by(alert_outbox.c.id).limit(MAX_PAGE))]
            return ev

    def story(self, story_id: str, *, limit: int = MAX_PAGE) -> dict | None:
        """The articles of one story (oldest first) and the events they report; None when unknown.
        An article outside any story is its own story ``a:<article_id>``."""
        cols = (articles.c.id, articles.c.article_id, articles.c.url, articles.c.outlet, articles.c.title,
                articles.c.published, articles.c.duplicate_of, articles.c.status)
        if story_id.startswith("a:"):
            cond = and_(articles.c.article_id == story_id[2:], articles.c.story_id.is_(None))
        else:
            cond = articles.c.story_id == story_id
        with self.engine.connect() as conn:
            arts = conn.execute(select(*cols).where(cond).order_by(articles.c.published, articles.c.id)
                                .limit(limit)).all()
            if not arts:
                return None
            ids = [a.id for a in arts]
            ev_ids = [r.event_id for r in conn.execute(
                select(event_sources.c.event_id).where(event_sources.c.article_id.in_(ids)).distinct()
                .limit(limit))]
            rows = conn.execute(select(events).where(events.c.id.in_(ev_ids))
                                .order_by(events.c.reported, events.c.id)).all() if ev_ids else []
            return {"story_id": story_id,
                    "articles": [{"article_id": a.article_id, "url": a.url, "outlet": a.outlet, "title": a.title,
                                  "published": _day(a.published), "duplicate_of": a.duplicate_of,
                                  "status": a.status} for a in arts],
                    "events": _with_sources(conn, rows)}

    def feed_overview(self, *, limit: int = 1000) -> list[Feed]:
        """Every feed with its polling state (bounded)."""
        return self.list_feeds(limit=limit)

    def alerts_needing_attention(self, *, limit: int = 20) -> list[dict]:
        """Pending and failed alerts, newest first, with the person and move they are about."""
        with self.engine.connect() as conn:
            q = (select(alert_outbox.c.id, alert_outbox.c.event_id, alert_outbox.c.watch_name,
                        alert_outbox.c.status, alert_outbox.c.attempts, alert_outbox.c.next_attempt_at,
                        alert_outbox.c.last_error, alert_outbox.c.channel, events.c.person, events.c.type)
                 .join(events, events.c.id == alert_outbox.c.event_id)
                 .where(alert_outbox.c.status.in_(("pending", "failed")))
                 .order_by(alert_outbox.c.id.desc()).limit(min(limit, MAX_PAGE)))
            return [r._asdict() for r in conn.execute(q)]

    def last_errors_page(self, *, limit: int = 20) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(errors).order_by(errors.c.id.desc()).limit(min(limit, MAX_PAGE)))
            return [r._asdict() for r in rows]

    # --- figures for /metrics and /api/status -------------------------------------------------

    def feed_states(self) -> dict[str, int]:
        """Feeds by the result of their last poll: new, ok, not_modified, retrying, failing."""
        state = case((feeds.c.error_count >= FAILING_AFTER, literal("failing")),
                     (feeds.c.error_count > 0, literal("retrying")),
                     (feeds.c.last_polled_at.is_(None), literal("new")),
                     (feeds.c.last_status == 304, literal("not_modified")),
                     else_=literal("ok"))
        with self.engine.connect() as conn:
            return {s: n for s, n in conn.execute(select(state, func.count()).group_by(state))}

    def error_counts(self) -> list[tuple[str, str, int]]:
        """(scope, reason, count) of every error recorded (feed polls, article fetches, alerts...)."""
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(
                select(errors.c.scope, errors.c.reason, func.count()).group_by(errors.c.scope, errors.c.reason))]

    def article_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {s: n for s, n in conn.execute(select(articles.c.status, func.count())
                                                  .group_by(articles.c.status))}

    def event_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {"events": conn.execute(select(func.count()).select_from(events)).scalar() or 0,
                    "sources": conn.execute(select(func.count()).select_from(event_sources)).scalar() or 0}

    def alert_delay_histogram(self) -> tuple[list[tuple[float, int]], int, float]:
        """Seconds from the publication of the article that raised each sent alert to its delivery:
        cumulative (upper bound, count) buckets, the count and the sum."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                delay = func.extract("epoch", alert_outbox.c.sent_at - articles.c.published)
            else:
                delay = (func.julianday(alert_outbox.c.sent_at) - func.julianday(articles.c.published)) * 86400.0
            delay = case((delay < 0, literal(0.0)), else_=delay)
            cols = [func.sum(case((delay <= b, 1), else_=0)) for b in DELAY_BUCKETS]
            row = conn.execute(
                select(func.count(), func.sum(delay), *cols)
                .select_from(alert_outbox.join(articles, articles.c.id == alert_outbox.c.source_article_id))
                .where(and_(alert_outbox.c.status == "sent", alert_outbox.c.sent_at.isnot(None),
                            articles.c.published.isnot(None)))).one()
        count, total = int(row[0] or 0), float(row[1] or 0.0)
        buckets = [(float(b), int(n or 0)) for b, n in zip(DELAY_BUCKETS, row[2:])]
        return buckets + [(float("inf"), count)], count, total

