"""Facts about the store itself, and the one-time load of the default feeds and watchlist."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from workers.model import WatchPerson

from .db import advisory_lock
from .schema import feeds, store_info, watch_people
from .sql import try_insert, utcnow

DEFAULTS_KEY = "defaults_loaded"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL (None for other databases, in-memory SQLite or a bad URL)."""
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: not a file either
        return None
    if u.drivername.startswith("sqlite") and u.database and u.database != ":memory:":
        return Path(u.database).expanduser().resolve()
    return None


class InfoStore:
    engine = None

    def load_defaults_once(self, feed_rows: list[dict], people: list[WatchPerson], *, source: dict) -> bool:
        """Add ``feed_rows`` and ``people`` unless this store already had its defaults loaded.

        Runs once per store, whoever opens it first (CLI, worker, beat: serialised by a lock);
        the record in ``store_info`` makes later removals by the user stick. Returns whether the
        defaults were loaded now. Entries whose name exists already are left alone.
        """
        now = utcnow()
        with self.engine.begin() as conn:
            advisory_lock(conn, "aidewatch:store-init")
            if conn.execute(select(store_info.c.key).where(store_info.c.key == DEFAULTS_KEY)).first():
                return False
            for f in feed_rows:
                try_insert(conn, feeds, dict(name=f["name"], url=f.get("url"), path=f.get("path"),
                                             interval_minutes=f["interval_minutes"],
                                             alert_max_age_days=f.get("alert_max_age_days"),
                                             next_check_at=now, error_count=0, created_at=now))
            for p in people:
                try_insert(conn, watch_people, dict(name=p.name, aliases=json.dumps(list(p.aliases)),
                                                    organisations=json.dumps(list(p.organisations)),
                                                    created_at=now))
            conn.execute(store_info.insert().values(
                key=DEFAULTS_KEY, updated_at=now,
                value=json.dumps(source | {"feeds": len(feed_rows), "people": len(people)})))
            return True

    def info(self) -> dict[str, dict]:
        """Every ``store_info`` entry: key -> {"value": decoded JSON, "at": datetime}."""
        with self.engine.connect() as conn:
            return {r.key: {"value": json.loads(r.value), "at": r.updated_at}
                    for r in conn.execute(select(store_info))}
