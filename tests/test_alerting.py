"""Alerts through the real pipeline tasks (run in this process on SQLite) to real JSON webhooks:
one alert per event and channel under failures, retries and redelivery; only news alerts;
watchlist matching as the pipeline applies it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from pipeline_env import SEEDS, inprocess
from storage.schema import alert_outbox
from webhook import WebhookReceiver
from workers.model import WatchPerson

HUFFPOST = (SEEDS / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")
HERALD = (SEEDS / "001_d79ee27f620f07d6.txt").read_text(encoding="utf-8")
NOW = datetime.now(timezone.utc)
SMITH_NEWS = ("John Smith has resigned as chief executive of Acme Corp, the company said on Monday. "
              "Smith said he was proud of his team.")


def _process(store, article_id: str, text: str, *, published=NOW, origin="feed", alerts=True,
             outlet="Test Outlet", alert_max_age_days=None) -> int:
    from tasks.pipeline import process_article
    pk, _ = store.add_article(article_id=article_id, origin=origin, alerts=alerts, text=text, outlet=outlet,
                              published=published, url=f"https://news.example/{article_id}",
                              alert_max_age_days=alert_max_age_days)
    res = process_article(pk)  # the task body, here; the deliver_alerts message it sends waits unused
    assert "error" not in res, res
    return pk


def _deliver(**kw) -> dict:
    from tasks.alerting import deliver_alerts
    return deliver_alerts(**kw)


def _make_due(store) -> None:
    """Fast-forward the clock of the back-off: every pending alert is due now."""
    with store.engine.begin() as conn:
        conn.execute(update(alert_outbox).where(alert_outbox.c.status == "pending")
                     .values(next_attempt_at=datetime(2000, 1, 1)))


def _outbox(store) -> dict[str, dict]:
    return {r["channel"].rsplit("/", 1)[-1]: r for r in store.list_alerts(limit=100)}


def test_two_channels_one_failing_then_recovering(tmp_path):
    with WebhookReceiver() as good, WebhookReceiver(status=503) as flaky:
        urls = f"json://127.0.0.1:{good.port}/good, json://127.0.0.1:{flaky.port}/flaky"
        with inprocess(tmp_path, AIDEWATCH_ALERT_URLS=urls, AIDEWATCH_ALERT_MAX_AGE_DAYS="0") as store:
            store.add_watch(WatchPerson("Simon Fletcher", ("Mr Fletcher",)))
            _process(store, "huffpost", HUFFPOST, published=datetime(2017, 2, 17), outlet="HuffPost UK")
            assert _deliver() == {"sent": 1, "failed": 1}
            rows = _outbox(store)
            assert rows["good"]["status"] == "sent" and rows["flaky"]["status"] == "pending"
            assert rows["flaky"]["attempts"] == 1 and "503" in rows["flaky"]["last_error"]
            assert rows["flaky"]["next_attempt_at"] > datetime.now(timezone.utc).replace(tzinfo=None)
            assert any(e["scope"] == "alert" for e in store.last_errors())  # visible in status

            # not due yet: nothing is sent, to either channel
            assert _deliver() == {"sent": 0, "failed": 0}
            # a second failure backs off further
            _make_due(store)
            assert _deliver() == {"sent": 0, "failed": 1}
            assert _outbox(store)["flaky"]["attempts"] == 2

            # a later source of the same event: no new alert rows
            _process(store, "herald", HERALD, published=datetime(2017, 2, 18), outlet="The Herald")
            assert store.alert_counts() == {"sent": 1, "pending": 1}

            flaky.status = 200
            _make_due(store)
            assert _deliver() == {"sent": 1, "failed": 0}
            # redelivered messages (all alerts, or by id) and a redelivered process task add nothing
            ids = [r["id"] for r in store.list_alerts()]
            assert _deliver() == _deliver(ids=ids) == {"sent": 0, "failed": 0}
            from tasks.pipeline import process_article
            assert "skipped" in process_article(store.article_pks(["huffpost"])["huffpost"])
            assert _deliver() == {"sent": 0, "failed": 0}

    assert len(good.requests) == 1
    assert len(flaky.requests) == 3  # two failures, one success
    assert store.alert_counts() == {"sent": 2}
    sent = flaky.requests[-1]["json"]
    # the same move; the later delivery may name the organisation more fully (the Herald's wording)
    assert sent["title"].startswith(good.requests[0]["json"]["title"])
    assert "Simon Fletcher" in sent["title"]
    # delivered after the Herald arrived: both outlets and both links are in the message
    assert "Reported by: HuffPost UK (2017-02-17), The Herald (2017-02-18)" in sent["message"]
    assert "https://news.example/herald" in sent["message"]
    assert "(HuffPost UK)" in sent["message"]  # the evidence of the source that raised the alert


def test_a_leased_alert_is_not_sent_twice_at_once(tmp_path):
    with WebhookReceiver() as hook:
        with inprocess(tmp_path, AIDEWATCH_ALERT_URLS=f"json://127.0.0.1:{hook.port}/h") as store:
            store.add_watch(WatchPerson("John Smith"))
            _process(store, "smith", SMITH_NEWS)
            held = store.claim_due_alerts(lease_seconds=60)  # another worker holds it
            assert len(held) == 1
            assert _deliver() == {"sent": 0, "failed": 0}
            assert hook.requests == []
            store.alert_sent(held[0].id)
            assert _deliver() == {"sent": 0, "failed": 0}
    assert store.alert_counts() == {"sent": 1}


def test_evidence_is_the_sentence_of_the_source_that_raised_the_alert(tmp_path):
    with WebhookReceiver() as hook:
        env = dict(AIDEWATCH_ALERT_URLS=f"json://127.0.0.1:{hook.port}/h", AIDEWATCH_ALERT_MAX_AGE_DAYS="0")
        with inprocess(tmp_path, **env) as store:
            store.add_watch(WatchPerson("Simon Fletcher"))
            # the earliest report arrives by backfill (no alert), the live one later raises it
            _process(store, "huffpost", HUFFPOST, published=datetime(2017, 2, 17), outlet="HuffPost UK",
                     origin="backfill", alerts=False)
            assert store.alert_counts() == {}
            _process(store, "herald", HERALD, published=datetime(2017, 2, 18), outlet="The Herald")
            assert _deliver() == {"sent": 1, "failed": 0}
            event = next(e for e in store.iter_events() if e["person"] == "Simon Fletcher" and not e["historical"])
    evidence = {s["article_id"]: " ".join(s["evidence"].split()) for s in event["sources"]}
    assert set(evidence) == {"huffpost", "herald"} and evidence["huffpost"] != evidence["herald"]
    body = hook.requests[0]["json"]["message"]
    # not the earliest source's sentence (HuffPost's), but the one of the report that raised the alert
    assert f"“{evidence['herald'][:400]}" in body and "” (The Herald)" in body
    assert evidence["huffpost"][:400] not in body
    assert "Reported by: HuffPost UK (2017-02-17), The Herald (2017-02-18)" in body


@pytest.mark.parametrize("case", ["historical", "backfill", "too_old", "feed_limit", "not_watched",
                                  "other_person", "surname_only", "other_org"])
def test_no_alert(tmp_path, case):
    text, kw, watch, max_age = SMITH_NEWS, {}, WatchPerson("John Smith"), "7"
    if case == "historical":
        text = ("In 2013, John Smith stepped down as chief executive of Acme Corp. He now runs a bakery "
                "in Leeds and was speaking at a conference on Monday.")
    elif case == "backfill":
        kw = dict(origin="backfill", alerts=False)
    elif case == "too_old":
        kw = dict(published=NOW - timedelta(days=8))
    elif case == "feed_limit":  # the feed's own limit wins over the setting (0 = none)
        kw, max_age = dict(published=NOW - timedelta(days=3), alert_max_age_days=2), "0"
    elif case == "not_watched":
        watch = WatchPerson("Jane Doe")
    elif case == "other_person":
        text = SMITH_NEWS.replace("Smith", "Smithson")
    elif case == "surname_only":  # "Smith" alone: the article never names John Smith
        text = ("Acme Corp said on Monday that Smith has resigned as chief executive. "
                "Smith said he was proud of his team.")
    elif case == "other_org":
        watch = WatchPerson("John Smith", organisations=("Labour",))
    with inprocess(tmp_path, AIDEWATCH_ALERT_MAX_AGE_DAYS=max_age) as store:
        store.add_watch(watch)
        _process(store, "a1", text, **kw)
        assert list(store.iter_events()), "the event is stored all the same"
        assert store.alert_counts() == {}


@pytest.mark.parametrize("case", ["control", "surname_with_full_name", "alias", "org_scope"])
def test_alert(tmp_path, case):
    text, watch = SMITH_NEWS, WatchPerson("John Smith")
    if case == "surname_with_full_name":
        text = ("John Smith spoke at the Acme Corp conference last month. On Monday the company said "
                "Smith has resigned as chief executive.")
    elif case == "alias":
        watch = WatchPerson("Jonathan Smith", aliases=("John Smith",))
    elif case == "org_scope":
        watch = WatchPerson("John Smith", organisations=("Acme",))
    with inprocess(tmp_path, AIDEWATCH_ALERT_MAX_AGE_DAYS="7") as store:
        store.add_watch(watch)
        _process(store, "a1", text, published=NOW - timedelta(days=1))
        assert store.alert_counts() == {"pending": 1}  # to the log channel (no URL configured)
        assert _deliver() == {"sent": 1, "failed": 0}
        assert store.list_alerts()[0]["watch_name"] == watch.name


def test_watch_import_add_list_remove(tmp_path):
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(SEEDS.parent),
               AIDEWATCH_WATCHLIST_FILE=str(tmp_path / "none.toml"))

    def cli(*args, code=0):
        res = subprocess.run([sys.executable, "-m", "aidewatch.cli", "watch", *args], env=env,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == code, res.stderr
        return res.stdout if code == 0 else res.stderr  # logs (the store in use) go to stderr
    wl = tmp_path / "people.toml"
    wl.write_text('[[people]]\nname = "John Smith"\naliases = ["Johnny Smith"]\norganisations = ["Acme"]\n'
                  '[[people]]\nname = "Jane Doe"\n')
    cli("add", "Karie Murphy", "--alias", "Ms Murphy", "--org", "Labour")
    assert "watching 2 people" in cli("import", str(wl))
    assert cli("list").splitlines() == ["Jane Doe", "John Smith\taliases: Johnny Smith; at: Acme",
                                        "Karie Murphy\taliases: Ms Murphy; at: Labour"]
    assert "removed 1" in cli("import", str(wl), "--replace")
    assert "Karie Murphy" not in cli("list")
    wl.write_text('[[people]]\nnom = "x"\n')
    assert "unknown key" in cli("import", str(wl), code=2)
    cli("remove", "Jane Doe")
    assert cli("list").splitlines() == ["John Smith\taliases: Johnny Smith; at: Acme"]


def test_webhook_gets_the_structured_payload_and_a_repeat_carries_the_same_key(tmp_path):
    """The crash window: the receiver accepted, the worker died before marking the row sent. The
    row is sent again after its lease, with the same idempotency key (body and header)."""
    with WebhookReceiver() as a, WebhookReceiver() as b:
        urls = f"json://127.0.0.1:{a.port}/a json://127.0.0.1:{b.port}/b"
        with inprocess(tmp_path, AIDEWATCH_ALERT_URLS=urls, AIDEWATCH_ALERT_MAX_AGE_DAYS="0") as store:
            store.add_watch(WatchPerson("Simon Fletcher", ("Mr Fletcher",)))
            _process(store, "huffpost", HUFFPOST, published=datetime(2017, 2, 17), outlet="HuffPost UK")
            assert _deliver() == {"sent": 2, "failed": 0}
            with store.engine.begin() as conn:  # as if the worker died before alert_sent committed
                conn.execute(update(alert_outbox).where(alert_outbox.c.channel.endswith("/a"))
                             .values(status="pending", sent_at=None))
            assert _deliver() == {"sent": 1, "failed": 0}
            event = store.get_event(a.requests[0]["json"]["event_id"])
    first, again = a.requests
    assert first["json"] == again["json"] and first["headers"]["Idempotency-Key"] == again["headers"]["Idempotency-Key"]
    p = first["json"]
    assert p["idempotency_key"] == first["headers"]["Idempotency-Key"]
    assert p["idempotency_key"] != b.requests[0]["json"]["idempotency_key"]  # per channel
    assert p["event_id"] == event["id"] and p["person"] == "Simon Fletcher" and p["type"] == "departure"
    assert p["watched"] == "Simon Fletcher"
    assert [s["outlet"] for s in p["sources"]] == ["HuffPost UK"] and p["links"] == ["https://news.example/huffpost"]
    assert p["evidence"]["outlet"] == "HuffPost UK" and p["evidence"]["text"] in p["message"]
