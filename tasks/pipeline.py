"""Thin tasks of the pipeline: load by id, call one stage, persist, enqueue the next.

    tick ─► poll_feed(feed) ─► fetch_article(article) ─► process_article(article) ─► deliver_alerts

Every task is idempotent: it claims its row in the store first (a lease), so a
redelivered message or a second beat finds nothing to do. The stages (trafilatura, spaCy) are
imported by the tasks that run them: a process that only queues work does not load them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from storage import StoreError

from storage import ClaimedArticle, Feed, Fingerprint
from storage.sql import utcnow
from workers.model import CleanError, StageError
from workers.redact import mask_url

from . import hostlimit, policy, queues, runtime
from .alerting import deliver_alerts
from .app import app

if TYPE_CHECKING:
    from workers import fetch

log = logging.getLogger("aidewatch.tasks")

def fetch_policy(max_bytes: int | None = None, settings=None) -> fetch.FetchPolicy:
    """The fetch caps and guard of ``settings`` (default: the tasks' settings)."""
    from workers import fetch  # the HTTP stack (httpx) only in the processes that fetch
    s = settings or runtime.settings()
    return fetch.FetchPolicy(read_timeout=s.fetch_timeout, total_timeout=2 * s.fetch_timeout,
                             max_bytes=max_bytes or s.fetch_max_bytes,
                             allow_private=s.allow_private_addresses)


@lru_cache(maxsize=4)
def http_client(policy: fetch.FetchPolicy):
    """One guarded HTTP client per process and policy: building one (TLS context, pool) costs
    more than a whole 304 poll."""
    from workers import fetch
    return fetch.make_client(policy)


def enqueue_article(pk: int, status: str, origin: str) -> None:
    """Send an article to its next stage; backfill work goes to the low-priority queue."""
    task = fetch_article if status == "discovered" else process_article
    queue = "backfill" if origin == "backfill" else ("fetch" if status == "discovered" else "process")
    task.apply_async((pk,), queue=queue)


@app.task(name="aidewatch.tick", **policy.DB_RETRY)
def tick() -> dict:
    """Beat's heartbeat: claim due feeds, recover lost work, push due alerts."""
    store = runtime.store()
    claimed = store.claim_due_feeds(lease_seconds=runtime.settings().lease_seconds)
    for feed in claimed:
        poll_feed.apply_async((feed.id,), queue="poll")
    store.give_up_exhausted(max_attempts=policy.ARTICLE_MAX_ATTEMPTS)
    depth = queues.depths()
    recovered = 0
    # Re-enqueue unfinished articles never taken only when their queues are empty: then a message
    # was lost (broker flushed or restarted) rather than merely waiting its turn. A live article
    # whose lease ran out was taken by a task that did not finish (killed, cut, put back): its
    # message is gone, so it is sent again however busy the queues (a spare message is a no-op).
    live_idle = all(depth.get(q) == 0 for q in ("fetch", "process"))
    backfill_idle = depth.get("backfill") == 0
    stalled = []
    if live_idle or backfill_idle:
        stalled += [a for a in store.stalled_articles(max_attempts=policy.ARTICLE_MAX_ATTEMPTS)
                    if (backfill_idle if a[2] == "backfill" else live_idle)]
    if not live_idle:
        stalled += [a for a in store.stalled_articles(max_attempts=policy.ARTICLE_MAX_ATTEMPTS, leased_only=True)
                    if a[2] != "backfill"]
    for pk, status, origin in stalled:
        enqueue_article(pk, status, origin)
        recovered += 1
    if depth.get("alerts") == 0 and store.pending_work()["alerts"]:
        deliver_alerts.apply_async(queue="alerts")
    return {"feeds": len(claimed), "recovered": recovered}


@app.task(name="aidewatch.poll_feed", **policy.DB_RETRY)
def poll_feed(feed_id: int) -> dict:
    """Poll one claimed feed: conditional GET, parse, add new entries as articles."""
    store = runtime.store()
    feed = store.get_feed(feed_id)
    if feed is None:
        return {"skipped": "no such feed"}
    if feed.claimed_until is None:  # a redelivered message of a poll that already finished
        return {"skipped": "not claimed"}
    with hostlimit.host_slot(None if feed.path else feed.url) as got:
        if not got:  # the host has its fill of requests from other workers: put the feed back
            store.defer_feed(feed_id, next_check_at=hostlimit.busy_retry_at())
            return {"deferred": "host busy"}
        return _poll(store, feed)


def _poll(store, feed: Feed) -> dict:
    from workers import feed_refresh, feeds, fetch
    feed_id, s = feed.id, runtime.settings()
    try:
        if feed.path:
            answer = feed_refresh.local_answer(feeds.read_local_feed(Path(feed.path), s.fetch_max_bytes))
        else:
            pol = fetch_policy()
            answer = fetch.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified,
                                 policy=pol, client=http_client(pol))
        result = feed_refresh.refresh(feed.body_hash, answer)
    except StageError as exc:
        retry = policy.feed_retry_at(feed.error_count + 1, feed.interval_minutes, s.max_backoff_minutes,
                                     exc.retry_after)
        detail = mask_url(exc.detail or str(exc))  # a feed URL may carry a password
        count = store.fail_poll(feed_id, reason=exc.reason, detail=detail, next_check_at=retry, status=exc.status)
        log.warning("feed %s failed (%s: %s); error %d, next try at %s UTC", feed.name, exc.reason,
                    detail, count, retry.isoformat(timespec="seconds"))
        return {"error": exc.reason, "retry_at": retry.isoformat()}
    new = 0
    if result.parsed is not None:
        if result.parsed.warning:
            log.info("feed %s: %s", feed.name, result.parsed.warning)
        new = _add_entries(store, feed, result.parsed)
    store.finish_poll(feed_id, status=result.status, etag=result.etag, last_modified=result.last_modified,
                      body_hash=result.body_hash, next_check_at=policy.next_feed_check(feed.interval_minutes))
    return {"status": result.status, "new": new}


def _add_entries(store, feed: Feed, parsed) -> int:
    from workers import feed_refresh
    known = store.known_entries(feed.id, [e.key for e in parsed.entries])
    new = 0
    for art in feed_refresh.new_articles(parsed, known):
        pk, created = store.add_article(
            article_id=art.article_id, url=art.url, canonical_url=art.canonical_url, feed_id=feed.id,
            origin="feed", alerts=True, alert_max_age_days=feed.alert_max_age_days, outlet=art.outlet,
            title=art.title, author=art.author, published=art.published, text=art.text,
            entry_key=art.entry_key)
        if created:
            new += 1
            enqueue_article(pk, "fetched" if art.text else "discovered", "feed")
    return new


@app.task(name="aidewatch.fetch_article", **policy.DB_RETRY)
def fetch_article(pk: int) -> dict:
    """Fetch an article's page with the SSRF guard and caps; hand it to processing."""
    store = runtime.store()
    art = store.claim_article(pk, "discovered", lease_seconds=runtime.settings().lease_seconds)
    if art is None:
        return {"skipped": "not pending"}
    try:
        with hostlimit.host_slot(art.url) as got:
            if not got:  # host busy: give the article back, tick enqueues it again shortly
                store.defer_article(pk, retry_at=hostlimit.busy_retry_at())
                return {"deferred": "host busy"}
            from workers import fetch
            pol = fetch_policy()
            res = fetch.fetch(art.url, policy=pol, client=http_client(pol))
        store.save_fetched(pk, raw=res.body, content_type=res.headers.get("content-type"), final_url=res.url)
    except StoreError as exc:  # retried (DB_RETRY) from a free article, not one held by its own lease
        runtime.give_back_article(pk, exc)
        raise
    except StageError as exc:
        final = not exc.transient or art.attempts >= policy.ARTICLE_MAX_ATTEMPTS
        store.fail_article(pk, reason=exc.reason, detail=exc.detail or str(exc), final=final,
                           retry_at=None if final else policy.retry_at(art.attempts, retry_after=exc.retry_after))
        return {"error": exc.reason, "final": final}
    enqueue_article(pk, "fetched", art.origin)
    return {"fetched": pk}


@dataclass
class _Prepared:
    """An article cleaned and fingerprinted, waiting for extraction and its commit."""

    pk: int
    text: str
    title: str | None
    author: str | None
    outlet: str | None
    published: datetime | None
    fingerprint: Fingerprint
    extract: bool  # not a copy of a stored article, and a trigger word fires


def _prepare(store, art: ClaimedArticle, commit_policy) -> _Prepared:
    """Clean (when only the page is stored) and fingerprint; raises a StageError when there is no text."""
    from workers import clean
    from workers.extract import has_trigger

    from .commit_policy import make_fingerprint
    text, title, author, outlet, published = art.text, art.title, art.author, art.outlet, art.published
    if art.raw and not text:
        page = clean.clean_html(art.raw, url=art.url, content_type=art.content_type,
                                with_metadata=not (title and published), fast=True)
        text, title = page.text, title or page.title
        author, outlet, published = author or page.author, outlet or page.outlet, published or page.published
    if not text or not text.strip():
        raise CleanError("no_text", "the article has no text")
    # a live feed's undated entry is news of the day it was found; an archive's undated page is not
    undated = published is None and art.origin == "backfill"
    fingerprint = make_fingerprint(text, title, undated=undated)
    # A copy (syndicated text) reports its original's events: no need to run the parser on it (an
    # article without a trigger word is never parsed: no need to look for its original either).
    extract = has_trigger((title or "") + "\n" + text) and store.copy_of(
        art.id, fingerprint=fingerprint, published=published, policy=commit_policy) is None
    return _Prepared(art.id, text, title, author, outlet, published, fingerprint, extract)


def _commit(store, prep: _Prepared, found: list, commit_policy):
    return store.commit_processed(prep.pk, text=prep.text, title=prep.title, author=prep.author,
                                  outlet=prep.outlet, published=prep.published, fingerprint=prep.fingerprint,
                                  events_found=found, policy=commit_policy)


def _summary(result) -> dict:
    if result is None:
        return {"skipped": "already processed"}
    if result.alerts:
        deliver_alerts.apply_async(kwargs={"ids": result.alerts}, queue="alerts")
    return {"events": len(result.new_events), "merged": len(result.merged_events),
            "duplicate_of": result.duplicate_of, "story_id": result.story_id}


@app.task(name="aidewatch.process_article", **policy.DB_RETRY)
def process_article(pk: int) -> dict:
    """Clean, fingerprint, extract and commit one article (copies, story, events, alerts)."""
    store = runtime.store()
    art = store.claim_article(pk, "fetched", lease_seconds=runtime.settings().lease_seconds)
    if art is None:
        return {"skipped": "not pending"}
    from workers.extract import extract_events

    from .commit_policy import make_policy
    try:
        commit_policy = make_policy()
        prep = _prepare(store, art, commit_policy)
        found = extract_events(runtime.nlp(), prep.text, title=prep.title, published=prep.published) \
            if prep.extract else []
        result = _commit(store, prep, found, commit_policy)
    except StoreError as exc:  # retried (DB_RETRY) from a free article, not one held by its own lease
        runtime.give_back_article(pk, exc)
        raise
    except StageError as exc:
        store.fail_article(pk, reason=exc.reason, detail=exc.detail or str(exc), final=True)
        return {"error": exc.reason}
    except SoftTimeLimitExceeded:
        store.fail_article(pk, reason="time_limit", detail="cleaning or extraction took too long", final=True)
        return {"error": "time_limit"}
    return _summary(result)


@app.task(name="aidewatch.process_articles", **policy.DB_RETRY)
def process_articles(pks: list[int]) -> dict:
    """A batch of backfill articles: claimed in one statement, the selected sentences of all of
    them parsed in one ``nlp.pipe`` call, then committed one by one in id order (one transaction
    each), which decides exactly as one ``process_article`` per article would."""
    from workers.extract import extract_events_many

    from .commit_policy import make_policy
    store = runtime.store()
    claimed = store.claim_articles(pks, "fetched", lease_seconds=runtime.settings().lease_seconds)
    commit_policy = make_policy()
    out = {"processed": 0, "skipped": len(pks) - len(claimed), "failed": 0}
    left = [art.id for art in claimed]
    try:
        ready: list[_Prepared] = []
        for art in claimed:
            try:
                ready.append(_prepare(store, art, commit_policy))
            except StageError as exc:
                store.fail_article(art.id, reason=exc.reason, detail=exc.detail or str(exc), final=True)
                left.remove(art.id)
                out["failed"] += 1
        to_parse = [p for p in ready if p.extract]
        found = dict(zip((p.pk for p in to_parse), extract_events_many(
            runtime.nlp(), [(p.text, p.title, p.published) for p in to_parse]))) if to_parse else {}
        for prep in ready:
            _summary(_commit(store, prep, found.get(prep.pk, []), commit_policy))
            left.remove(prep.pk)
            out["processed"] += 1
    except StoreError as exc:  # retried (DB_RETRY): the unfinished ones are free again for it
        for pk in left:
            runtime.give_back_article(pk, exc)
        raise
    except SoftTimeLimitExceeded:
        # Give the unfinished ones back one by one: a slow article then fails alone.
        for pk in left:
            store.defer_article(pk, retry_at=utcnow())
            process_article.apply_async((pk,), queue="backfill")
        out["requeued"] = len(left)
    return out
