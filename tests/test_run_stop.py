"""``aidewatch run`` stops cleanly: Ctrl-C or SIGTERM lets the task in hand finish, then the process
exits 0 within a few seconds (a real process, a real slow feed)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from httpserver import Route
from pipeline_env import ROOT, kill_group, wait_for
from storage import Store

SLOW = 3.0  # seconds the feed takes to answer: the task in hand when the signal comes


def _rss() -> bytes:
    now = format_datetime(datetime.now(timezone.utc))
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Slow</title><item><guid>g1</guid>"
            f"<title>Nothing to see</title><description>short</description><pubDate>{now}</pubDate>"
            f"</item></channel></rss>").encode()


@pytest.mark.parametrize("sig, mode", [(signal.SIGINT, "embedded"), (signal.SIGTERM, "server")])
def test_run_finishes_the_task_in_hand_and_exits_0(tmp_path, http_server, request, sig, mode):
    url = http_server.route("/slow.xml", Route(body=_rss(), delay=SLOW,
                                               headers={"Content-Type": "application/rss+xml"}))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "slow"\nurl = "{url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_FEEDS_FILE=str(feeds),
               AIDEWATCH_WATCHLIST_FILE=str(tmp_path / "none.toml"), AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1",
               AIDEWATCH_LOG_LEVEL="INFO", OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
               AIDEWATCH_FETCH_TIMEOUT="10", AIDEWATCH_WORKER_CONCURRENCY="1")
    db = f"sqlite:///{tmp_path}/data/aidewatch.db"
    if mode == "server":
        db = request.getfixturevalue("postgres_url")
        env.update(AIDEWATCH_DATABASE_URL=db, AIDEWATCH_BROKER_URL=request.getfixturevalue("fresh_redis"))
    log = tmp_path / "run.log"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "aidewatch.cli", "run"], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=open(log, "w"), start_new_session=True)
    try:
        wait_for(lambda: http_server.requests_to("/slow.xml") or proc.poll() is not None, 180,
                 "the poll of the slow feed to start")
        assert proc.poll() is None, log.read_text()[-3000:]
        t0 = time.monotonic()
        proc.send_signal(sig)
        rc = proc.wait(60)
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            kill_group(proc)
    text = log.read_text()
    print(f"{mode}: exit {rc} {took:.1f} s after {signal.Signals(sig).name} (the task in hand took {SLOW} s)")
    assert rc == 0, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert took < SLOW + 8, f"stopped {took:.1f} s after the signal"
    if mode == "server":
        assert list(cwd.iterdir()) == [], "Redis + PostgreSQL: nothing is written to the working directory"
    feed = Store(db).list_feeds()[0]
    assert feed.last_status == 200 and feed.claimed_until is None, feed  # the poll finished
