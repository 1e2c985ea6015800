"""How the dedup path's cost grows with the archive: time per article and memory at 10k, 100k, 1M.

Each synthetic article goes through the real store path that a worker runs after extraction:
add_article → claim → fingerprint (MinHash + story profile) → commit_processed (exact and near
copies, story assignment, event merging, alert outbox) with the production CommitPolicy.
One in ten articles is a lightly edited copy of a recent one, one in four re-reports a recent
story in other words, one in five carries a staffing event. ~2,000 articles a day are published.

    python bench/dedup_scale.py --sizes 10000,100000,1000000 [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [w.strip() for w in """
government minister said people year time report week party election council plan public service
health school court police company market price bank money tax budget deal talks union workers
strike vote campaign leader office policy law bill parliament committee inquiry statement spokesman
official director chief executive board members staff team season club match fans players coach
city region area community hospital patients doctors nurses funding cuts jobs industry trade export
energy oil gas power climate weather storm flood road rail transport airport flight passengers
""".split()]
FIRST = "Anna Ben Carla David Elena Frank Grace Hugo Irene James Karie Liam Maria Neil Olga Paul".split()
LAST = ("Smith Jones Fletcher Murphy Brown Taylor Wilson Evans Thomas Roberts Walker Wright Green Hall Wood "
        "Clarke Hughes Edwards Turner Hill Moore Price Bennett Griffiths Khan Patel Lewis Young King").split()
ORGS = "Labour Conservatives Unite Barclays Tesco NHS BBC Fiat Reuters Ofcom Network Rail".split()
ROLES = ["chief executive", "chief of staff", "head of policy", "director of communications", "chairman"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randint(1, 400)}"


def _text(rng: random.Random, names: list[str], n_words: int = 350) -> str:
    words = rng.choices(WORDS, k=n_words)
    for i in range(0, n_words, 40):
        words.insert(i, rng.choice(names))
    sentences = [" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
    return " ".join(sentences)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--database-url", default=None, help="default: a new SQLite file in a temp dir")
    ap.add_argument("--window", type=int, default=2000, help="articles timed at each checkpoint")
    args = ap.parse_args()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    tmp = tempfile.mkdtemp(prefix="aidewatch-scale-")
    os.environ.setdefault("AIDEWATCH_DATA_DIR", tmp)
    url = args.database_url or f"sqlite:///{tmp}/scale.db"
    os.environ["AIDEWATCH_DATABASE_URL"] = url

    from storage import Store
    from tasks import runtime
    from tasks.commit_policy import make_fingerprint, make_policy
    from workers.model import StaffingEvent

    store = Store(url)
    runtime.store.cache_clear()
    policy = make_policy()
    rng = random.Random(7)
    recent: list[tuple[str, list[str]]] = []  # (text, names) of recent articles
    start_day = datetime(2020, 1, 1)
    print(f"store: {url.split('@')[-1]}")
    print(f"{'articles':>10} {'ms/article (last %d)' % args.window:>22} {'RSS MiB':>8} {'peak MiB':>9}")
    timed, t_window = 0, 0.0
    for i in range(1, sizes[-1] + 1):
        published = start_day + timedelta(seconds=i * 43.2)  # 2,000 a day
        roll = rng.random()
        if recent and roll < 0.10:  # a syndicated copy with a credit line
            text, names = rng.choice(recent[-200:])
            text = text + " This story first appeared in a partner paper."
        elif recent and roll < 0.35:  # the same story rewritten
            _, names = rng.choice(recent[-300:])
            text = _text(rng, names)
        else:
            names = [_person(rng), _person(rng), rng.choice(ORGS)]
            text = _text(rng, names)
        events = []
        if rng.random() < 0.2:
            events = [StaffingEvent(type=rng.choice(["appointment", "departure"]), person=names[0],
                                    role=rng.choice(ROLES), organisation=names[2], counterpart=None,
                                    historical=False, evidence=text[:120], confidence=0.8)]
        t0 = time.perf_counter()
        pk, _ = store.add_article(article_id=f"syn-{i}", origin="backfill", alerts=False, text=text,
                                  published=published, outlet="Synthetic")
        store.claim_article(pk, "fetched", lease_seconds=60)
        store.commit_processed(pk, text=text, title=None, author=None, outlet=None, published=published,
                               fingerprint=make_fingerprint(text, None), events_found=events, policy=policy)
        elapsed = time.perf_counter() - t0
        recent.append((text, names))
        if len(recent) > 400:
            del recent[:100]
        nxt = next((s for s in sizes if s >= i), None)
        if nxt is not None and i > nxt - args.window:
            timed += 1
            t_window += elapsed
        if i in sizes:
            rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{i:>10,} {1000 * t_window / timed:>22.2f} {rss:>8.0f} {peak:>9.0f}", flush=True)
            timed, t_window = 0, 0.0


if __name__ == "__main__":
    main()
