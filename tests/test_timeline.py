"""``aidewatch timeline NAME``: one person's moves over time with their sources."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
               AIDEWATCH_LOG_LEVEL="WARNING")
    res = subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return res


def test_timeline_of_a_person_with_sources(tmp_path):
    src = tmp_path / "archive.jsonl"
    meta = {m["id"]: m for m in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if m}
    later = ("Simon Fletcher has been appointed chief executive of the Campaign Company, the firm "
             "announced on Monday. Fletcher said he was delighted to join.")
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"), "outlet": meta[p.stem]["outlet"],
                         "published": meta[p.stem]["published"], "url": f"https://news.example/{p.stem}"})
             for p in sorted(SEEDS.glob("*.txt"))]
    lines.append(json.dumps({"id": "later", "text": later, "outlet": "Trade Press", "published": "2018-03-05"}))
    src.write_text("\n".join(lines) + "\n")
    _cli(tmp_path, "backfill", str(src), "--quiet")

    out = _cli(tmp_path, "timeline", "Simon Fletcher").stdout
    lines = out.splitlines()
    assert lines[0].startswith("Simon Fletcher: 2 move(s) reported as news")
    moves = [ln for ln in lines if ln[:4].isdigit()]
    assert moves[0].startswith("2017-02-17  leaves")
    assert moves[-1].startswith("2018-03-05  joins chief executive at the Campaign Company")
    # every source: date, outlet, link (or id), then the sentence it gives
    assert "    2017-02-17  HuffPost UK  https://news.example/000_39eb890eb2b64ca7" in lines
    assert "    2017-02-18  The Herald  https://news.example/001_d79ee27f620f07d6" in lines
    assert "    2018-03-05  Trade Press  later" in lines
    assert any(ln.startswith("        “Simon Fletcher has been appointed") for ln in lines)
    assert "Karie Murphy" not in lines[0]

    # the same person by surname form; another person's background move is marked; unknown names
    assert _cli(tmp_path, "timeline", "Mr Fletcher").stdout == out
    murphy = _cli(tmp_path, "timeline", "Karie Murphy").stdout
    assert "[background" in murphy and "Simon Fletcher" in murphy
    assert _cli(tmp_path, "timeline", "Simon Fletchers").stdout.strip() == "no moves found for Simon Fletchers"
