"""Measure the near-duplicate threshold: lightly edited copies vs. different articles.

    python bench/eval_fingerprint.py ARTICLES.jsonl [CLUSTERS.jsonl]

Copies are made from each article by edits a syndicating outlet makes (new dateline, a paragraph
trimmed or added, a few words changed, a credit line appended); "different" pairs are other
articles of the same gold story (rewrites, when CLUSTERS is given) and random unrelated pairs.
Prints the estimated Jaccard distribution of each kind and, per threshold, the share of copies
found through LSH band keys and of different pairs wrongly confirmed.
"""
from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.fingerprint import band_keys, jaccard, minhash_signature  # noqa: E402


def edits(text: str, rng: random.Random) -> dict[str, str]:
    paras = [p for p in text.split("\n") if p.strip()]
    words = text.split()
    out = {
        "dateline": "LONDON (Agency) - " + text,
        "credit": text + "\nReporting by A. Writer; editing by B. Editor. Copyright 2024 Agency.",
        "typos5%": " ".join(w if rng.random() > 0.05 else w[::-1] for w in words),
    }
    if len(paras) > 2:
        out["trim_last_para"] = "\n".join(paras[:-1])
        out["trim_mid_para"] = "\n".join(paras[:len(paras) // 2] + paras[len(paras) // 2 + 1:])
        out["trim+credit"] = "\n".join(paras[:-1]) + "\nRead more at our site."
    out["cut_tail_20%"] = " ".join(words[: max(1, int(len(words) * 0.8))])
    return out


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    rows = [r for r in rows if len((r.get("text") or "").split()) >= 30]
    gold = {}
    if len(sys.argv) > 2:
        gold = {c["id"]: c["cluster"] for c in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
    rng = random.Random(7)
    sig = {r["id"]: minhash_signature(r["text"]) for r in rows}
    kinds: dict[str, list[tuple[list[int], list[int]]]] = defaultdict(list)
    for r in rows:
        for name, t in edits(r["text"], rng).items():
            kinds["copy:" + name].append((sig[r["id"]], minhash_signature(t)))
    by_story = defaultdict(list)
    for r in rows:
        if r["id"] in gold:
            by_story[gold[r["id"]]].append(r["id"])
    for ids in by_story.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                kinds["diff:same_story"].append((sig[a], sig[b]))
    for _ in range(2000):
        a, b = rng.sample(rows, 2)
        if gold.get(a["id"], a["id"]) != gold.get(b["id"], b["id"]):
            kinds["diff:random"].append((sig[a["id"]], sig[b["id"]]))
    print(f"{'kind':24} {'n':>5} {'min':>5} {'p10':>5} {'median':>6} {'max':>5}")
    for k, pairs in sorted(kinds.items()):
        js = sorted(jaccard(a, b) for a, b in pairs)
        print(f"{k:24} {len(js):5} {js[0]:5.2f} {js[len(js) // 10]:5.2f} {js[len(js) // 2]:6.2f} {js[-1]:5.2f}")
    print("\nthreshold  copies found (LSH candidate and J>=t)  different pairs confirmed")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        found = total = fp = ntot = 0
        for k, pairs in kinds.items():
            for a, b in pairs:
                hit = bool(set(band_keys(a, threshold=t)) & set(band_keys(b, threshold=t))) and jaccard(a, b) >= t
                if k.startswith("copy:"):
                    found += hit
                    total += 1
                else:
                    fp += hit
                    ntot += 1
        print(f"  {t:.1f}      {found / total:.3f} ({found}/{total})              {fp}/{ntot}")


if __name__ == "__main__":
    main()
