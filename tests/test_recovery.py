"""Unfinished work is found again from the store: a worker group SIGKILLed in the middle of a batch
leaves articles claimed (leased) by tasks that will never finish; once their leases end, ``tick``
sends them again even while the live queues are busy, and each article completes exactly once."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import psycopg
from celery import Celery

from pipeline_env import Hook, kill_group, start_worker, stop, wait_for, worker_env
from storage import Store
from workers.model import WatchPerson

PEOPLE = ["Harriet Quennell", "Ambrose Fairweather", "Cordelia Pennington", "Lucian Ashcombe",
          "Winifred Talbot", "Barnaby Colquhoun", "Imogen Strachan", "Percival Hadley"]
ORGS = ["Northgate Water", "Brightline Rail", "Harbour Bank", "Kestrel Airways", "Meridian Foods",
        "Albion Insurance", "Redfern Media", "Calder Energy"]
PLACES = ["Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast", "Norwich", "Derby", "Exeter"]


def _text(i: int) -> str:
    person, org, place = PEOPLE[i], ORGS[i], PLACES[i]
    sur = person.split()[1]
    return (f"{org} has appointed {person} as its new chief executive, the company said on Tuesday. "
            f"{sur} joins from a rival firm and will take up the post next month. "
            f"The firm's {place} depot, opened in {1950 + 7 * i}, employs {120 + 13 * i} people on "
            f"{3 + i} sites; its {place} office handles {40 + 9 * i} contracts a year.")


def _claimed(store: Store, pks) -> list[int]:
    return [a["id"] for a in map(store.get_article, pks) if a["status"] == "fetched" and a["lease_until"]]


def test_killed_batch_is_recovered_by_tick_while_queues_are_busy(tmp_path, postgres_url, fresh_redis):
    store = Store(postgres_url)
    for name in PEOPLE[:4]:
        store.add_watch(WatchPerson(name=name))
    pks = [store.add_article(article_id=f"a{i}", origin="feed", alerts=True, text=_text(i),
                             published=datetime.now(timezone.utc))[0] for i in range(len(PEOPLE))]
    # An article waiting in the fetch queue, which no worker here consumes: the live queues are
    # never idle, so only the recovery of expired leases can bring the killed batch back.
    busy, _ = store.add_article(article_id="waiting", url="http://127.0.0.1:9/never", origin="feed", alerts=False)
    client = Celery(broker=fresh_redis)
    client.send_task("aidewatch.fetch_article", args=(busy,), queue="fetch")
    for pk in pks:
        client.send_task("aidewatch.process_article", args=(pk,), queue="process")
    with Hook() as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, AIDEWATCH_LEASE_SECONDS=6,
                         AIDEWATCH_VISIBILITY_TIMEOUT=600,  # the killed worker's messages stay away
                         AIDEWATCH_BEAT_SECONDS=1, AIDEWATCH_TASK_TIME_LIMIT=30, AIDEWATCH_ALERT_RETRY_SECONDS=1)
        # The first worker's tasks claim their articles and then wait in the commit (the table they
        # write is locked), where the SIGKILL finds them: claimed, unfinished, their messages lost.
        lock = psycopg.connect(postgres_url)
        lock.execute("LOCK TABLE article_fingerprints IN EXCLUSIVE MODE")
        first = start_worker(tmp_path, env, "first", concurrency=2, queues="process")
        second = None
        try:
            claimed = wait_for(lambda: len(_claimed(store, pks)) == 2 and _claimed(store, pks), 90,
                               "two articles claimed by the first worker", 0.05)
            kill_group(first)
            lock.rollback()
            assert all(store.article_status(pk) == "fetched" for pk in pks)
            second = start_worker(tmp_path, env, "second", concurrency=2, beat=True, queues="alerts,poll,process")
            try:
                wait_for(lambda: all(store.article_status(pk) == "processed" for pk in pks) and hook.delivered >= 4,
                         60, "every article of the killed batch to be processed")
            except AssertionError as exc:
                state = [(a["id"], a["status"], a["lease_until"], a["attempts"], a["error"])
                         for a in map(store.get_article, pks)]
                raise AssertionError(f"{exc}: {state} {store.alert_counts()} {hook.log}") from None
            time.sleep(3)
        finally:
            lock.close()
            stop(first)
            if second:
                stop(second)
        assert store.article_status(busy) == "discovered"  # it stayed in the busy queue throughout
        events = [e for e in store.iter_events() if not e["historical"]]
        assert sorted(e["person"] for e in events) == sorted(PEOPLE), events
        assert all(len(e["sources"]) == 1 for e in events)
        assert store.alert_counts() == {"sent": 4} and hook.delivered == 4, hook.log
        assert all(store.get_article(pk)["attempts"] <= (3 if pk in claimed else 1) for pk in pks)
