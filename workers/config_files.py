"""Load and validate ``feeds.toml`` and ``watchlist.toml``.

Bad content raises ``ValueError`` naming the file and the entry; an unreadable file raises ``OSError``.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from .model import WatchPerson

DEFAULT_INTERVAL_MINUTES = 15
_FEED_KEYS = {"name", "url", "path", "interval_minutes", "alert_max_age_days"}
_PERSON_KEYS = {"name", "aliases", "organisations"}


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: invalid TOML: {e}") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8: {e}") from None


def _entries(doc: dict, key: str, path: Path) -> list[dict]:
    unknown = set(doc) - {key}
    if unknown:
        raise ValueError(f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [[{key}]]")
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"{path}: '{key}' must be an array of tables ([[{key}]])")
    return items


def _label(i: int, entry: dict) -> str:
    name = entry.get("name")
    return f"entry #{i + 1}" + (f" ({name!r})" if isinstance(name, str) else "")


def _number(entry: dict, key: str, where: str, minimum: float, *, strict: bool = False) -> float | None:
    """A number >= ``minimum`` (> with ``strict``), or None when absent."""
    v = entry.get(key)
    if v is None:
        return None
    bad = isinstance(v, bool) or not isinstance(v, (int, float)) or v < minimum or (strict and v == minimum)
    if bad:
        raise ValueError(f"{where}: '{key}' must be a number {'>' if strict else '>='} {minimum:g}, got {v!r}")
    return v


def load_feeds_toml(path: str | os.PathLike) -> list[dict]:
    """Feeds as dicts: ``name``, ``url`` | ``path`` (the other ``None``; path absolute),
    ``interval_minutes`` (default 15), ``alert_max_age_days`` (``None`` if unset; 0 = no age limit).
    """
    path = Path(path)
    feeds, names = [], set()
    for i, e in enumerate(_entries(_load(path), "feeds", path)):
        where = f"{path}: feed {_label(i, e)}"
        unknown = set(e) - _FEED_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: 'name' is required (a non-empty string)")
        if name.strip() in names:
            raise ValueError(f"{where}: duplicate name")
        names.add(name.strip())
        url, rel = e.get("url"), e.get("path")
        if (url is None) == (rel is None):
            raise ValueError(f"{where}: give exactly one of 'url' or 'path'")
        feed_path = None
        if url is not None:
            parts = urlsplit(url) if isinstance(url, str) else None
            if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{where}: 'url' must be an http(s) URL, got {url!r}")
        else:
            if not isinstance(rel, str) or not rel.strip():
                raise ValueError(f"{where}: 'path' must be a non-empty string")
            resolved = (path.parent / rel).resolve()
            if not resolved.is_file():
                raise ValueError(f"{where}: 'path' {rel!r} is not a file ({resolved})")
            feed_path = str(resolved)
        interval = _number(e, "interval_minutes", where, 0, strict=True)
        feeds.append({
            "name": name.strip(),
            "url": url,
            "path": feed_path,
            "interval_minutes": DEFAULT_INTERVAL_MINUTES if interval is None else interval,
            "alert_max_age_days": _number(e, "alert_max_age_days", where, 0),
        })
    return feeds


def _strings(e: dict, key: str, where: str) -> tuple[str, ...]:
    v = e.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
        raise ValueError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(dict.fromkeys(s.strip() for s in v))


def load_watchlist_toml(path: str | os.PathLike) -> list[WatchPerson]:
    """``[[people]]`` entries (``name``, optional ``aliases``, ``organisations``) as ``WatchPerson``."""
    path = Path(path)
    people, names = [], set()
    for i, e in enumerate(_entries(_load(path), "people", path)):
        where = f"{path}: person {_label(i, e)}"
        unknown = set(e) - _PERSON_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: 'name' is required (a non-empty string)")
        if name.strip().casefold() in names:
            raise ValueError(f"{where}: duplicate name")
        names.add(name.strip().casefold())
        people.append(WatchPerson(name=name.strip(), aliases=_strings(e, "aliases", where),
                                  organisations=_strings(e, "organisations", where)))
    return people
