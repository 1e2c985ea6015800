"""Poll throughput of one worker process: N feeds on a local server (127.0.0.1), most answering 304.

    python bench/poll_throughput.py [--feeds 1000] [--changed 0.1] [--timeout 300]

Sets up a store (SQLite in a temporary folder) with N feeds whose ETags are already known, so
that all but ``--changed`` of them answer 304; the others answer 200 with 5 new entries. Every
feed is claimed and sent to the ``poll`` queue as ``tick`` does, then one ``celery worker``
process (solo pool) drains it. Prints feeds per minute and CPU seconds per poll of that process,
measured from its first finished poll to its last. Bounded by ``--timeout``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from httpserver import Route, ScriptedServer  # noqa: E402


def _rss(i: int, n: int) -> bytes:
    items = "".join(f"<item><title>Feed {i} story {k}</title><link>http://127.0.0.1:9/{i}/{k}.html</link>"
                    f"<guid>{i}-{k}</guid><description>Summary {k}.</description></item>" for k in range(n))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {i}</title>{items}</channel></rss>".encode()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--changed", type=float, default=0.1, help="share of feeds with new entries")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aidewatch-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp), AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1", AIDEWATCH_LOG_LEVEL="ERROR",
               AIDEWATCH_FEEDS_FILE=str(tmp / "none.toml"), AIDEWATCH_HOST_CONCURRENCY="4",
               OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    os.environ.update(env)
    from storage import Store
    from tasks.app import app

    changed = set(range(0, args.feeds, max(1, round(1 / args.changed)))) if args.changed > 0 else set()
    with ScriptedServer() as server:
        store = Store(f"sqlite:///{tmp}/aidewatch.db")
        from sqlalchemy import update
        from storage.schema import feeds
        for i in range(args.feeds):
            server.route(f"/f/{i}.xml", Route(body=_rss(i, 5 if i in changed else 1), etag=f'"{i}-v2"',
                                              headers={"Content-Type": "application/rss+xml"}))
            fid = store.add_feed(f"feed {i}", url=server.url(f"/f/{i}.xml"), interval_minutes=60)
            with store.engine.begin() as conn:  # polled before: the ETag is known unless the feed changed
                conn.execute(update(feeds).where(feeds.c.id == fid).values(etag=f'"{i}-v1"' if i in changed
                                                                            else f'"{i}-v2"'))
        claimed = store.claim_due_feeds(lease_seconds=3600, limit=args.feeds)
        for f in claimed:
            app.send_task("aidewatch.poll_feed", args=(f.id,), queue="poll")
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks.app", "worker", "-Q", "poll",
                                   "-P", "solo", "--loglevel", "ERROR", "--without-heartbeat",
                                   "--without-mingle", "--without-gossip"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=open(tmp / "worker.log", "w"))
        deadline = time.monotonic() + args.timeout
        try:
            def polled() -> int:
                with store.engine.connect() as conn:
                    from sqlalchemy import func, select
                    return conn.execute(select(func.count()).select_from(feeds)
                                        .where(feeds.c.last_polled_at.is_not(None))).scalar()
            while polled() == 0:
                if time.monotonic() > deadline or worker.poll() is not None:
                    print("the worker did not start polling; see", tmp / "worker.log")
                    return 1
                time.sleep(0.01)
            t0, cpu0, n0 = time.monotonic(), _cpu_seconds(worker.pid), polled()
            while (n := polled()) < args.feeds and time.monotonic() < deadline:
                time.sleep(0.05)
            elapsed, cpu = time.monotonic() - t0, _cpu_seconds(worker.pid) - cpu0
        finally:
            worker.terminate()
            worker.wait(30)
    done = n - n0
    statuses = {}
    for f in store.list_feeds():
        statuses[f.last_status] = statuses.get(f.last_status, 0) + 1
    print(f"polled {n}/{args.feeds} feeds ({statuses}), {store.counts()['articles']} new articles; "
          f"one worker process (solo pool), SQLite store, filesystem broker")
    print(f"{done / elapsed * 60:,.0f} feeds/min; {cpu / max(done, 1) * 1000:.1f} ms CPU per poll "
          f"({done} polls in {elapsed:.1f} s wall, {cpu:.1f} s CPU)")
    return 0 if n == args.feeds else 1


if __name__ == "__main__":
    sys.exit(main())
