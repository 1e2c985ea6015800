"""Simulate online copy detection and story clustering; evaluate event merging on gold events.

    python bench/eval_stories.py ARTICLES.jsonl OUT_articles.jsonl [--shuffle SEED]
                                 [--gold GOLD.jsonl --clusters CLUSTERS.jsonl]

Articles are processed one at a time (publication order, or shuffled as in a backfill) against an
in-memory inverted index that only answers within the time window, as the SQL store would:
exact content hash, then LSH band keys (near copies: ``duplicate_of``), then story index terms.
Writes ``{"article_id", "story_id", "duplicate_of"}`` lines for ``score.py --articles``.
Articles without a date get the run's ingest date, as the pipeline does, and a profile marked
undated; a record with a headline and no text is its headline, as the archive reader makes it.
With --gold and --clusters, also prints story pairwise P/R/F1 and ``same_event`` precision/recall
over pairs of gold events from different articles (truth: equal gold ``key``).
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.event_merge import merge_key, same_event  # noqa: E402
from workers.fingerprint import NEAR_DUP_THRESHOLD, band_keys, content_hash, jaccard, minhash_signature  # noqa: E402
from workers.model import StaffingEvent  # noqa: E402
from workers.stories import STORY_WINDOW_DAYS, index_terms, matching_stories, story_profile, to_day  # noqa: E402


class WindowIndex:
    """key -> [(day, article_id)]; lookups only return postings within +-window days."""

    def __init__(self, window: float):
        self.window = window
        self.postings: dict = defaultdict(list)

    def add(self, keys, day: float, article_id: str) -> None:
        for k in set(keys):
            self.postings[k].append((day, article_id))

    def lookup(self, keys, day: float) -> set[str]:
        out = set()
        for k in set(keys):
            out.update(a for d, a in self.postings.get(k, ()) if abs(d - day) <= self.window)
        return out


def process(rows: list[dict]) -> tuple[list[dict], float]:
    ingest_day = datetime.now(timezone.utc).timestamp() / 86400.0
    hashes = WindowIndex(STORY_WINDOW_DAYS)
    bands = WindowIndex(STORY_WINDOW_DAYS)
    terms = WindowIndex(STORY_WINDOW_DAYS)
    store: dict[str, dict] = {}
    out = []
    t0 = time.perf_counter()
    for r in rows:
        text, day = (r.get("text") or "").strip() or (r.get("title") or "").strip(), to_day(r.get("published"))
        undated = day is None
        day = ingest_day if undated else day
        h, sig = content_hash(text), minhash_signature(text)
        bkeys = band_keys(sig)
        dup = None
        exact = sorted(hashes.lookup([h], day))
        if exact:
            dup = exact[0]
        else:
            best = 0.0
            for aid in sorted(bands.lookup(bkeys, day)):
                j = jaccard(sig, store[aid]["sig"])
                if j >= NEAR_DUP_THRESHOLD and j > best:
                    dup, best = aid, j
        prof = story_profile(text, r.get("title"), undated=undated)
        keys = index_terms(prof)
        if dup is not None:
            story = store[dup]["story"]
        else:
            cands = [(store[a]["story"], a, store[a]["profile"], store[a]["day"] * 86400.0)
                     for a in sorted(terms.lookup(keys, day))]
            found = matching_stories(prof, day * 86400.0, cands)
            story = found[0] if found else r["id"]
            if len(found) > 1:  # the article bridges stories: join them, as the store does
                for rec in store.values():
                    if rec["story"] in found[1:]:
                        rec["story"] = story
                for o in out:
                    if o["story_id"] in found[1:]:
                        o["story_id"] = story
        store[r["id"]] = {"sig": sig, "profile": json.loads(json.dumps(prof)), "day": day, "story": story}
        hashes.add([h], day, r["id"])
        bands.add(bkeys, day, r["id"])
        terms.add(keys, day, r["id"])
        out.append({"article_id": r["id"], "story_id": story, "duplicate_of": dup})
    return out, time.perf_counter() - t0


def pairwise(pred: dict, gold: dict) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        g, p = gold[a] == gold[b], pred.get(a) is not None and pred.get(a) == pred.get(b)
        tp += g and p
        fp += p and not g
        fn += g and not p
    pr, rc = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return pr, rc, 2 * pr * rc / (pr + rc) if pr + rc else 0.0


def eval_events(gold_rows: list[dict], days: dict, clusters: dict) -> None:
    evs = []
    for row in gold_rows:
        for e in row.get("events", []):
            ev = StaffingEvent(type=e["type"], person=e["person"], role=e.get("role"),
                               organisation=e.get("organisation"), counterpart=e.get("counterpart"),
                               historical=bool(e.get("historical")), evidence=e.get("evidence") or "")
            evs.append((row["id"], e["key"], ev))
    stats = {"all": [0, 0, 0], "same story": [0, 0, 0], "different stories": [0, 0, 0]}  # tp, fp, fn
    errors = []
    key_miss = 0
    for (a1, k1, e1), (a2, k2, e2) in itertools.combinations(evs, 2):
        if a1 == a2:
            continue
        d1, d2 = days.get(a1), days.get(a2)
        gap = None if d1 is None or d2 is None else abs(d1 - d2)
        truth, pred = k1 == k2, same_event(e1, e2, days_apart=gap)
        if truth and merge_key(e1) != merge_key(e2):
            key_miss += 1
        scopes = ["all", "same story" if clusters.get(a1) == clusters.get(a2) else "different stories"]
        for s in scopes:
            stats[s][0] += truth and pred
            stats[s][1] += pred and not truth
            stats[s][2] += truth and not pred
        if truth != pred:
            errors.append(("missed" if truth else "wrong", e1.person, e1.type, e1.role, e1.organisation,
                           e1.historical, "|", e2.person, e2.role, e2.organisation, e2.historical, gap))
    for s, (tp, fp, fn) in stats.items():
        p, r = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
        print(f"event merge ({s} pairs): precision {p:.3f}  recall {r:.3f}  (tp {tp} fp {fp} fn {fn})")
    print(f"same-event pairs with different merge_key: {key_miss}")
    for e in errors:
        print("  ", *e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles")
    ap.add_argument("out")
    ap.add_argument("--shuffle", type=int, help="process in a random order with this seed")
    ap.add_argument("--gold")
    ap.add_argument("--clusters")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.articles, encoding="utf-8") if line.strip()]
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(rows)
    else:
        rows.sort(key=lambda r: (to_day(r.get("published")) is None, to_day(r.get("published")) or 0, r["id"]))
    out, secs = process(rows)
    with open(args.out, "w", encoding="utf-8") as f:
        for line in out:
            f.write(json.dumps(line) + "\n")
    print(f"{len(rows)} articles in {secs:.2f}s ({len(rows) / secs:.0f}/s); "
          f"{sum(o['duplicate_of'] is not None for o in out)} near copies; "
          f"{len({o['story_id'] for o in out})} stories")
    if args.clusters:
        gold = {c["id"]: c["cluster"] for c in map(json.loads, open(args.clusters, encoding="utf-8"))}
        p, r, f1 = pairwise({o["article_id"]: o["story_id"] for o in out}, gold)
        print(f"story clustering (pairwise)  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
        if args.gold:
            days = {row["id"]: to_day(row.get("published")) for row in rows}
            eval_events([json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()],
                        days, gold)


if __name__ == "__main__":
    main()
