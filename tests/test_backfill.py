"""``aidewatch backfill``: seeds directory, JSONL and WARC, twice → the same store, no live alerts."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
               AIDEWATCH_LOG_LEVEL="WARNING", **extra)
    return env


def _cli(tmp_path: Path, *args: str, **env) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=_env(tmp_path, **env),
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return res


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path}/data/aidewatch.db")


def _snapshot(tmp_path: Path) -> tuple[str, str]:
    return (_cli(tmp_path, "export", "events", "--format", "jsonl").stdout,
            _cli(tmp_path, "export", "articles", "--format", "jsonl").stdout)


def test_backfill_seeds_directory_twice_gives_the_same_store(tmp_path):
    _cli(tmp_path, "backfill", str(SEEDS), "--quiet")
    first = _snapshot(tmp_path)
    again = _cli(tmp_path, "backfill", str(SEEDS), "--quiet")
    assert "0 new" in again.stderr
    assert _snapshot(tmp_path) == first
    events = [json.loads(line) for line in first[0].splitlines()]
    fletcher = [e for e in events if e["person"] == "Simon Fletcher" and not e["historical"]]
    assert len(fletcher) == 1
    assert sorted(s["article_id"] for s in fletcher[0]["sources"]) == ["000_39eb890eb2b64ca7", "001_d79ee27f620f07d6"]
    assert {s["outlet"] for s in fletcher[0]["sources"]} == {"HuffPost UK", "The Herald"}
    articles = [json.loads(line) for line in first[1].splitlines()]
    assert len(articles) == 3
    story = {a["article_id"]: a["story_id"] for a in articles}
    assert story["000_39eb890eb2b64ca7"] == story["001_d79ee27f620f07d6"] != story["002_880bd02216675e85"]
    # backfilled events never alert unless asked
    assert _store(tmp_path).alert_counts() == {}


def test_backfill_jsonl_twice_with_bad_lines_recorded(tmp_path):
    src = tmp_path / "archive.jsonl"
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.append(json.dumps({"id": "j-" + path.stem, "outlet": "Archive", "published": "2017-02-18",
                                 "text": path.read_text(encoding="utf-8")}))
    lines.insert(1, "{not json")
    lines.append(json.dumps({"id": "no-text"}))
    src.write_text("\n".join(lines) + "\n")
    out = _cli(tmp_path, "backfill", str(src), "--quiet")
    assert "2 unreadable" in out.stderr
    first = _snapshot(tmp_path)
    _cli(tmp_path, "backfill", str(src), "--quiet")
    assert _snapshot(tmp_path) == first
    assert len(first[1].splitlines()) == 3
    reasons = {e["reason"] for e in _store(tmp_path).last_errors(limit=50)}
    assert reasons, "unreadable lines are recorded as errors"


def _warc(path: Path) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for seed in sorted(SEEDS.glob("*.txt"))[:2]:
            paras = "".join(f"<p>{p}</p>" for p in seed.read_text(encoding="utf-8").splitlines() if p.strip())
            body = f"<html><head><title>News</title></head><body><article>{paras}</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"https://news.example/{seed.stem}", "response",
                                            payload=io.BytesIO(body.encode()), http_headers=headers)
            writer.write_record(rec)


def test_backfill_warc(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    _warc(warc)
    _cli(tmp_path, "backfill", str(warc), "--quiet")
    articles = [json.loads(x) for x in _snapshot(tmp_path)[1].splitlines()]
    assert {a["article_id"] for a in articles} == {"https://news.example/000_39eb890eb2b64ca7",
                                                   "https://news.example/001_d79ee27f620f07d6"}
    events = [json.loads(x) for x in _snapshot(tmp_path)[0].splitlines()]
    assert any(e["person"] == "Simon Fletcher" for e in events)


def test_backfill_alerts_only_when_asked_and_young_enough(tmp_path):
    # the seeds are from 2017: the default age limit (7 days) keeps them quiet even with --alerts
    _cli(tmp_path, "backfill", str(SEEDS), "--quiet", "--alerts")
    assert _store(tmp_path).alert_counts() == {}
    other = tmp_path / "no-age-limit"
    _cli(other, "backfill", str(SEEDS), "--quiet", "--alerts", AIDEWATCH_ALERT_MAX_AGE_DAYS="0")
    assert _store(other).alert_counts() == {"sent": 1}  # Simon Fletcher, through the log channel
