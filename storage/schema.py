"""SQLAlchemy Core tables of the store. Alembic migrations mirror these."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer,
                        LargeBinary, MetaData, String, Table, Text, UniqueConstraint)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# All datetimes are naive UTC.
feeds = Table(
    "feeds", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("url", Text),
    Column("path", Text),
    Column("interval_minutes", Float, nullable=False),
    Column("alert_max_age_days", Float),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("next_check_at", DateTime, nullable=False),
    Column("claimed_until", DateTime),
    Column("last_polled_at", DateTime),
    Column("last_status", Integer),
    Column("error_count", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("last_error_at", DateTime),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_feeds_next_check_at", feeds.c.next_check_at)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Text, nullable=False, unique=True),
    Column("url", Text),
    Column("canonical_url", Text, unique=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="SET NULL")),
    Column("origin", String(16), nullable=False),  # feed | backfill
    Column("alerts", Boolean, nullable=False),  # may its events alert?
    Column("alert_max_age_days", Float),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", DateTime),
    Column("raw", LargeBinary),  # fetched page, dropped once processed
    Column("content_type", String(200)),
    Column("text", Text),
    Column("content_hash", String(64)),
    Column("story_id", String(64)),
    Column("duplicate_of", Text),
    Column("status", String(16), nullable=False),  # discovered | fetched | processed | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_until", DateTime),
    Column("error", String(64)),
    Column("error_detail", Text),
    Column("discovered_at", DateTime, nullable=False),
    Column("processed_at", DateTime),
)
Index("ix_articles_status", articles.c.status, articles.c.lease_until)
Index("ix_articles_content_hash", articles.c.content_hash)
Index("ix_articles_story_id", articles.c.story_id)

feed_entries = Table(
    "feed_entries", metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_key", String(512), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seen_at", DateTime, nullable=False),
)

# Near-duplicate index: one row per LSH band of each article (persisted band hashes).
lsh_bands = Table(
    "lsh_bands", metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("published", DateTime, nullable=False),
    UniqueConstraint("band_key", "article_id"),
)
Index("ix_lsh_bands_band_key_published", lsh_bands.c.band_key, lsh_bands.c.published)  # key first, then window

article_fingerprints = Table(
    "article_fingerprints", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
    Column("story_profile", Text, nullable=False),  # JSON
)

# Story index: the terms each article is looked up by.
story_terms = Table(
    "story_terms", metadata,
    Column("term", String(200), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("published", DateTime, nullable=False),
    UniqueConstraint("term", "article_id"),
)
Index("ix_story_terms_term_published", story_terms.c.term, story_terms.c.published)  # newest postings of a term

events = Table(
    "events", metadata,
    Column("id", String(32), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("person", Text, nullable=False),
    Column("merge_key", String(200), nullable=False),
    Column("role", Text),
    Column("organisation", Text),
    Column("counterpart", Text),
    Column("historical", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reported", DateTime),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_events_merge_key", events.c.merge_key, events.c.reported)
# The web view: filtered lists read this index alone, in list order; names find their events.
Index("ix_events_listing", events.c.reported, events.c.id, events.c.person, events.c.organisation,
      events.c.type, events.c.historical)
Index("ix_events_person", events.c.person)
Index("ix_events_organisation", events.c.organisation)

event_sources = Table(
    "event_sources", metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("role", Text),
    Column("organisation", Text),
    Column("historical", Boolean, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_event_sources_article_id", event_sources.c.article_id)

watch_people = Table(
    "watch_people", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("organisations", Text, nullable=False),  # JSON list
    Column("created_at", DateTime, nullable=False),
)

# Facts about the store itself: key "defaults_loaded" records that the default feeds and watchlist
# were loaded (once, when the store was created), so removing them later sticks.
store_info = Table(
    "store_info", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

alert_outbox = Table(
    "alert_outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("channel", Text, nullable=False),
    Column("watch_name", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("lease_until", DateTime),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("source_article_id", Integer),  # the article whose report raised the alert (its evidence is shown)
    UniqueConstraint("event_id", "channel"),
)
Index("ix_alert_outbox_status", alert_outbox.c.status, alert_outbox.c.next_attempt_at)

# Resume points of interrupted backfills: one row per archive (file or directory) while it runs.
backfill_checkpoints = Table(
    "backfill_checkpoints", metadata,
    Column("archive", Text, primary_key=True),  # resolved path
    Column("signature", String(100), nullable=False),  # size and mtime: a changed archive starts over
    Column("position", Text, nullable=False),  # last record added to the store (iter_archive's after=)
    Column("records", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# Per-host request slots shared by every worker (used when the broker is not Redis): a host has
# AIDEWATCH_HOST_CONCURRENCY rows in use at most; a slot whose holder died frees itself at ``until``.
host_slots = Table(
    "host_slots", metadata,
    Column("host", String(255), primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("holder", String(64)),
    Column("until", DateTime),
)

errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(16), nullable=False),  # feed | article | alert | backfill
    Column("ref", Text, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("detail", Text),
    Column("at", DateTime, nullable=False),
)
Index("ix_errors_at", errors.c.at)
Index("ix_errors_scope_ref", errors.c.scope, errors.c.ref)  # a re-run's errors are not stored twice
