"""What every sub-command shares: the user's-mistake exception and opening the store."""
from __future__ import annotations

import logging

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
