"""How the dedup path's cost grows with the archive: time per article and memory at 10k, 100k, 1M.

Each synthetic article goes through the real store path that a worker runs after extraction:
add_article → claim → fingerprint (MinHash + story profile) → commit_processed (exact and near
copies, story assignment, event merging, alert outbox) with the production CommitPolicy.
One in ten articles is a lightly edited copy of a recent one, one in four re-reports a recent
story in other words, one in five carries a staffing event. ~2,000 articles a day are published.

A second process writes the articles and computes their fingerprints (pure, independent of the
archive size) while this one runs the store path, as a fetch/extract worker and a committing
worker would. Both are timed per article over the last ``--window`` articles before each size:
"store" is what grows with the archive; "fingerprint" is the constant pure part.

With ``--fill`` only those timed windows take the real path; the articles between them are
written in bulk (``Store.load_decided``) with the decisions the generator knows to be right (the
story and root copy of each article, one new event per reported move; copies get no event
sources): on two cores about 200 articles/s on SQLite all the way to 1M (1 h 25 min in all), about 300/s on
PostgreSQL to 1M (54 min). On PostgreSQL each fill ends with ``VACUUM ANALYZE`` (untimed), as autovacuum does
in time after a bulk load: without statistics the planner guesses thousands of rows for an LSH
lookup that finds a few dozen, and plans it in parallel (about 100 ms to start the workers of a
query that takes under a millisecond; this machine's PostgreSQL runs with autovacuum off).

    python bench/dedup_scale.py --sizes 10000,100000,1000000 [--database-url URL] [--fill]

Prints per size: wall and CPU (this process: the store path's client side) ms per article, the
store's size on disk (SQLite file + WAL, or ``pg_database_size``) and per article.
"""
from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
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
# Beyond the common words, a long tail of rarer ones (Zipf weights), as in real text: two unrelated
# articles share common words but few rare ones.
_SYL = "ba ce di fo gu ka le mi no pu ra se ti vo zu".split()
VOCAB = WORDS + [a + b + c + d for a in _SYL for b in _SYL for c in _SYL for d in _SYL[:6]]  # 20k
_CUM = list(itertools.accumulate(1.0 / (r + 20) for r in range(len(VOCAB))))
FIRST = "Anna Ben Carla David Elena Frank Grace Hugo Irene James Karie Liam Maria Neil Olga Paul".split()
LAST = ("Smith Jones Fletcher Murphy Brown Taylor Wilson Evans Thomas Roberts Walker Wright Green Hall Wood "
        "Clarke Hughes Edwards Turner Hill Moore Price Bennett Griffiths Khan Patel Lewis Young King").split()
ORGS = "Labour Conservatives Unite Barclays Tesco NHS BBC Fiat Reuters Ofcom Network Rail".split()
ROLES = ["chief executive", "chief of staff", "head of policy", "director of communications", "chairman"]


SURNAMES = LAST + [(a + b + c).capitalize() for a in _SYL for b in _SYL for c in _SYL[:8]]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"


def _text(rng: random.Random, names: list[str], n_words: int = 350) -> str:
    words = rng.choices(VOCAB, cum_weights=_CUM, k=n_words)
    for i in range(0, n_words, 40):
        words.insert(i, rng.choice(names))
    sentences = [" ".join(words[i:i + 20]) + "." for i in range(0, len(words), 20)]
    sentences = [x[0].upper() + x[1:] for x in sentences]
    return " ".join(sentences)


def _produce(out, total: int, seed: int, chunk: int = 250) -> None:
    """Write ``total`` synthetic articles with their fingerprints into ``out``, in chunks."""
    from tasks.commit_policy import make_fingerprint
    from workers.model import StaffingEvent

    rng = random.Random(seed)
    recent: list[tuple[str, list[str], int]] = []  # (text, names, index) of recent articles
    start_day = datetime(2020, 1, 1)
    batch = []
    for i in range(1, total + 1):
        published = start_day + timedelta(seconds=i * 43.2)  # 2,000 a day
        roll = rng.random()
        if recent and roll < 0.10:  # a syndicated copy with a credit line
            text, names, j = rng.choice(recent[-200:])
            text = text + " This story first appeared in a partner paper."
            source = ("copy", j)
        elif recent and roll < 0.35:  # the same story rewritten
            _, names, j = rng.choice(recent[-300:])
            text = _text(rng, names)
            source = ("rewrite", j)
        else:
            names = [_person(rng), _person(rng), rng.choice(ORGS)]
            text = _text(rng, names)
            source = ("new", i)
        events = []
        if rng.random() < 0.2:
            events = [StaffingEvent(type=rng.choice(["appointment", "departure"]), person=names[0],
                                    role=rng.choice(ROLES), organisation=names[2], counterpart=None,
                                    historical=False, evidence=text[:120], confidence=0.8)]
        t0 = time.perf_counter()
        fp = make_fingerprint(text, None)
        batch.append((i, published, text, events, fp, time.perf_counter() - t0, source))
        recent.append((text, names, i))
        if len(recent) > 400:
            del recent[:100]
        if len(batch) == chunk or i == total:
            out.put(batch)
            batch = []


def store_bytes(store, db_file: Path | None) -> int:
    """Size of the store on disk: the SQLite file with its WAL, or the PostgreSQL database."""
    if db_file is not None:
        return sum(f.stat().st_size for f in db_file.parent.glob(db_file.name + "*"))
    from sqlalchemy import text
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()


def _mib(pages: int) -> float:
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--database-url", default=None, help="default: a new SQLite file in a temp dir")
    ap.add_argument("--window", type=int, default=2000, help="articles timed at each checkpoint")
    ap.add_argument("--fill", action="store_true",
                    help="bulk-write the articles outside the timed windows (decisions known)")
    args = ap.parse_args()
    sizes = sorted(int(x) for x in args.sizes.split(","))
    tmp = tempfile.mkdtemp(prefix="aidewatch-scale-")
    os.environ.setdefault("AIDEWATCH_DATA_DIR", tmp)
    url = args.database_url or f"sqlite:///{tmp}/scale.db"
    os.environ["AIDEWATCH_DATABASE_URL"] = url

    from storage import Store
    from storage.bulk import DecidedArticle
    from storage.commit import story_id_for as story_for
    from tasks import runtime
    from tasks.commit_policy import make_policy

    store = Store(url)
    runtime.store.cache_clear()
    policy = make_policy()
    queue: mp.Queue = mp.get_context("fork").Queue(maxsize=64)
    producer = mp.get_context("fork").Process(target=_produce, args=(queue, sizes[-1], 7), daemon=True)
    producer.start()
    db_file = Path(url.split("///", 1)[1]) if url.startswith("sqlite") else None
    postgres = url.startswith("postgresql")
    print(f"store: {url.split('@')[-1]}", flush=True)
    print(f"{'articles':>10} {'store ms/article':>17} {'CPU ms':>7} {'fingerprint ms':>15} {'RSS MiB':>8} "
          f"{'peak MiB':>9} {'db MiB':>7} {'KiB/article':>11} {'wall s':>7}", flush=True)
    timed, t_store, t_fp, c_store = 0, 0.0, 0.0, 0.0
    wall0 = time.perf_counter()
    story_of: dict[int, str] = {}  # generator index -> story id stored (recent articles only)
    root_of: dict[int, str] = {}  # generator index -> article_id of its root copy
    fill: list[DecidedArticle] = []
    next_pk = store.next_article_pk()
    done = 0
    while done < sizes[-1]:
        for i, published, text, events, fp, fp_seconds, (kind, j) in queue.get():
            done = i
            nxt = next((s for s in sizes if s >= i), None)
            in_window = nxt is not None and i > nxt - args.window
            if args.fill and not in_window:
                story = story_for(f"syn-{i}") if kind == "new" else story_of[j]
                dup = root_of[j] if kind == "copy" else None
                fill.append(DecidedArticle(
                    pk=next_pk, article_id=f"syn-{i}", text=text, published=published, outlet="Synthetic",
                    fingerprint=fp, story_id=story, duplicate_of=dup,
                    events=tuple((ev, policy.merge_key(ev)) for ev in events)))
                next_pk += 1
                story_of[i], root_of[i] = story, dup or f"syn-{i}"
                if len(fill) >= 500 or i + 1 > nxt - args.window:
                    store.load_decided(fill)
                    fill = []
                    if i + 1 > nxt - args.window and postgres:
                        store.analyze()  # as autovacuum would after a bulk load (see above)
            else:
                t0, c0 = time.perf_counter(), time.process_time()
                pk, _ = store.add_article(article_id=f"syn-{i}", origin="backfill", alerts=False,
                                          text=text, published=published, outlet="Synthetic")
                store.claim_article(pk, "fetched", lease_seconds=60)
                result = store.commit_processed(pk, text=text, title=None, author=None, outlet=None,
                                                published=published, fingerprint=fp, events_found=events,
                                                policy=policy)
                elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
                next_pk = pk + 1
                story_of[i], root_of[i] = result.story_id, result.duplicate_of or f"syn-{i}"
                if in_window:
                    timed += 1
                    t_store += elapsed
                    c_store += cpu
                    t_fp += fp_seconds
            if i % 1000 == 0:  # the generator only refers back to its last few hundred articles
                for d in (story_of, root_of):
                    for k in [k for k in d if k < i - 2000]:
                        del d[k]
            if i in sizes:
                rss = _mib(int(open("/proc/self/statm").read().split()[1]))
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                db = store_bytes(store, db_file) / 2**20
                print(f"{i:>10,} {1000 * t_store / timed:>17.2f} {1000 * c_store / timed:>7.2f} "
                      f"{1000 * t_fp / timed:>15.2f} {rss:>8.0f} {peak:>9.0f} {db:>7.0f} {db * 1024 / i:>11.1f} "
                      f"{time.perf_counter() - wall0:>7.0f}", flush=True)
                timed, t_store, t_fp, c_store = 0, 0.0, 0.0, 0.0
    producer.join(timeout=10)


if __name__ == "__main__":
    main()
