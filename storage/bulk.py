"""Bulk writes of articles whose dedup decisions are already made (benchmark fills, imports).

The live path decides copies, stories and events one article at a time under the commit lock
(``commit.py``). A caller that already knows those decisions (the scale benchmark's generator
knows which article copies or rewrites which) writes the same rows here, many articles per
transaction, to grow the store to the size it wants to measure.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workers.model import StaffingEvent

from .commit import Fingerprint, event_id, event_row, index_rows, source_row
from .schema import article_fingerprints, articles, event_sources, events, lsh_bands, story_terms
from .sql import insert_rows, utcnow


@dataclass(frozen=True)
class DecidedArticle:
    """An article with its decisions: its story, the root it copies (if any), its events."""

    pk: int
    article_id: str
    text: str
    published: datetime
    outlet: str | None
    fingerprint: Fingerprint
    story_id: str
    duplicate_of: str | None = None  # article_id of the root copy (copies get no index rows)
    events: tuple[tuple[StaffingEvent, str], ...] = ()  # (event, merge key); ignored for copies


class BulkStore:
    engine = None

    def next_article_pk(self) -> int:
        """The row id the next inserted article gets (callers of ``load_decided`` number rows)."""
        with self.engine.connect() as conn:
            return (conn.exec_driver_sql("SELECT MAX(id) FROM articles").scalar() or 0) + 1

    def load_decided(self, batch: list[DecidedArticle]) -> None:
        """Write ``batch`` as processed articles with their index rows, in one transaction."""
        now = utcnow()
        rows, fps, bands, terms, evs, sources = [], [], [], [], [], []
        for a in batch:
            fp = a.fingerprint
            rows.append(dict(id=a.pk, article_id=a.article_id, origin="backfill", alerts=False,
                             outlet=a.outlet, published=a.published, text=a.text,
                             content_hash=fp.content_hash, story_id=a.story_id,
                             duplicate_of=a.duplicate_of,
                             status="processed", attempts=0, discovered_at=now, processed_at=now))
            if a.duplicate_of:
                continue
            fingerprint, band_rows, term_rows = index_rows(a.pk, fp, a.published)
            fps.append(fingerprint)
            bands += band_rows
            terms += term_rows
            for ev, key in a.events:
                eid = event_id(a.article_id, ev)
                evs.append(event_row(eid, ev, key[:200], a.published, now))
                sources.append(source_row(eid, a.pk, ev, now))
        with self.engine.begin() as conn:
            for table, values in ((articles, rows), (article_fingerprints, fps), (events, evs),
                                  (event_sources, sources)):
                if values:
                    conn.execute(table.insert(), values)
            insert_rows(conn, lsh_bands, bands)
            insert_rows(conn, story_terms, terms)
            if conn.dialect.name == "postgresql":  # rows were numbered by the caller: move the sequence on
                conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('articles', 'id'), "
                                     "(SELECT MAX(id) FROM articles))")
