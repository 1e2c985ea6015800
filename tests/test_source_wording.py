"""Each source speaks for itself: per-source role, organisation, counterpart and historical flag,
stored and exported, on SQLite and PostgreSQL; the merged event is news when any source says so."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from storage import CommitPolicy, Fingerprint, Store
from storage.db import alembic_config
from workers.event_merge import absorb, merge_key, same_event
from workers.model import StaffingEvent

ROOT = Path(__file__).resolve().parent.parent


def _policy() -> CommitPolicy:
    return CommitPolicy(
        similarity=lambda a, b: 1.0 if a == b else 0.0, near_dup_threshold=0.9,
        match_stories=lambda profile, published, cands: sorted(
            {c[0] for c in cands if set(c[2]["names"]) & set(profile["names"])}),
        same_event=lambda a, b, days, story: same_event(a, b, days_apart=days, same_story=story),
        merge_key=merge_key, absorb=absorb, watch_match=lambda ev, text: [], channels=())


def _commit(store: Store, article_id: str, body: str, published: datetime, events: list[StaffingEvent],
            outlet: str) -> None:
    pk, _ = store.add_article(article_id=article_id, origin="backfill", alerts=False, text=body,
                              published=published, outlet=outlet, url=f"https://news.test/{article_id}")
    assert store.claim_article(pk, "fetched", lease_seconds=60)
    fp = Fingerprint(content_hash=article_id, minhash=article_id.encode(), band_keys=[hash(article_id) % 1000],
                     profile={"names": ["Ines Varga"]}, terms=["p:varga"])
    store.commit_processed(pk, text=body, title=None, author=None, outlet=outlet, published=None,
                           fingerprint=fp, events_found=events, policy=_policy())


def _ev(role, org, historical, counterpart=None) -> StaffingEvent:
    return StaffingEvent(type="departure", person="Ines Varga", role=role, organisation=org,
                         counterpart=counterpart, historical=historical, evidence=f"Varga left ({role}).",
                         confidence=0.8)


def _fill(store: Store) -> None:
    # A later report mentions the move as background first (ingest order is not publication order),
    # then the wire that broke it, then a follow-up that names the successor.
    _commit(store, "weekly", "Varga, who left the Fed last week, ...", datetime(2024, 3, 12),
            [_ev("chairman", "Fed", True)], "Weekly Review")
    _commit(store, "wire", "Ines Varga resigned as chairman of the Federal Reserve Board.", datetime(2024, 3, 5),
            [_ev("chairman", "Federal Reserve Board", False)], "Wire")
    _commit(store, "follow", "Varga, who stepped down as Fed chairman, will be succeeded by Omar Dale.",
            datetime(2024, 3, 6), [_ev("Fed chairman", None, False, counterpart="Omar Dale")], "Daily")


def test_each_source_keeps_its_own_wording_and_news_wins(store_url):
    store = Store(store_url)
    _fill(store)
    (event,) = list(store.iter_events())
    assert event["historical"] is False  # news in two sources, background in one
    assert event["organisation"] == "Federal Reserve Board"  # the fullest form, not "Fed"
    assert event["counterpart"] == "Omar Dale"
    by_id = {s["article_id"]: s for s in event["sources"]}
    assert [s["article_id"] for s in event["sources"]] == ["wire", "follow", "weekly"]  # by publication
    assert by_id["weekly"]["historical"] is True and by_id["weekly"]["organisation"] == "Fed"
    assert by_id["wire"]["historical"] is False and by_id["wire"]["organisation"] == "Federal Reserve Board"
    # a source carries the role, organisation and counterpart its article words (absent: the event's)
    assert by_id["follow"]["role"] == "Fed chairman" and "organisation" not in by_id["follow"]
    assert by_id["follow"]["counterpart"] == "Omar Dale" and "counterpart" not in by_id["wire"]
    assert all(set(s) >= {"article_id", "url", "outlet", "published", "evidence", "role", "historical"}
               for s in event["sources"])


def _cli(url: str, tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_DATABASE_URL=url, PYTHONPATH=str(ROOT),
               AIDEWATCH_LOG_LEVEL="WARNING", OMP_NUM_THREADS="1")
    res = subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout


def test_export_and_timeline_give_each_source_its_own_wording(store_url, tmp_path):
    _fill(Store(store_url))
    (line,) = _cli(store_url, tmp_path, "export", "events", "--format", "jsonl").splitlines()
    event = json.loads(line)
    assert event["historical"] is False
    assert [(s["article_id"], s["historical"], s.get("organisation")) for s in event["sources"]] == [
        ("wire", False, "Federal Reserve Board"), ("follow", False, None), ("weekly", True, "Fed")]

    (row,) = list(csv.DictReader(io.StringIO(_cli(store_url, tmp_path, "export", "events", "--format", "csv"))))
    assert row["article_ids"] == "wire;follow;weekly"
    assert row["source_historical"] == "false;false;true"
    assert row["source_organisations"] == "Federal Reserve Board;;Fed"
    assert row["source_roles"] == "chairman;Fed chairman;chairman"

    out = _cli(store_url, tmp_path, "timeline", "Ines Varga")
    assert "1 move(s) reported as news" in out.splitlines()[0]
    assert "(this source: chairman at Fed; as background)" in out
    assert "(this source: Fed chairman)" in out


def test_migration_0005_makes_merged_events_news_when_a_source_says_so(store_url):
    """A store written before 0005 kept its first article's flag for every source: upgrading fixes it."""
    engine = create_engine(store_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    now = datetime(2024, 3, 12)
    with engine.begin() as conn:
        for pk in (1, 2):
            conn.execute(text("INSERT INTO articles (id, article_id, origin, alerts, status, attempts, discovered_at) "
                              "VALUES (:pk, :aid, 'backfill', false, 'processed', 0, :now)"),
                         {"pk": pk, "aid": f"a{pk}", "now": now})
        conn.execute(text("INSERT INTO events (id, type, person, merge_key, role, organisation, historical, "
                          "confidence, reported, created_at) VALUES ('e1', 'departure', 'Ines Varga', "
                          "'varga:departure', NULL, NULL, true, 0.8, :now, :now)"), {"now": now})
        for pk, hist, org in ((1, True, None), (2, False, "Federal Reserve Board")):
            conn.execute(text("INSERT INTO event_sources (event_id, article_id, role, organisation, historical, "
                              "evidence, confidence, created_at) VALUES ('e1', :pk, 'chairman', :org, :hist, "
                              "'x', 0.8, :now)"), {"pk": pk, "org": org, "hist": hist, "now": now})
    engine.dispose()
    store = Store(store_url)  # migrates to head
    (event,) = list(store.iter_events())
    assert event["historical"] is False
    assert event["role"] == "chairman" and event["organisation"] == "Federal Reserve Board"
    assert [s["historical"] for s in event["sources"]] == [True, False]
    assert all("counterpart" not in s for s in event["sources"])


def test_a_move_that_is_one_articles_news_is_news_in_its_story_days_around(store_url):
    store = Store(store_url)
    _fill(store)
    # same story, the day after the wire: the article reads the move as background, but its story is
    # about it; a week later (the weekly) it is background
    _commit(store, "next-day", "Varga's exit from the Fed was overdue, a former colleague said.",
            datetime(2024, 3, 7), [_ev("chairman", "Fed", True)], "Evening Paper")
    (event,) = list(store.iter_events())
    flags = {s["article_id"]: s["historical"] for s in event["sources"]}
    assert flags == {"wire": False, "follow": False, "next-day": False, "weekly": True}


def _appointed(person: str, role: str, historical: bool) -> StaffingEvent:
    return StaffingEvent(type="appointment", person=person, role=role, organisation="Senate",
                         counterpart=None, historical=historical, evidence=f"{person} ({role}).", confidence=0.8)


def test_in_one_story_the_news_move_left_on_each_side_is_one_move(store_url):
    # Outlets word the post differently ("aide" / "senator"), and the second also gives an earlier
    # step of the career as background: her news move is still one move, whatever order the article
    # gives its moves in; the background step stays its own event.
    store = Store(store_url)
    for person, order in (("Ines Varga", 1), ("Tomas Brandt", -1)):
        _commit(store, f"first{order}", f"Governor picks former aide {person}.", datetime(2024, 3, 5),
                [_appointed(person, "aide", False)], "Wire")
        _commit(store, f"second{order}", f"{person}, once press secretary, was appointed senator.",
                datetime(2024, 3, 5), [_appointed(person, "press secretary", True),
                                       _appointed(person, "senator", False)][::order], "Daily")
        ours = [e for e in store.iter_events() if e["person"] == person]
        by_role = {e["role"]: sorted(s["article_id"] for s in e["sources"]) for e in ours}
        assert by_role == {"aide": [f"first{order}", f"second{order}"], "press secretary": [f"second{order}"]}


def _story_of(store: Store, article_id: str, published: datetime, events: list[StaffingEvent],
              names: list[str], undated: bool = False) -> str:
    pk, _ = store.add_article(article_id=article_id, origin="backfill", alerts=False, text=article_id,
                              published=published, outlet="Wire")
    assert store.claim_article(pk, "fetched", lease_seconds=60)
    fp = Fingerprint(content_hash=article_id, minhash=article_id.encode(), band_keys=[hash(article_id) % 1000],
                     profile={"names": names}, terms=[f"p:{n}" for n in names], undated=undated)
    return store.commit_processed(pk, text=article_id, title=None, author=None, outlet="Wire", published=None,
                                  fingerprint=fp, events_found=events, policy=_policy()).story_id


def test_two_wires_giving_one_move_as_news_the_same_day_are_one_story(store_url):
    # Their texts share nothing the story index can find; the move they both report as news joins
    # them. Given as background a week later, or by a page whose date is unknown, it does not.
    store = Store(store_url)
    first = _story_of(store, "flash", datetime(2024, 3, 5, 16, 20), [_ev("chairman", "Fed", False)], ["flash"])
    assert _story_of(store, "reaction", datetime(2024, 3, 5, 16, 45),
                     [_ev("Federal Reserve chairman", None, False)], ["reaction"]) == first
    assert _story_of(store, "weekly", datetime(2024, 3, 12), [_ev("chairman", "Fed", True)], ["weekly"]) != first
    assert _story_of(store, "undated", datetime(2024, 3, 5, 18), [_ev("chairman", "Fed", False)], ["undated"],
                     undated=True) != first
