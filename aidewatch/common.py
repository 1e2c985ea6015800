"""What every sub-command shares: the user's-mistake exception, opening the store, a feed as JSON."""
from __future__ import annotations

import logging
from datetime import datetime

from workers.redact import mask_url

from .settings import Settings

log = logging.getLogger("aidewatch")


class UserError(Exception):
    """A mistake the user can fix; printed on one line without a traceback (exit 2)."""


def open_store(s: Settings, *, create: bool = True):
    """The store of ``s`` (migrated; defaults loaded when it is new). ``create=False``: a missing
    SQLite file is an error, so a read-only command never makes an empty store."""
    from .startup import StoreOpenError, open_store as _open
    try:
        store = _open(s, create=create)
    except StoreOpenError as exc:
        raise UserError(str(exc)) from None
    log.info("store %s", where(s))
    return store


def where(s: Settings) -> str:
    """The store's location, for the messages of the commands."""
    from .startup import store_location
    return store_location(s)


def iso_utc(v: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with a Z, to the second; None stays None."""
    return v.isoformat(timespec="seconds") + "Z" if v is not None else None


def feed_json(f) -> dict:
    """A feed (``storage.Feed``) as JSON, the same for ``feeds list --json``, ``status --json`` and
    ``/api/feeds``: a password in its URL is masked."""
    return {"name": f.name, "url": mask_url(f.url) if f.url else None, "path": f.path,
            "interval_minutes": f.interval_minutes, "alert_max_age_days": f.alert_max_age_days,
            "health": f.health, "error_count": f.error_count, "last_error": f.last_error,
            "last_error_at": iso_utc(f.last_error_at), "last_status": f.last_status,
            "last_polled_at": iso_utc(f.last_polled_at), "next_check_at": iso_utc(f.next_check_at)}
