"""The narrow interface every other package uses to reach the database."""
from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .alerts import AlertStore
from .articles import ArticleStore
from .backfill import BackfillStore
from .bulk import BulkStore
from .commit import CommitStore
from .db import MIGRATIONS_DIR, create, migrate
from .errors import StoreError
from .feeds import FeedStore
from .hosts import HostStore
from .info import InfoStore
from .reports import ReportStore
from .views import ViewStore
from .watch import WatchStore


class Store(FeedStore, ArticleStore, CommitStore, AlertStore, WatchStore, ReportStore, BackfillStore,
            HostStore, BulkStore, InfoStore, ViewStore):
    """All reads and writes of aidewatch; one instance per process and database URL."""

    def __init__(self, url: str, *, migrate_schema: bool = True, statement_timeout: float | None = None,
                 lock_timeout: float | None = None, read_only: bool = False):
        """``statement_timeout`` / ``lock_timeout`` (seconds) bound each statement and lock wait
        (see ``storage.db.create``); None leaves them unbounded (command-line use). ``read_only``:
        the database refuses writes (the web view)."""
        self.url = url
        self.engine = create(url, statement_timeout=statement_timeout, lock_timeout=lock_timeout,
                             read_only=read_only)
        if migrate_schema and not schema_is_current(self.engine):
            migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w]+|None)['\"]?", re.M)


@lru_cache(maxsize=1)
def migration_head() -> str | None:
    """The newest migration's revision, read from the migration files (None when they do not
    form one chain: then Alembic decides)."""
    revisions, parents = set(), set()
    for f in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(f.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_is_current(engine) -> bool:
    """Whether the store is already at the newest migration: a process that opens a migrated
    store then does not load Alembic at all (a large part of a short command's start-up)."""
    head = migration_head()
    if head is None:
        return False
    try:
        with engine.connect().execution_options(read_only=True) as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    except (DBAPIError, StoreError):  # no alembic_version table yet: a new store
        return False
