"""A short soak (about two minutes): the growing local site, real Redis and PostgreSQL (through a
proxy that cuts the store), real workers SIGKILLed every 20 s, beat killed, the broker flushed, the
store cut for 12 s, a webhook refusing a quarter of the posts. Everything must settle within a
minute of the last fault: every page one article, copies marked, no move stored twice, each
watched move alerted exactly once, nothing unfinished (bench/soak.py makes the checks)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import PG_ADMIN_URL
from pipeline_env import ROOT


def test_short_soak_nothing_lost_nothing_twice(tmp_path, postgres_url, fresh_redis):
    out = tmp_path / "soak.json"
    cmd = [sys.executable, str(ROOT / "bench" / "soak.py"), "--duration", "80", "--feeds", "12",
           "--page-every", "1.5", "--feed-interval", "15", "--kill-every", "20", "--beat-kill-every", "45", "--flush-at", "35",
           "--outage-at", "50", "--outage-seconds", "12", "--settle-timeout", "60",
           "--redis-url", fresh_redis, "--pg-admin-url", PG_ADMIN_URL, "--json", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert out.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert run.returncode == 0 and figures["ok"], run.stdout[-4000:]
    assert figures["faults"] == {"worker_kills": 3, "beat_kills": 1, "broker_flushes": 1, "store_outages": 1}
    assert figures["pages"] >= 40 and figures["articles"] == figures["pages"]
    assert figures["copies"] >= 8 and figures["watched_moves"] >= 3
    assert figures["alerts_accepted"] >= figures["watched_moves"] and figures["alerts_refused"] >= 1
    assert figures["settle_seconds"] is not None and figures["settle_seconds"] < 60
    assert figures["log_command_in_progress"] == 0
