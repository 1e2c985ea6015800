"""Opening the store the same way from every entry point (CLI, ``celery worker``, ``celery beat``).

The store is migrated when first opened; a store opened for the first time also gets the default
feeds and watchlist (the packaged ``seeds/*.toml``, or the files the settings name), once: the store
records it, so what the user removes later stays removed.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .settings import Settings, mask_url

log = logging.getLogger("aidewatch.startup")


class StoreOpenError(Exception):
    """The store cannot be opened (the message is one line, with any password masked)."""


def store_location(s: Settings) -> str:
    """Where the store is, for messages: the SQLite file, or the database URL without password."""
    path = sqlite_path(s.database_url)
    return str(path) if path else mask_url(s.database_url)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from storage import sqlite_file
    return sqlite_file(url)


def default_entries(s: Settings) -> tuple[list[dict], list]:
    """The feeds and people of the configured default files (a missing file gives none)."""
    from workers.config_files import load_feeds_toml, load_watchlist_toml
    try:
        feeds = load_feeds_toml(s.feeds_file) if s.feeds_file.is_file() else []
        people = load_watchlist_toml(s.watchlist_file) if s.watchlist_file.is_file() else []
    except (ValueError, OSError) as exc:
        raise StoreOpenError(str(exc).splitlines()[0]) from None
    return feeds, people


def open_store(s: Settings, *, create: bool = True, **store_options):
    """The migrated, initialised store of ``s``.

    With ``create=False`` a SQLite file that does not exist is an error rather than a new empty
    store (read-only commands run from the wrong directory say so instead of showing nothing).
    ``store_options`` go to ``Store`` (the tasks bound statement and lock waits).
    """
    from storage import Store, StoreError
    path = sqlite_path(s.database_url)
    if not create and path is not None and not path.exists():
        raise StoreOpenError(f"no store at {path} (run `aidewatch run` first, or point --data-dir / "
                             "AIDEWATCH_DATA_DIR / AIDEWATCH_DATABASE_URL at an existing store)")
    try:
        store = Store(s.database_url, **store_options)
    except StoreError as exc:
        raise StoreOpenError(f"cannot open the store at {store_location(s)}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a bad URL or driver problem: say which store
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise StoreOpenError(f"cannot open the store at {store_location(s)}: {mask_url(first)}") from None
    try:
        if "defaults_loaded" in store.info():
            return store
        feeds, people = default_entries(s)
        if store.load_defaults_once(feeds, people, source={"feeds_file": str(s.feeds_file),
                                                           "watchlist_file": str(s.watchlist_file)}):
            log.info("new store at %s: loaded %d default feed(s) from %s and %d watched people from %s",
                     store_location(s), len(feeds), s.feeds_file, len(people), s.watchlist_file)
    except StoreError as exc:
        store.close()
        raise StoreOpenError(f"cannot initialise the store at {store_location(s)}: {exc}") from None
    except StoreOpenError:
        store.close()
        raise
    return store


def prepare_store(s: Settings) -> None:
    """Migrate and initialise the store, then close it (for a process about to fork workers)."""
    open_store(s).close()
