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
from .reports import ReportStore
from .views import ViewStore
from .watch import WatchStore


class Store(FeedStore, ArticleStore, CommitStore, AlertStore, WatchStore, ReportStore, BackfillStore,
            HostStore, BulkStore, ViewStore):
    """All reads and writes of aidewatch; one instance per process and database URL."""

    def __init__(self, url: str, *, migrate_schema: bool = True, read_only: bool = False):
        self.url = url
        self.engine = create(url, read_only=read_only)
        if migrate_schema:
            migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()
