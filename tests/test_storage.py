"""The store on SQLite and on a real PostgreSQL: idempotent writes, claims, the commit path."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage import CommitPolicy, Fingerprint, Store
from storage.schema import metadata
from storage.sql import utcnow
from workers.model import StaffingEvent, WatchPerson


def _policy(**kw) -> CommitPolicy:
    base = dict(
        similarity=lambda a, b: 1.0 if a == b else 0.0,
        near_dup_threshold=0.9,
        match_stories=lambda profile, published, cands: sorted(
            {c[0] for c in cands if set(c[2]["names"]) & set(profile["names"])}),
        same_event=lambda a, b, days, story: a.person == b.person and a.type == b.type
        and a.historical == b.historical,
        merge_key=lambda ev: ev.person.split()[-1].lower() + ":" + ev.type,
        watch_match=lambda ev, text: ["Ann Lee"] if ev.person == "Ann Lee" else [],
        channels=("json://127.0.0.1:9/hook",),
        alert_max_age_days=0,
    )
    base.update(kw)
    return CommitPolicy(**base)


def _fp(text: str, names: list[str]) -> Fingerprint:
    return Fingerprint(content_hash=str(hash(text)), minhash=text.encode()[:64], band_keys=[len(text)],
                       profile={"names": names}, terms=names)


def _event(person="Ann Lee", type_="departure", historical=False) -> StaffingEvent:
    return StaffingEvent(type=type_, person=person, role="chief of staff", organisation="Labour",
                         counterpart=None, historical=historical, evidence=f"{person} resigned.", confidence=0.9)


def _article(store: Store, article_id: str, text: str, **kw) -> int:
    pk, _ = store.add_article(article_id=article_id, origin="feed", alerts=True, text=text,
                              published=kw.pop("published", datetime(2024, 5, 1)), **kw)
    return pk


def _commit(store, pk, text, names, events, **policy):
    assert store.claim_article(pk, "fetched", lease_seconds=60)
    return store.commit_processed(pk, text=text, title=None, author=None, outlet=None, published=None,
                                  fingerprint=_fp(text, names), events_found=events, policy=_policy(**policy))


def test_migrations_match_the_tables(store_url):
    store = Store(store_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_add_article_is_idempotent_by_id_and_canonical_url(store_url):
    store = Store(store_url)
    a, created = store.add_article(article_id="https://x.test/a", canonical_url="https://x.test/a",
                                   origin="feed", alerts=True)
    b, again = store.add_article(article_id="https://x.test/a", canonical_url="https://x.test/a",
                                 origin="feed", alerts=True)
    c, other_id = store.add_article(article_id="guid-1", canonical_url="https://x.test/a", origin="feed",
                                    alerts=True)
    assert created and not again and not other_id
    assert a == b == c
    assert store.counts()["articles"] == 1


def test_claim_due_feeds_never_hands_a_feed_out_twice(store_url):
    store = Store(store_url)
    for i in range(20):
        store.add_feed(f"f{i}", url=f"https://x.test/{i}.xml", interval_minutes=15)
    got: list[int] = []

    def claim():
        other = Store(store_url, migrate_schema=False)
        got.extend(f.id for f in other.claim_due_feeds(lease_seconds=60))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(set(got)) and len(got) == 20
    assert store.claim_due_feeds(lease_seconds=60) == []


def test_failed_poll_is_recorded_with_next_check(store_url):
    store = Store(store_url)
    fid = store.add_feed("f", url="https://x.test/f.xml")
    later = utcnow() + timedelta(minutes=5)
    assert store.fail_poll(fid, reason="http_error", detail="500 Internal Server Error", next_check_at=later,
                           status=500) == 1
    feed = store.get_feed(fid)
    assert feed.error_count == 1 and "http_error" in feed.last_error
    assert store.last_errors()[0]["reason"] == "http_error"


def test_claimed_article_is_not_claimed_again(store_url):
    store = Store(store_url)
    pk = _article(store, "a1", "text")
    assert store.claim_article(pk, "fetched", lease_seconds=60) is not None
    assert store.claim_article(pk, "fetched", lease_seconds=60) is None


def test_one_event_with_two_sources_and_one_alert(store_url):
    store = Store(store_url)
    store.add_watch(WatchPerson("Ann Lee"))
    a = _article(store, "a1", "Ann Lee resigned as chief of staff.")
    b = _article(store, "b1", "Labour's Ann Lee quits.")
    r1 = _commit(store, a, "Ann Lee resigned as chief of staff.", ["Ann Lee"], [_event()])
    r2 = _commit(store, b, "Labour's Ann Lee quits.", ["Ann Lee"], [_event()])
    assert len(r1.new_events) == 1 and r2.new_events == [] and r2.merged_events == r1.new_events
    assert r1.story_id == r2.story_id
    assert len(r1.alerts) == 1 and r2.alerts == []
    events = list(store.iter_events())
    assert len(events) == 1 and [s["article_id"] for s in events[0]["sources"]] == ["a1", "b1"]
    # a redelivered task finds the article done and writes nothing
    assert store.commit_processed(a, text="x", title=None, author=None, outlet=None, published=None,
                                  fingerprint=_fp("x", []), events_found=[_event()], policy=_policy()) is None
    assert store.alert_counts() == {"pending": 1}


def test_historical_and_current_moves_stay_apart_and_only_news_alerts(store_url):
    store = Store(store_url)
    pk = _article(store, "a1", "text")
    r = _commit(store, pk, "text", ["Ann Lee"], [_event(historical=True), _event()])
    assert len(r.new_events) == 2
    assert len(r.alerts) == 1


def test_exact_copy_is_marked_and_shares_events(store_url):
    store = Store(store_url)
    a = _article(store, "a1", "same words")
    b = _article(store, "b1", "same words")
    _commit(store, a, "same words", ["Ann Lee"], [_event()])
    r = _commit(store, b, "same words", ["Ann Lee"], [])
    assert r.duplicate_of == "a1"
    arts = {x["article_id"]: x for x in store.iter_articles()}
    assert arts["b1"]["duplicate_of"] == "a1" and arts["b1"]["story_id"] == arts["a1"]["story_id"]
    assert len(next(store.iter_events())["sources"]) == 2


def test_old_or_backfilled_articles_do_not_alert(store_url):
    store = Store(store_url)
    pk, _ = store.add_article(article_id="old", origin="feed", alerts=True, text="t",
                              published=utcnow() - timedelta(days=30))
    assert _commit(store, pk, "t", [], [_event()], alert_max_age_days=7).alerts == []
    pk, _ = store.add_article(article_id="bf", origin="backfill", alerts=False, text="u", published=utcnow())
    assert _commit(store, pk, "u", [], [_event(person="Ann Lee")]).alerts == []


def test_alert_outbox_lifecycle(store_url):
    store = Store(store_url)
    pk = _article(store, "a1", "text")
    _commit(store, pk, "text", [], [_event()])
    (row,) = store.claim_due_alerts(lease_seconds=60)
    assert store.claim_due_alerts(lease_seconds=60) == []  # leased: not handed out twice
    store.alert_failed(row.id, error="503 from receiver", retry_at=utcnow() - timedelta(seconds=1))
    (again,) = store.claim_due_alerts(lease_seconds=60)
    assert again.attempts == 2
    store.alert_failed(again.id, error="503 from receiver", retry_at=None)
    assert store.alert_counts() == {"failed": 1}


def test_copy_of_finds_a_processed_original_without_writing(store_url):
    store = Store(store_url)
    first = _article(store, "orig", "Ann Lee resigned.")
    assert store.copy_of(first, fingerprint=_fp("Ann Lee resigned.", ["Ann Lee"]), published=None,
                         policy=_policy()) is None
    _commit(store, first, "Ann Lee resigned.", ["Ann Lee"], [_event()])
    second = _article(store, "copy", "Ann Lee resigned.")
    fp = _fp("Ann Lee resigned.", ["Ann Lee"])
    assert store.copy_of(second, fingerprint=fp, published=None, policy=_policy()) == "orig"
    assert store.get_article(second)["status"] == "fetched"
    # the commit agrees, and the copy reports the original's event even with no events of its own
    assert _commit(store, second, "Ann Lee resigned.", ["Ann Lee"], []).duplicate_of == "orig"
    assert [len(e["sources"]) for e in store.iter_events()] == [2]


def test_an_article_that_bridges_two_stories_joins_them(store_url):
    store = Store(store_url)
    a = _article(store, "a1", "first outlet")
    b = _article(store, "b1", "second outlet")
    c = _article(store, "c1", "third outlet")
    _commit(store, a, "first outlet", ["Ann Lee"], [])
    _commit(store, b, "second outlet", ["Labour HQ"], [])
    _commit(store, c, "third outlet", ["Ann Lee", "Labour HQ"], [])
    stories = {x["article_id"]: x["story_id"] for x in store.iter_articles()}
    assert stories["a1"] == stories["b1"] == stories["c1"]


def test_bulk_loaded_articles_are_found_by_the_live_path(store_url):
    """Rows written by ``load_decided`` are a real index: a later copy, story and move find them."""
    from storage.bulk import DecidedArticle

    store = Store(store_url)
    first = store.next_article_pk()
    policy = _policy()
    ev = _event()
    text = "Ann Lee quits as chief of staff"
    store.load_decided([
        DecidedArticle(pk=first, article_id="bulk-1", text=text, published=datetime(2024, 5, 1),
                       outlet="X", fingerprint=_fp(text, ["Ann Lee"]), story_id="s-bulk",
                       events=((ev, policy.merge_key(ev)),)),
        DecidedArticle(pk=first + 1, article_id="bulk-2", text=text + ".", published=datetime(2024, 5, 1),
                       outlet="Y", fingerprint=_fp(text, ["Ann Lee"]), story_id="s-bulk",
                       duplicate_of="bulk-1"),
    ])
    copy = _article(store, "live-copy", text)
    assert copy == first + 2  # the row ids go on after the bulk rows (PostgreSQL: the sequence moved)
    result = _commit(store, copy, text, ["Ann Lee"], [])
    assert result.duplicate_of == "bulk-1" and result.story_id == "s-bulk"
    follow_up = _article(store, "live-follow-up", "Lee's exit, day two")
    result = _commit(store, follow_up, "Lee's exit, day two", ["Ann Lee"], [_event()])
    assert result.story_id == "s-bulk" and result.new_events == [] and len(result.merged_events) == 1


def test_insert_rows_writes_each_row_once_and_keeps_existing_ones(store_url):
    """Index postings go in as one statement on PostgreSQL (arrays) and executemany on SQLite:
    the same rows either way, a posting already there left as it was."""
    from sqlalchemy import select

    from storage.schema import lsh_bands, story_terms
    from storage.sql import insert_rows

    store = Store(store_url)
    pk = _article(store, "indexed", "text")
    day, later_day = datetime(2024, 5, 1), datetime(2024, 6, 1)
    with store.engine.begin() as conn:
        insert_rows(conn, lsh_bands, [dict(band_key=k, article_id=pk, published=day) for k in (-2**63, 7, 2**63 - 1)])
        insert_rows(conn, story_terms, [dict(term="p:lee", article_id=pk, published=day)])
        insert_rows(conn, story_terms, [])
    with store.engine.begin() as conn:  # a redelivered commit writes the same postings again
        insert_rows(conn, lsh_bands, [dict(band_key=7, article_id=pk, published=later_day),
                                      dict(band_key=8, article_id=pk, published=later_day)])
        insert_rows(conn, story_terms, [dict(term="p:lee", article_id=pk, published=later_day),
                                        dict(term="n:ann lee", article_id=pk, published=later_day)])
    with store.engine.connect() as conn:
        bands = sorted(tuple(r) for r in conn.execute(select(lsh_bands.c.band_key, lsh_bands.c.published)))
        terms = sorted(tuple(r) for r in conn.execute(select(story_terms.c.term, story_terms.c.published)))
    assert bands == [(-2**63, day), (7, day), (8, later_day), (2**63 - 1, day)]
    assert terms == [("n:ann lee", later_day), ("p:lee", day)]
