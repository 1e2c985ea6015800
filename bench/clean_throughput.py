"""Throughput and rough accuracy of workers.clean.clean_html on the Zyte article set.

    python bench/clean_throughput.py [--data DIR] [--limit N] [--fast]

DIR holds ground-truth.json ({id: {"url", "articleBody"}}) and html/<id>.html.gz
(default: ../shared/data/html/zyte next to the repo). Prints pages/s on one core
(one process, extraction time only) and token precision/recall/F1 against
articleBody, macro-averaged over pages.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.clean import clean_html  # noqa: E402
from workers.model import CleanError  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html" / "zyte"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def prf(got: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``got`` against ``truth``."""
    g, t = tokens(got), tokens(truth)
    common = sum((g & t).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(t.values()) if t else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--fast", action="store_true", help="skip trafilatura fallbacks")
    args = ap.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    pages = [(i, gzip.decompress((args.data / "html" / f"{i}.html.gz").read_bytes()))
             for i in ids if (args.data / "html" / f"{i}.html.gz").exists()]
    scores, errors, elapsed = [], Counter(), 0.0
    for page_id, raw in pages:
        url = truth[page_id].get("url")
        start = time.perf_counter()
        try:
            text = clean_html(raw, url=url, fast=args.fast).text
        except CleanError as exc:
            text = ""
            errors[exc.reason] += 1
        elapsed += time.perf_counter() - start
        scores.append(prf(text, truth[page_id].get("articleBody", "")))
    n = len(pages)
    p, r, f = (statistics.mean(s[i] for s in scores) for i in range(3))
    mode = "fast" if args.fast else "full (with fallbacks)"
    print(f"clean_html {mode}: {n} pages, {elapsed:.2f} s extraction, "
          f"{n / elapsed:.1f} pages/s per core")
    print(f"token precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  "
          f"(median F1 {statistics.median(s[2] for s in scores):.3f})")
    if errors:
        print("errors:", dict(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
