"""The one transactional path that finishes an article: copies, story, events, alerts.

Everything here runs in one transaction under locks as narrow as the data it decides on
(``commit_keys``), so two workers that process two copies of one story at once still store
one root copy, one story, one event and one alert, while unrelated articles commit in parallel.
The decisions themselves (is this a copy, which story, is this the same event,
who is watched) are pure functions handed in by the caller as a ``CommitPolicy``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Sequence

from sqlalchemy import Connection, and_, select, text, update

from workers.model import StaffingEvent

from .schema import (alert_outbox, article_fingerprints, articles, event_sources, events,
                     lsh_bands, story_terms)
from .sql import dumps, insert_ignore, insert_rows, loads, naive_utc, try_insert, utcnow
from .writes import write


@dataclass(frozen=True)
class Fingerprint:
    """What the dedup index keeps of an article."""

    content_hash: str
    minhash: bytes
    band_keys: Sequence[int]
    profile: dict
    terms: Sequence[str]
    undated: bool = False  # an archive page with no publication date: the day it is filed under says nothing


@dataclass(frozen=True)
class CommitPolicy:
    """The pure decisions the commit applies (all injected by the task layer)."""

    similarity: Callable[[bytes, bytes], float]  # estimated Jaccard of two stored minhashes
    near_dup_threshold: float
    match_stories: Callable[[dict, datetime | None, list[tuple]], list[str]]  # best first
    same_event: Callable[[StaffingEvent, StaffingEvent, float | None, bool], bool]  # (.., days, same story)
    merge_key: Callable[[StaffingEvent], str]
    watch_match: Callable[[StaffingEvent, str | None], list[str]]  # -> watched names
    channels: Sequence[str] = ()
    alert_max_age_days: float = 7.0
    dup_window_days: float = 30.0
    story_window_days: float = 4.0
    story_candidates: int = 24   # articles compared per story decision, most shared terms first
    query_terms: int = 20        # an article is looked up by its heaviest terms (indexed by all)
    postings_per_term: int = 40  # newest articles looked up per index term
    event_window_days: float = 400.0  # background mentions of a move can come months later
    same_news_days: float = 1.0  # two articles that give one move as news this close are one story
    absorb: Callable[[StaffingEvent, StaffingEvent], dict] | None = None  # (event, further report) -> fields


@dataclass
class CommitResult:
    duplicate_of: str | None = None
    story_id: str | None = None
    new_events: list[str] = field(default_factory=list)
    merged_events: list[str] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)


def event_id(article_id: str, ev: StaffingEvent) -> str:
    """Deterministic id of an event first seen in ``article_id``."""
    raw = "|".join([article_id, ev.type, ev.person.lower(), (ev.role or "").lower(), str(ev.historical)])
    return hashlib.sha1(raw.encode()).hexdigest()[:24]


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.sha1(article_id.encode()).hexdigest()[:15]


class CommitStore:
    engine = None

    def commit_processed(self, pk: int, *, text: str, title: str | None, author: str | None,
                         outlet: str | None, published: datetime | None, fingerprint: Fingerprint,
                         events_found: list[StaffingEvent], policy: CommitPolicy) -> CommitResult | None:
        """Finish article ``pk`` in one transaction; None when it was already finished (a
        redelivered task). It locks only what it reads to decide and then writes: the article,
        its copy keys (content hash, LSH bands), its story index terms and its people's merge keys."""
        merge_keys = [policy.merge_key(ev)[:200] for ev in events_found]

        def commit(conn: Connection) -> CommitResult | None:
            art = conn.execute(select(articles).where(articles.c.id == pk)).first()
            if art is None or art.status == "processed":
                return None
            when = naive_utc(art.published or published) or art.discovered_at
            result = CommitResult()
            original = _find_copy(conn, pk, fingerprint, when, policy)
            if original is not None:
                result.duplicate_of = original.article_id
                result.story_id = original.story_id
                _copy_sources(conn, original.id, pk, result)
            else:
                result.story_id = _assign_story(conn, art.article_id, fingerprint, when, policy)
                _index(conn, pk, fingerprint, when)
                _record_events(conn, art, when, events_found, merge_keys, policy, result, text,
                               result.story_id)
                if result.story_id == story_id_for(art.article_id) and not fingerprint.undated:
                    result.story_id = _story_of_same_news(conn, pk, when, result, policy) or result.story_id
            conn.execute(update(articles).where(articles.c.id == pk), dict(  # parameters of a cached UPDATE
                status="processed", text=text, title=art.title or title, author=author,
                outlet=art.outlet or outlet, published=when, content_hash=fingerprint.content_hash,
                story_id=result.story_id, duplicate_of=result.duplicate_of, raw=None,
                lease_until=None, error=None, error_detail=None, processed_at=utcnow()))
            return result
        return write(self.engine, commit, keys=commit_keys(pk, fingerprint, merge_keys))

    def copy_of(self, pk: int, *, fingerprint: Fingerprint, published: datetime | None,
                policy: CommitPolicy) -> str | None:
        """The article_id of a processed article that ``pk`` copies, if any (read only, no lock).

        A copy's events are its original's, so the caller may skip extraction; the commit decides
        again under its lock (a processed original stays processed, so the answer cannot flip)."""
        with self.engine.connect().execution_options(read_only=True) as conn:
            art = conn.execute(select(articles.c.published, articles.c.discovered_at)
                               .where(articles.c.id == pk)).first()
            if art is None:
                return None
            when = naive_utc(art.published or published) or art.discovered_at
            row = _find_copy(conn, pk, fingerprint, when, policy)
            return row.article_id if row is not None else None


def commit_keys(pk: int, fp: Fingerprint, merge_keys: Sequence[str]) -> list[str]:
    """The locks of an article's commit: two commits wait for each other only when they could
    decide about each other — a copy shares the content hash or an LSH band, an article of the
    same story an index term (each article is looked up by, and indexed under, its terms), a
    report of the same move a person's merge key."""
    return [f"article:{pk}", f"copy:{fp.content_hash}", *(f"band:{k}" for k in set(fp.band_keys)),
            *(f"term:{t}" for t in {t[:200] for t in fp.terms}), *(f"event:{k}" for k in set(merge_keys))]


def _find_copy(conn: Connection, pk: int, fp: Fingerprint, published: datetime, policy: CommitPolicy):
    """The processed article this one copies (same text, or near-duplicate), if any."""
    # the earliest processed article of that text, chosen here among the few rows of the hash index:
    # a query that also filters on status or orders by id lets PostgreSQL walk the status index or
    # the primary key through the whole archive (80 ms an article at 1M articles, stale statistics)
    same = [r.id for r in conn.execute(select(articles.c.id, articles.c.status)
                                       .where(articles.c.content_hash == fp.content_hash))
            if r.status == "processed" and r.id != pk]
    row = conn.execute(select(articles).where(articles.c.id == min(same))).first() if same else None
    if row is None and fp.band_keys:
        window = timedelta(days=policy.dup_window_days)
        cands = conn.execute(
            select(lsh_bands.c.article_id, article_fingerprints.c.minhash).distinct()
            .join(article_fingerprints, article_fingerprints.c.article_id == lsh_bands.c.article_id)
            .where(and_(lsh_bands.c.band_key.in_(list(fp.band_keys)), lsh_bands.c.article_id != pk,
                        lsh_bands.c.published.between(published - window, published + window)))).all()
        best = max(((policy.similarity(fp.minhash, c.minhash), c.article_id) for c in cands), default=None)
        if best and best[0] >= policy.near_dup_threshold:
            row = conn.execute(select(articles).where(articles.c.id == best[1])).first()
    while row is not None and row.duplicate_of:  # point at the root copy
        nxt = conn.execute(select(articles).where(articles.c.article_id == row.duplicate_of)).first()
        if nxt is None:
            break
        row = nxt
    return row


def _copy_sources(conn: Connection, original_pk: int, pk: int, result: CommitResult) -> None:
    """A copy reports what its original reports: add it as a source of the same events."""
    now = utcnow()
    for src in conn.execute(select(event_sources).where(event_sources.c.article_id == original_pk)).all():
        if try_insert(conn, event_sources, src._asdict() | {"article_id": pk, "created_at": now}):
            result.merged_events.append(src.event_id)


_POSTINGS_PG = text(
    "SELECT p.article_id FROM unnest(CAST(:terms AS text[])) AS q(term) CROSS JOIN LATERAL "
    "(SELECT article_id FROM story_terms WHERE term = q.term AND published BETWEEN :lo AND :hi "
    "ORDER BY published DESC LIMIT :n) AS p")


def _postings(conn: Connection, terms: list[str], lo: datetime, hi: datetime, n: int) -> list[int]:
    """The newest ``n`` articles of each term within [lo, hi], one row per (term, article), in one
    round trip (PostgreSQL: a lateral join over the terms; SQLite: one indexed subquery a term)."""
    params = {"lo": lo, "hi": hi, "n": n}
    if conn.dialect.name == "postgresql":
        return [r[0] for r in conn.execute(_POSTINGS_PG, params | {"terms": terms})]
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT article_id FROM story_terms WHERE term = :t{i} "
        f"AND published BETWEEN :lo AND :hi ORDER BY published DESC LIMIT :n)" for i in range(len(terms)))
    return [r[0] for r in conn.execute(text(sql), params | {f"t{i}": t for i, t in enumerate(terms)})]


def _assign_story(conn: Connection, article_id: str, fp: Fingerprint, published: datetime,
                  policy: CommitPolicy) -> str:
    """Join the best matching story among the articles that share the most index terms within
    the window. Each term contributes its newest ``postings_per_term`` articles at most and the
    ``story_candidates`` sharing most terms are compared, so the cost per article stays flat
    however common a term (a president's name) becomes."""
    if fp.terms:
        window = timedelta(days=policy.story_window_days)
        shared: dict[int, int] = {}
        terms = list(dict.fromkeys(t[:200] for t in fp.terms[:policy.query_terms]))  # heaviest first
        for pk in _postings(conn, terms, published - window, published + window, policy.postings_per_term):
            shared[pk] = shared.get(pk, 0) + 1
        best = sorted(shared, key=lambda pk: (shared[pk], pk), reverse=True)[:policy.story_candidates]
        rows = conn.execute(
            select(articles.c.story_id, articles.c.article_id, article_fingerprints.c.story_profile,
                   articles.c.published)
            .join(article_fingerprints, article_fingerprints.c.article_id == articles.c.id)
            .where(articles.c.id.in_(best))).all() if best else []
        cands = [(r.story_id, r.article_id, loads(r.story_profile), r.published) for r in rows]
        found = policy.match_stories(fp.profile, published, cands) if cands else []
        if len(found) > 1:  # this article bridges stories that an arrival order kept apart
            conn.execute(update(articles).where(articles.c.story_id.in_(found[1:])).values(story_id=found[0]))
        if found:
            return found[0]
    return story_id_for(article_id)


def _story_of_same_news(conn: Connection, pk: int, published: datetime, result: CommitResult,
                        policy: CommitPolicy) -> str | None:
    """The story of the other articles that give, as news and within ``same_news_days``, a move this
    article (which started a story of its own) gives as news: short wires of one move often share
    too few words to be found by their text ("VOLCKER STEPPING DOWN" / "Fed chairman to leave").
    None unless exactly one such story."""
    if not result.merged_events:
        return None
    ours = select(event_sources.c.event_id).where(and_(
        event_sources.c.article_id == pk, event_sources.c.historical.is_(False),
        event_sources.c.event_id.in_(result.merged_events)))
    near = timedelta(days=policy.same_news_days)
    found = conn.execute(select(articles.c.story_id).distinct()
                         .join(event_sources, event_sources.c.article_id == articles.c.id)
                         .where(and_(event_sources.c.event_id.in_(ours), event_sources.c.historical.is_(False),
                                     articles.c.id != pk, articles.c.story_id.is_not(None),
                                     articles.c.published.between(published - near, published + near)))).all()
    return found[0].story_id if len(found) == 1 else None


def index_rows(pk: int, fp: Fingerprint, published: datetime) -> tuple[dict, list[dict], list[dict]]:
    """The dedup index rows of an article: its fingerprint, its LSH bands and its story terms."""
    return (dict(article_id=pk, minhash=fp.minhash, story_profile=dumps(fp.profile)),
            [dict(band_key=k, article_id=pk, published=published) for k in set(fp.band_keys)],
            [dict(term=t, article_id=pk, published=published) for t in {t[:200] for t in fp.terms}])


def event_row(eid: str, ev: StaffingEvent, key: str, reported: datetime, now: datetime) -> dict:
    """The row of a new event ``eid`` (first reported at ``reported``)."""
    return dict(id=eid, type=ev.type, person=ev.person, merge_key=key, role=ev.role,
                organisation=ev.organisation, counterpart=ev.counterpart, historical=ev.historical,
                confidence=ev.confidence, reported=reported, created_at=now)


REPORT_FIELDS = ("role", "organisation", "counterpart", "historical", "evidence", "confidence")


def source_row(eid: str, pk: int, ev: StaffingEvent, now: datetime) -> dict:
    """Article ``pk``'s report of event ``eid``: its own wording of the move."""
    return dict(event_id=eid, article_id=pk, created_at=now, **{f: getattr(ev, f) for f in REPORT_FIELDS})


def _index(conn: Connection, pk: int, fp: Fingerprint, published: datetime) -> None:
    fingerprint, bands, terms = index_rows(pk, fp, published)
    conn.execute(insert_ignore(conn, article_fingerprints), fingerprint)
    insert_rows(conn, lsh_bands, bands)
    insert_rows(conn, story_terms, terms)


def _as_event(row) -> StaffingEvent:
    return StaffingEvent(type=row.type, person=row.person, role=row.role, organisation=row.organisation,
                         counterpart=row.counterpart, historical=row.historical, evidence="",
                         confidence=row.confidence)


def _events_in_story(conn: Connection, event_ids: list[str], story_id: str) -> set[str]:
    """Those of ``event_ids`` reported by an article of ``story_id``."""
    if not event_ids:
        return set()
    rows = conn.execute(select(event_sources.c.event_id).distinct()
                        .join(articles, articles.c.id == event_sources.c.article_id)
                        .where(and_(event_sources.c.event_id.in_(event_ids), articles.c.story_id == story_id)))
    return {r.event_id for r in rows}


def _record_events(conn: Connection, art, published: datetime, found: list[StaffingEvent], keys: list[str],
                   policy: CommitPolicy, result: CommitResult, text: str, story_id: str | None) -> None:
    now = utcnow()
    max_age = art.alert_max_age_days if art.alert_max_age_days is not None else policy.alert_max_age_days
    fresh = not max_age or published >= now - timedelta(days=max_age)
    for ev, key, match in zip(found, keys, _match_events(conn, published, found, keys, policy, story_id)):
        if match is None:
            eid = event_id(art.article_id, ev)
            if try_insert(conn, events, event_row(eid, ev, key, published, now)):
                result.new_events.append(eid)
            else:  # this article gives the move twice
                match = conn.execute(select(events).where(events.c.id == eid)).first()
        else:
            eid = match.id
            result.merged_events.append(eid)
        if match is not None:
            _absorb(conn, match, ev, policy)
        source = source_row(eid, art.id, ev, now)
        if not try_insert(conn, event_sources, source) and not ev.historical:
            # The article gave this move twice (as background, then as the news): keep the news sentence.
            conn.execute(update(event_sources).where(and_(
                event_sources.c.event_id == eid, event_sources.c.article_id == art.id,
                event_sources.c.historical.is_(True))).values({f: source[f] for f in REPORT_FIELDS}))
        if art.alerts and fresh and not ev.historical and policy.channels:
            _queue_alerts(conn, eid, ev, text, policy, result, now, art.id)


def _match_events(conn: Connection, published: datetime, found: list[StaffingEvent], keys: list[str],
                  policy: CommitPolicy, story_id: str | None) -> list:
    """The stored event each found move is (a row), or None for a new one; no two moves of one
    article take the same event. First every move that matches by its post (``policy.same_event``);
    then, within one story, the one move of a person of a type left on each side (of several, the
    one given as news) is one move, since outlets name roles and organisations (and judge
    background) differently. Matching by post first keeps the outcome independent of the order
    in which the article gives its moves."""
    window = timedelta(days=policy.event_window_days)
    cands: dict[str, list] = {}
    for key in dict.fromkeys(keys):
        cands[key] = conn.execute(select(events).where(and_(
            events.c.merge_key == key, events.c.reported.between(published - window, published + window)))
            .order_by(events.c.created_at)).all()

    def days(c) -> float | None:
        return abs((c.reported - published).total_seconds()) / 86400 if c.reported else None
    matches: list = [None] * len(found)
    taken: set[str] = set()
    for i, (ev, key) in enumerate(zip(found, keys)):
        matches[i] = next((c for c in cands[key] if c.id not in taken
                           and policy.same_event(_as_event(c), ev, days(c), False)), None)
        if matches[i] is not None:
            taken.add(matches[i].id)
    if story_id:
        for key in cands:
            left = _the_news([i for i, k in enumerate(keys) if k == key and matches[i] is None],
                             lambda i: found[i].historical)
            free = [c for c in cands[key] if c.id not in taken]
            if len(left) != 1 or not free:
                continue
            in_story = _events_in_story(conn, [c.id for c in free], story_id)
            alike = _the_news([c for c in free if c.id in in_story], lambda c: c.historical)
            if len(alike) == 1 and policy.same_event(_as_event(alike[0]), found[left[0]], days(alike[0]), True):
                matches[left[0]] = alike[0]
                taken.add(alike[0].id)
    return matches


def _the_news(moves: list, historical: Callable) -> list:
    """One move stands for the side; of several, the ones given as news (background mentions are
    earlier steps of a career)."""
    return moves if len(moves) < 2 else [m for m in moves if not historical(m)]


def _absorb(conn: Connection, row, ev: StaffingEvent, policy: CommitPolicy) -> None:
    """Update a merged event by a further report: news when any source gives it as news, and
    the fullest wording (``policy.absorb``); each source keeps its own in its event_sources row."""
    changes = dict(policy.absorb(_as_event(row), ev)) if policy.absorb else {}
    if row.historical and not ev.historical:
        changes["historical"] = False
    if changes:
        conn.execute(update(events).where(events.c.id == row.id).values(**changes))


def _queue_alerts(conn: Connection, eid: str, ev: StaffingEvent, text: str | None,
                  policy: CommitPolicy, result: CommitResult, now: datetime, source_pk: int) -> None:
    """One outbox row per (event, channel), once: later sources never alert again. The row
    names the article that raised it, so the alert quotes that article's sentence."""
    if conn.execute(select(alert_outbox.c.id).where(alert_outbox.c.event_id == eid).limit(1)).first():
        return
    names = policy.watch_match(ev, text)
    if not names:
        return
    for channel in policy.channels:
        alert_id = try_insert(conn, alert_outbox, dict(
            event_id=eid, channel=channel, watch_name=names[0][:200], status="pending", attempts=0,
            next_attempt_at=now, created_at=now, source_article_id=source_pk), returning=alert_outbox.c.id)
        if alert_id is not None:
            result.alerts.append(alert_id)
