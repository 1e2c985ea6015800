"""What each ``aidewatch`` sub-command does (argument parsing lives in cli.py)."""
from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from .settings import Settings


class UserError(Exception):
    """A mistake the user can fix; printed without a traceback."""


def _store(s: Settings):
    from storage import Store
    try:
        return Store(s.database_url)
    except Exception as exc:  # noqa: BLE001 - say which database could not be opened
        raise UserError(f"cannot open the store at {s.database_url}: {exc}") from exc


def _seed_store(store, s: Settings) -> None:
    """Load the feeds and watchlist files into a store that has none yet (first run)."""
    from workers.config_files import load_feeds_toml, load_watchlist_toml
    try:
        if not store.list_feeds() and s.feeds_file.exists():
            for f in load_feeds_toml(s.feeds_file):
                store.add_feed(f["name"], url=f.get("url"), path=f.get("path") and str(f["path"]),
                               interval_minutes=f.get("interval_minutes") or s.poll_interval_minutes,
                               alert_max_age_days=f.get("alert_max_age_days"))
        if not store.watchlist() and s.watchlist_file.exists():
            for person in load_watchlist_toml(s.watchlist_file):
                store.add_watch(person)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


# --- run -------------------------------------------------------------------------------------

def run(args, s: Settings) -> int:
    store = _store(s)
    _seed_store(store, s)
    store.close()
    from tasks.app import QUEUES, app
    if args.once:
        from tasks.embedded import wait_until_idle, worker_thread
        from tasks.pipeline import tick
        with worker_thread(QUEUES, concurrency=args.concurrency or 1):
            tick.apply_async(queue="poll")
            wait_until_idle(QUEUES)
        _print_summary(_store(s))
        return 0
    from tasks.pipeline import tick
    tick.apply_async(queue="poll")  # poll due feeds now rather than one beat interval from now
    worker = app.Worker(beat=True, queues=list(QUEUES), concurrency=args.concurrency or s.worker_concurrency,
                        loglevel=s.log_level, schedule_filename=str(s.data_dir / "beat-schedule"))
    worker.start()
    return worker.exitcode or 0


def _print_summary(store) -> None:
    c = store.counts()
    a = store.alert_counts()
    print(f"articles: {c['articles']} ({c.get('articles_processed', 0)} processed, "
          f"{c.get('articles_failed', 0)} failed); events: {c['events']} with {c['sources']} sources; "
          f"alerts: {sum(a.values())} ({a.get('sent', 0)} sent, {a.get('pending', 0)} pending, "
          f"{a.get('failed', 0)} failed)")


# --- backfill --------------------------------------------------------------------------------

def backfill(args, s: Settings) -> int:
    from workers.archives import ArchiveProblem, count_records, iter_archive
    from workers.urls import canonical_url
    path = Path(args.path)
    if not path.exists():
        raise UserError(f"no such file or directory: {path}")
    store = _store(s)
    _seed_store(store, s)
    from tasks.embedded import wait_until_idle, worker_thread
    from tasks.pipeline import enqueue_article
    from tqdm import tqdm

    total = count_records(path)
    new = seen = problems = 0
    pending: set[int] = set()
    t0 = time.monotonic()
    queues = ["backfill", "alerts"] if args.alerts else ["backfill"]
    with worker_thread(queues, concurrency=max(1, args.concurrency)) if not args.no_wait else _null():
        bar = tqdm(total=total, unit="article", desc="backfill", disable=args.quiet, file=sys.stderr)
        for item in iter_archive(path):
            if isinstance(item, ArchiveProblem):
                store.record_error("backfill", f"{path.name}:{item.position}", item.reason, item.detail)
                if item.skipped:
                    problems += 1
                    bar.update(1)
                continue
            url = item.url
            pk, created = store.add_article(
                article_id=item.id, url=url, canonical_url=canonical_url(url) if url else None,
                origin="backfill", alerts=args.alerts, outlet=item.outlet, title=item.title,
                published=item.published, text=item.text,
                raw=item.html.encode("utf-8") if item.html and not item.text else None,
                content_type="text/html; charset=utf-8" if item.html else None)
            new += created
            seen += 1
            status = store.article_status(pk)
            if status in ("discovered", "fetched"):
                pending.add(pk)
                enqueue_article(pk, status, "backfill")
            bar.update(1)
        if not args.no_wait:
            bar.reset(total=seen + problems)
            bar.update(seen + problems - len(pending))

            def progress():
                done = store.finished_among(pending)
                pending.difference_update(done)
                bar.update(len(done))
            wait_until_idle(queues, on_tick=progress)
            progress()
        bar.close()
    elapsed = time.monotonic() - t0
    c = store.counts()
    print(f"backfill: {seen} records ({new} new, {seen - new} already stored), {problems} unreadable, "
          f"{len(pending)} unfinished; store: {c['articles']} articles, "
          f"{c.get('articles_failed', 0)} failed, {c['events']} events; {elapsed:.1f} s", file=sys.stderr)
    return 0


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


# --- export ----------------------------------------------------------------------------------

EVENT_CSV_FIELDS = ["id", "type", "person", "role", "organisation", "counterpart", "historical", "reported",
                    "confidence", "source_count", "article_ids", "outlets", "urls", "evidence"]


def export(args, s: Settings) -> int:
    store = _store(s)
    out = sys.stdout
    if args.what == "events":
        rows = store.iter_events()
        if args.format == "jsonl":
            for ev in rows:
                out.write(json.dumps(ev, ensure_ascii=False) + "\n")
        else:
            w = csv.DictWriter(out, fieldnames=EVENT_CSV_FIELDS)
            w.writeheader()
            for ev in rows:
                src = ev.pop("sources")
                w.writerow(ev | {"source_count": len(src),
                                 "article_ids": ";".join(x["article_id"] for x in src),
                                 "outlets": ";".join(sorted({x["outlet"] or "" for x in src})),
                                 "urls": ";".join(x["url"] or "" for x in src),
                                 "evidence": src[0]["evidence"] if src else ""})
    else:
        rows = store.iter_articles()
        if args.format == "jsonl":
            for a in rows:
                out.write(json.dumps(a, ensure_ascii=False) + "\n")
        else:
            first = next(rows, None)
            if first is not None:
                w = csv.DictWriter(out, fieldnames=list(first))
                w.writeheader()
                w.writerow(first)
                w.writerows(rows)
    return 0


# --- feeds, watch ----------------------------------------------------------------------------

def feeds_add(args, s: Settings) -> int:
    store = _store(s)
    src = args.source
    is_url = src.startswith(("http://", "https://"))
    if not is_url and "://" in src:
        raise UserError("a feed is an http(s) URL or a local file path")
    if not is_url and not Path(src).exists():
        raise UserError(f"no such feed file: {src}")
    store.add_feed(args.name, url=src if is_url else None, path=None if is_url else str(Path(src).resolve()),
                   interval_minutes=args.interval or s.poll_interval_minutes,
                   alert_max_age_days=args.alert_max_age_days, replace=True)
    print(f"feed {args.name!r} added")
    return 0


def feeds_list(args, s: Settings) -> int:
    store = _store(s)
    _seed_store(store, s)
    for f in store.list_feeds():
        print(f"{f['name']}\t{f['url'] or f['path']}\tevery {f['interval_minutes']:g} min\t"
              f"{_health(f)}\tnext check {f['next_check_at']:%Y-%m-%d %H:%M} UTC")
    return 0


def feeds_remove(args, s: Settings) -> int:
    if not _store(s).remove_feed(args.name):
        raise UserError(f"no feed named {args.name!r}")
    print(f"feed {args.name!r} removed")
    return 0


def watch_add(args, s: Settings) -> int:
    from workers.model import WatchPerson
    _store(s).add_watch(WatchPerson(name=args.name, aliases=tuple(args.alias), organisations=tuple(args.org)))
    print(f"watching {args.name}")
    return 0


def watch_list(args, s: Settings) -> int:
    store = _store(s)
    _seed_store(store, s)
    for p in store.watchlist():
        extra = []
        if p.aliases:
            extra.append("aliases: " + ", ".join(p.aliases))
        if p.organisations:
            extra.append("at: " + ", ".join(p.organisations))
        print(p.name + ("\t" + "; ".join(extra) if extra else ""))
    return 0


def watch_remove(args, s: Settings) -> int:
    if not _store(s).remove_watch(args.name):
        raise UserError(f"{args.name!r} is not on the watchlist")
    print(f"no longer watching {args.name}")
    return 0


# --- status, timeline ------------------------------------------------------------------------

def _health(f: dict) -> str:
    if f["error_count"] >= 3:
        return f"FAILING ({f['error_count']} errors: {f['last_error']})"
    if f["error_count"]:
        return f"retrying ({f['last_error']})"
    return "ok" if f["last_polled_at"] else "new"


def status(args, s: Settings) -> int:
    store = _store(s)
    from tasks.queues import depths
    print("Feeds:")
    for f in store.list_feeds():
        print(f"  {f['name']}: {_health(f)}; next check {f['next_check_at']:%Y-%m-%d %H:%M} UTC")
    d = depths()
    print("Queues: " + ", ".join(f"{q} {'?' if n is None else n}" for q, n in d.items()))
    c = store.counts()
    a = store.alert_counts()
    print(f"Store: {c['articles']} articles ({c.get('articles_processed', 0)} processed, "
          f"{c.get('articles_discovered', 0) + c.get('articles_fetched', 0)} pending, "
          f"{c.get('articles_failed', 0)} failed), {c['events']} events")
    print(f"Alerts: {a.get('sent', 0)} sent, {a.get('pending', 0)} pending, {a.get('failed', 0)} failed")
    for al in store.list_alerts(limit=5):
        if al["status"] == "failed":
            print(f"  failed alert {al['id']} to {al['channel'].split('://')[0]}://…: {al['last_error']}")
    print("Last events:")
    for ev in store.last_events(limit=5):
        print(f"  {ev['reported']} {ev['type']}: {ev['person']} — {ev['role'] or '?'} at "
              f"{ev['organisation'] or '?'} ({len(ev['sources'])} source(s))")
    print("Last errors:")
    for e in store.last_errors(limit=10):
        print(f"  {e['at']:%Y-%m-%d %H:%M} {e['scope']} {e['ref']}: {e['reason']} {e['detail'] or ''}"[:200])
    return 0


def timeline(args, s: Settings) -> int:
    from workers.event_merge import same_person
    store = _store(s)
    found = [ev for ev in store.iter_events() if same_person(ev["person"], args.person)]
    if not found:
        print(f"no moves found for {args.person}")
        return 0
    for ev in found:
        what = "joins" if ev["type"] == "appointment" else "leaves"
        post = " ".join(x for x in [ev["role"] or "", ("at " + ev["organisation"]) if ev["organisation"] else ""] if x)
        flag = " (background)" if ev["historical"] else ""
        print(f"{ev['reported']}  {ev['person']} {what} {post or 'a post'}{flag}")
        for src in ev["sources"]:
            print(f"    {src['published'] or '?'} {src['outlet'] or ''} {src['url'] or src['article_id']}")
    return 0
