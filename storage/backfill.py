"""Backfill bookkeeping: resume points of interrupted archives, and what a run produced."""
from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select, update

from .schema import articles, backfill_checkpoints, event_sources
from .sql import naive_utc, try_insert, utcnow


class BackfillStore:
    engine = None

    def backfill_checkpoint(self, archive: str, signature: str) -> tuple[str, int] | None:
        """(position, records read) where an interrupted backfill of ``archive`` stopped; None when
        there is none, or the archive changed since (another ``signature``): start from the top."""
        with self.engine.connect() as conn:
            row = conn.execute(select(backfill_checkpoints).where(
                backfill_checkpoints.c.archive == archive)).first()
        if row is None or row.signature != signature:
            return None
        return row.position, row.records

    def save_backfill_checkpoint(self, archive: str, signature: str, position: str, records: int) -> None:
        """Remember that every record up to ``position`` is in the store."""
        with self.engine.begin() as conn:
            _save_checkpoint(conn, archive, signature, position, records)

    def clear_backfill_checkpoint(self, archive: str) -> None:
        """The archive was read to its end: a later run reads it again from the top."""
        with self.engine.begin() as conn:
            conn.execute(delete(backfill_checkpoints).where(backfill_checkpoints.c.archive == archive))

    def add_backfill_articles(self, rows: list[dict], *,
                              checkpoint: tuple[str, str, str, int] | None = None) -> list[tuple[int, bool, str]]:
        """Insert many archive records in ONE transaction, as ``add_article`` does one by one:
        (row id, created, status) each. One commit (one WAL flush) per batch rather than per record
        is what makes reading an archive into PostgreSQL fast; the caller enqueues after it returns.

        Each row holds ``article_id``, ``origin``, ``alerts`` and optionally ``url``,
        ``canonical_url``, ``outlet``, ``title``, ``published``, ``text``, ``raw``, ``content_type``.
        ``checkpoint`` (archive, signature, position, records) is saved in the same transaction, so
        a resume point never runs ahead of the records stored.
        """
        now = utcnow()
        out: list[tuple[int, bool, str]] = []
        with self.engine.begin() as conn:
            for r in rows:
                status = "fetched" if (r.get("text") or r.get("raw")) else "discovered"
                values = {k: r.get(k) for k in ("article_id", "url", "canonical_url", "origin", "alerts",
                                                "outlet", "title", "raw", "content_type", "text")}
                new_pk = try_insert(conn, articles, dict(values, published=naive_utc(r.get("published")),
                                                         status=status, attempts=0, discovered_at=now),
                                    returning=articles.c.id)
                if new_pk is not None:
                    out.append((new_pk, True, status))
                    continue
                cond = articles.c.article_id == r["article_id"]
                if r.get("canonical_url"):
                    cond = or_(cond, articles.c.canonical_url == r["canonical_url"])
                row = conn.execute(select(articles.c.id, articles.c.status).where(cond)
                                   .order_by(articles.c.id).limit(1)).first()
                out.append((row.id, False, row.status))
            if checkpoint is not None:
                _save_checkpoint(conn, *checkpoint)
        return out

    def summarise_articles(self, pks: set[int], *, chunk: int = 500) -> dict[str, int]:
        """For the articles ``pks``: counts by status, events they report and distinct events."""
        out = {"processed": 0, "failed": 0, "pending": 0, "duplicates": 0, "events": 0, "sources": 0}
        ids = sorted(pks)
        seen_events: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(ids), chunk):
                part = ids[i:i + chunk]
                for status, dup, n in conn.execute(
                        select(articles.c.status, articles.c.duplicate_of.is_not(None), func.count())
                        .where(articles.c.id.in_(part))
                        .group_by(articles.c.status, articles.c.duplicate_of.is_not(None))):
                    key = status if status in ("processed", "failed") else "pending"
                    out[key] += n
                    if dup:
                        out["duplicates"] += n
                rows = conn.execute(select(event_sources.c.event_id).where(and_(
                    event_sources.c.article_id.in_(part)))).all()
                out["sources"] += len(rows)
                seen_events.update(r.event_id for r in rows)
        out["events"] = len(seen_events)
        return out


def _save_checkpoint(conn, archive: str, signature: str, position: str, records: int) -> None:
    values = dict(signature=signature[:100], position=position, records=records, updated_at=utcnow())
    if not try_insert(conn, backfill_checkpoints, dict(archive=archive, **values)):
        conn.execute(update(backfill_checkpoints)
                     .where(backfill_checkpoints.c.archive == archive).values(**values))
