"""``aidewatch backfill`` reports like a tool people script: unreadable records by reason with their
first line numbers, exit 1 when nothing could be read, the errors of a repeated run stored once,
log lines above the progress bar, ``--quiet`` quiet, an unsupported file a one-line error."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from storage import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _cli(tmp_path: Path, *args: str, level: str = "WARNING") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
               AIDEWATCH_LOG_LEVEL=level, AIDEWATCH_FEEDS_FILE=str(tmp_path / "none.toml"))
    return subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)


def _archive(tmp_path: Path, bad: list[tuple[int, str]]) -> Path:
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) for p in sorted(SEEDS.glob("*.txt"))]
    for at, text in bad:
        lines.insert(at - 1, text)
    src = tmp_path / "archive.jsonl"
    src.write_text("\n".join(lines) + "\n")
    return src


def test_summary_by_reason_exit_codes_and_errors_stored_once(tmp_path):
    src = _archive(tmp_path, [(2, "{not json"), (4, '{"id": "x"}'), (5, "[1, 2"), (7, '{"id": "y"}')])
    first = _cli(tmp_path, "backfill", str(src), "--quiet")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "  bad_json: 2 (lines 2, 5)" in first.stderr and "  missing_content: 2 (lines 4, 7)" in first.stderr
    store = Store(f"sqlite:///{tmp_path}/data/aidewatch.db")
    errors = store.last_errors(limit=100)
    assert len(errors) == 4
    again = _cli(tmp_path, "backfill", str(src), "--quiet")
    assert again.returncode == 0 and "0 new" in again.stderr
    assert len(store.last_errors(limit=100)) == 4, "a repeated run does not store its errors again"

    nothing = tmp_path / "nothing.jsonl"
    nothing.write_text("{bad\n" + '{"id": "n"}\n' * 7)
    res = _cli(tmp_path, "backfill", str(nothing), "--quiet")
    assert res.returncode == 1, res.stderr
    assert "  missing_content: 7 (lines 2, 3, 4, 5, 6, …)" in res.stderr and "  bad_json: 1 (line 1)" in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("aidewatch: no readable record in") and last.endswith("nothing.jsonl (reasons above)")


def test_unsupported_or_missing_file_is_one_line_exit_2(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    for arg in ("notes.pdf", "missing.jsonl", "s3://bucket/x.jsonl"):
        res = _cli(tmp_path, "backfill", arg)
        assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert "Traceback" not in res.stderr
    assert "notes.pdf" in _cli(tmp_path, "backfill", "notes.pdf").stderr


def test_quiet_prints_the_summary_only_and_logs_stay_above_the_bar(tmp_path):
    src = _archive(tmp_path, [(2, "{not json")])
    quiet = _cli(tmp_path, "backfill", str(src), "--quiet", level="INFO")
    assert quiet.returncode == 0
    lines = quiet.stderr.strip().splitlines()
    assert lines[0].startswith("backfill: 3 records") and lines[1:] == ["unreadable records by reason:",
                                                                         "  bad_json: 1 (line 2)"], quiet.stderr
    (tmp_path / "data").rename(tmp_path / "data-quiet")
    loud = _cli(tmp_path, "backfill", str(src), level="INFO")
    assert loud.returncode == 0
    logs = list(re.finditer(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (INFO|WARNING)", loud.stderr))
    assert logs, loud.stderr[-2000:]
    assert "article/s" in loud.stderr  # the bar was drawn
    for m in logs:  # every log record starts a line: after a newline, or after the bar was cleared
        before = loud.stderr[:m.start()]
        assert before == "" or before.endswith("\n") or re.search(r"\r\s*\r$", before), before[-200:]
