"""Four Celery worker processes on Redis + PostgreSQL processing copies of one story at once
still store one event per move, one root copy, one story (the commit takes no global lock, only
the locks of the copy keys, story terms and people it decides on)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from storage import Store
from tasks.backfill import PROCESS_BATCH

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


WORKERS = 4


def test_four_workers_store_one_event_for_many_copies(tmp_path, postgres_url, fresh_redis):
    fletcher = (SEEDS / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")
    herald = (SEEDS / "001_d79ee27f620f07d6.txt").read_text(encoding="utf-8")
    records = []
    for i in range(4 * PROCESS_BATCH // 2):  # syndicated copies (a processing batch for each worker), some with a credit line added
        text = fletcher if i % 2 else fletcher + "\nThis article first appeared on a partner site."
        records.append({"id": f"copy-{i}", "outlet": f"Outlet {i}", "published": "2017-02-17", "text": text})
        records.append({"id": f"herald-{i}", "outlet": "The Herald", "published": "2017-02-18", "text": herald})
    archive = tmp_path / "copies.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records))

    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_DATABASE_URL=postgres_url,
               AIDEWATCH_BROKER_URL=fresh_redis, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
               AIDEWATCH_LOG_LEVEL="WARNING")
    enq = subprocess.run([sys.executable, "-m", "aidewatch.cli", "backfill", str(archive), "--no-wait", "--quiet"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert enq.returncode == 0, enq.stderr[-2000:]
    workers = [subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks.app", "worker", "-Q", "backfill",
                                 "-c", "1", "--loglevel", "WARNING", "-n", f"w{i}-{os.getpid()}@%h"],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=open(tmp_path / f"worker{i}.log", "w")) for i in range(WORKERS)]
    store = Store(postgres_url)
    try:
        deadline = time.monotonic() + 600  # 4 workers loading spaCy on a busy 2-core machine
        while store.counts().get("articles_processed", 0) < len(records):
            assert time.monotonic() < deadline, store.counts()
            time.sleep(0.5)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(30)

    articles = {a["article_id"]: a for a in store.iter_articles()}
    roots = {a["duplicate_of"] or a["article_id"] for a in articles.values() if a["article_id"].startswith("copy-")}
    assert len(roots) == 1, roots  # every copy points at one root
    herald_roots = {a["duplicate_of"] or a["article_id"] for a in articles.values()
                    if a["article_id"].startswith("herald-")}
    assert len(herald_roots) == 1
    assert len({a["story_id"] for a in articles.values()}) == 1
    events = list(store.iter_events())
    keys = [(e["person"], e["type"], e["role"], e["historical"]) for e in events]
    assert len(keys) == len(set(keys)), keys
    current = [e for e in events if e["person"] == "Simon Fletcher" and not e["historical"]]
    assert len(current) == 1 and len(current[0]["sources"]) == len(records)
    logs = [(tmp_path / f"worker{i}.log").read_text() for i in range(WORKERS)]
    assert all("Traceback" not in log for log in logs), logs
