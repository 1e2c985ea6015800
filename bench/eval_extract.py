"""Run extract_events over an archive JSONL and write events in the export schema.

    python bench/eval_extract.py ARTICLES.jsonl OUT_events.jsonl

Then score extraction alone:
    python3 /work/shared/eval/score.py --gold GOLD.jsonl --events OUT_events.jsonl
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.extract import extract_events, load_pipeline  # noqa: E402


def parse_date(value: str | None) -> datetime | None:
    """ISO dates and Reuters-style '26-MAR-1987 16:33:19.68'."""
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y"):
        try:
            return datetime.strptime(value.strip()[:len(value.strip())], fmt)
        except ValueError:
            continue
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    return datetime(int(m[1]), int(m[2]), int(m[3])) if m else None


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    nlp = load_pipeline()
    records = [json.loads(line) for line in open(argv[1], encoding="utf-8") if line.strip()]
    t0 = time.perf_counter()
    n = 0
    with open(argv[2], "w", encoding="utf-8") as out:
        for rec in records:
            published = parse_date(rec.get("published"))
            for ev in extract_events(nlp, rec.get("text") or "", title=rec.get("title"), published=published):
                n += 1
                eid = hashlib.sha1(f"{rec['id']}|{ev.type}|{ev.person}|{ev.role}".encode()).hexdigest()[:16]
                row = {"id": eid, "type": ev.type, "person": ev.person, "role": ev.role,
                       "organisation": ev.organisation, "counterpart": ev.counterpart,
                       "historical": ev.historical,
                       "reported": published.date().isoformat() if published else None,
                       "confidence": ev.confidence,
                       "sources": [{"article_id": rec["id"], "url": None, "outlet": rec.get("outlet"),
                                    "published": rec.get("published"), "evidence": ev.evidence}]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    dt = time.perf_counter() - t0
    print(f"{len(records)} articles, {n} events, {dt:.1f}s ({len(records) / dt:.1f} articles/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
