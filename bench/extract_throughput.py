"""Pages per second per core for cleaning + staffing-event extraction on real news pages.

    python bench/extract_throughput.py [--data DIR] [--limit N] [--repeat R]

DIR holds html/<id>.html.gz (default: ../shared/data/html/zyte next to the repo). Each page is cleaned
with trafilatura.extract and passed to workers.extract.extract_events. Runs in one process with
OMP_NUM_THREADS=1 (set here, in the benchmark, never in library code). Prints pages/s per core, the
split between cleaning and extraction, and the fraction of pages and sentences that reached spaCy.
"""
from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from workers.extract import extract_events, load_pipeline, select_sentences  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html" / "zyte"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the pages (timing only)")
    args = ap.parse_args()
    files = sorted((args.data / "html").glob("*.html.gz"))
    if args.limit:
        files = files[:args.limit]
    pages = [gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in files]
    nlp = load_pipeline()
    extract_events(nlp, "Warm-up: Jane Roe was appointed chief executive of Acme Corp.")

    clean_s = extract_s = 0.0
    reached = sentences = parsed = events = words = 0
    for _ in range(args.repeat):
        for html in pages:
            t0 = time.perf_counter()
            text = trafilatura.extract(html) or ""
            t1 = time.perf_counter()
            found = extract_events(nlp, text)
            t2 = time.perf_counter()
            clean_s += t1 - t0
            extract_s += t2 - t1
            events += len(found)
            words += len(text.split())
            _, sents, chosen = select_sentences(text)
            sentences += len(sents) or len(text.split(". "))
            if chosen:
                reached += 1
                parsed += len(chosen)
    n = len(pages) * args.repeat
    total = clean_s + extract_s
    print(f"pages {n}  words {words}  events {events}")
    print(f"clean   {n / clean_s:8.1f} pages/s")
    print(f"extract {n / extract_s:8.1f} pages/s  ({words / extract_s:,.0f} words/s)")
    print(f"total   {n / total:8.1f} pages/s per core (OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']})")
    print(f"pages reaching spaCy {reached / n:.1%}; sentences parsed {parsed}/~{sentences} "
          f"({parsed / max(sentences, 1):.1%} of all sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
