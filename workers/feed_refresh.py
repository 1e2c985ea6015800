"""Feed refresh decisions, as a pure stage: what a poll's answer means for the feed and which of
its entries become new articles.

    refresh(feed, answer) ─► Refresh(kind="not_modified" | "unchanged" | "changed", ...)
    new_articles(feed, parsed, known_keys) ─► [NewArticle, ...]

The task around it (tasks/pipeline.poll_feed) only reads the feed row, fetches, stores what these
functions decide and enqueues the next stage; the back-off timing of failures is the task layer's
retry policy.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from . import clean, feeds, urls
from .model import FetchResult, ParsedFeed


@dataclass(frozen=True)
class Refresh:
    """The meaning of one successful poll.

    ``kind``: ``not_modified`` (HTTP 304: keep the validators), ``unchanged`` (same bytes as last
    time: nothing to parse) or ``changed`` (``parsed`` holds the feed).
    """

    kind: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    parsed: ParsedFeed | None = None


@dataclass(frozen=True)
class NewArticle:
    """The row of an article found in a feed entry; ``text`` set when the entry carries the full
    article (no page to fetch)."""

    entry_key: str
    article_id: str
    url: str | None
    canonical_url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: datetime | None
    text: str | None


def body_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def refresh(previous_hash: str | None, answer: FetchResult) -> Refresh:
    """What a poll's answer means: 304, the same body as the last poll, or a feed to read.
    Raises FeedError when changed bytes are not a usable feed."""
    if answer.not_modified:
        return Refresh("not_modified", 304)
    digest = body_hash(answer.body)
    common = dict(status=answer.status, etag=answer.etag, last_modified=answer.last_modified, body_hash=digest)
    if digest == previous_hash:
        return Refresh("unchanged", **common)
    base = answer.url if answer.url.startswith(("http://", "https://")) else None
    return Refresh("changed", parsed=feeds.parse_feed(answer.body, url=base), **common)


def local_answer(data: bytes) -> FetchResult:
    """A local feed file's bytes as an answer (no validators: the body hash decides)."""
    return FetchResult(url="", status=200, body=data)


def outlet_of(entry, parsed: ParsedFeed) -> str | None:
    """The entry's outlet: its dc:publisher, the channel's, the link's site, else the feed's title."""
    return (entry.publisher or parsed.publisher
            or (urls.outlet_from_url(entry.link) if entry.link else None) or parsed.title)


def new_articles(parsed: ParsedFeed, known_keys: set[str]) -> list[NewArticle]:
    """Articles for the entries whose identity (``entry.key``: GUID, else link, else content hash)
    is not in ``known_keys``, in feed order."""
    out = []
    for entry in parsed.entries:
        if entry.key in known_keys:
            continue
        canonical = urls.canonical_url(entry.link) if entry.link else None
        body = clean.clean_entry(entry)
        out.append(NewArticle(
            entry_key=entry.key, article_id=canonical or entry.guid or entry.key, url=entry.link,
            canonical_url=canonical, outlet=outlet_of(entry, parsed),
            title=entry.title, author=entry.author, published=entry.published,
            text=body.text if body else None))
    return out
