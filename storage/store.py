"""The narrow interface every other package uses to reach the database."""
from __future__ import annotations

from .alerts import AlertStore
from .articles import ArticleStore
from .backfill import BackfillStore
from .bulk import BulkStore
from .commit import CommitStore
from .db import create, migrate
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
        if migrate_schema:
            migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()
