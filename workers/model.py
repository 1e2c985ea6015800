"""Plain data carried between pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

EVENT_TYPES = ("appointment", "departure")


class StageError(Exception):
    """A stage refused its input; ``reason`` is a short machine-readable slug.

    ``transient`` tells the task layer whether a retry may succeed
    (timeouts, 5xx, 429) or not (malformed feed, private address).
    ``retry_after`` is a server-given delay in seconds, when there was one.
    """

    def __init__(self, reason: str, detail: str = "", *, transient: bool = False,
                 retry_after: float | None = None, status: int | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.transient = transient
        self.retry_after = retry_after
        self.status = status


class FetchError(StageError):
    """A fetch failed or was refused (SSRF guard, caps, HTTP status)."""


class FeedError(StageError):
    """Bytes that are not a usable feed."""


class CleanError(StageError):
    """A page from which no article text could be extracted."""


class ArchiveError(StageError):
    """An archive that cannot be read."""


@dataclass(frozen=True)
class FetchResult:
    """What a conditional GET returned (after redirects)."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; ``key`` is its stable identity (GUID, else link, else content hash)."""

    key: str
    guid: str | None
    link: str | None
    title: str | None
    published: datetime | None
    summary: str | None = None
    content_html: str | None = None
    author: str | None = None
    publisher: str | None = None  # dc:publisher of the item: the outlet, when the feed names it


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: list[FeedEntry]
    warning: str | None = None  # non-fatal problem feedparser reported (bozo)
    publisher: str | None = None  # the channel's dc:publisher


@dataclass(frozen=True)
class CleanArticle:
    """Article text and metadata after boilerplate removal."""

    text: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ArchiveRecord:
    """One article of an archive (JSONL line, file of a directory, WARC response)."""

    id: str
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    title: str | None = None
    text: str | None = None
    html: str | None = None
    position: str | None = None  # where it sits in its archive (line, file name, offset): resume point


@dataclass(frozen=True)
class StaffingEvent:
    """A named person starting or stopping a position, as one article states it."""

    type: str  # "appointment" | "departure"
    person: str
    role: str | None
    organisation: str | None
    counterpart: str | None
    historical: bool
    evidence: str
    confidence: float = 0.5


@dataclass(frozen=True)
class WatchPerson:
    """A tracked person: a display name, aliases, optional organisation scope."""

    name: str
    aliases: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
