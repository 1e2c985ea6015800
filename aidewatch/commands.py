"""What each ``aidewatch`` sub-command does (argument parsing lives in cli.py)."""
from __future__ import annotations

import csv
import json
import sys
import time
from contextlib import nullcontext
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
    """Read an archive (or a sitemap / feed-archive URL) into the store and the ``backfill`` queue."""
    from workers.archives import count_records, iter_archive, iter_listing
    source = args.path
    is_url = source.startswith(("http://", "https://"))
    if not is_url and "://" in source:
        raise UserError("backfill takes a file, a directory, or an http(s) URL of a sitemap or feed")
    path = Path(source)
    if not is_url and not path.exists():
        raise UserError(f"no such file or directory: {path}")
    store = _store(s)
    _seed_store(store, s)
    from tasks.backfill import BackfillRun, archive_signature
    from tasks.embedded import worker_thread
    from tqdm import tqdm

    bar = tqdm(total=None, unit="article", desc="backfill", disable=args.quiet, file=sys.stderr)
    if is_url:
        run = BackfillRun(store, label=source, alerts=args.alerts, on_read=bar.update)
        items = iter_listing(source, _listing_getter())
    else:
        key, sig = str(path.resolve()), archive_signature(path)
        checkpoint = store.backfill_checkpoint(key, sig)
        after, done_before = checkpoint if checkpoint else (None, 0)
        run = BackfillRun(store, label=path.name, alerts=args.alerts, key=key, sig=sig,
                          done_before=done_before, on_read=bar.update)
        total = count_records(path)
        bar.reset(total=total)
        bar.update(min(done_before, total or done_before))
        items = iter_archive(path, after=after)
        if checkpoint:
            print(f"backfill: resuming {path.name} after {done_before} records (position {after})",
                  file=sys.stderr)
        if done_before:
            run.requeue_interrupted()
    t0 = time.monotonic()
    queues = ["backfill", "alerts"] if args.alerts else ["backfill"]
    with worker_thread(queues, concurrency=max(1, args.concurrency)) if not args.no_wait else nullcontext():
        try:
            run.read(items)
            if not args.no_wait:
                bar.reset(total=len(run.touched) + run.problems)
                bar.update(len(run.touched) + run.problems - len(run.pending))
                run.wait(queues, on_done=bar.update)
        except KeyboardInterrupt:
            run.save_checkpoint()
            raise
        finally:
            bar.close()
    run.finish()
    elapsed = time.monotonic() - t0
    sm = store.summarise_articles(run.touched)
    print(f"backfill: {run.seen} records ({run.new} new, {run.seen - run.new} already stored), "
          f"{run.problems} unreadable{f', resumed after {run.done_before}' if run.done_before else ''}; "
          f"articles: {sm['processed']} processed ({sm['duplicates']} copies), {sm['failed']} failed, "
          f"{len(run.pending) if not args.no_wait else sm['pending']} unfinished; "
          f"events: {sm['events']} ({sm['sources']} reports); errors: {run.problems + sm['failed']}; "
          f"{elapsed:.1f} s", file=sys.stderr)
    if args.no_wait:
        print(f"backfill: {sm['pending']} articles queued on 'backfill' for the workers", file=sys.stderr)
    if is_url and not run.seen and run.problems:
        raise UserError(f"nothing listed at {source} (see the errors in `aidewatch status`)")
    return 0


def _listing_getter():
    """Fetch a sitemap or feed document through the SSRF-guarded fetch() with the size caps."""
    from tasks.pipeline import fetch_policy
    from workers import fetch
    from workers.archives import LISTING_TYPES
    policy = fetch_policy()
    client = fetch.make_client(policy)

    def get(url: str) -> tuple[bytes, str]:
        res = fetch.fetch(url, policy=policy, client=client, accept_types=fetch.TEXT_TYPES + LISTING_TYPES)
        return res.body, res.url
    return get


# --- export ----------------------------------------------------------------------------------

EVENT_CSV_FIELDS = ["id", "type", "person", "role", "organisation", "counterpart", "historical", "reported",
                    "confidence", "source_count", "article_ids", "outlets", "urls", "evidence",
                    "source_roles", "source_organisations", "source_historical"]  # one per article_id


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
                                 "evidence": src[0]["evidence"] if src else "",
                                 "source_roles": ";".join(x.get("role") or "" for x in src),
                                 "source_organisations": ";".join(x.get("organisation") or "" for x in src),
                                 "source_historical": ";".join(str(bool(x.get("historical"))).lower()
                                                               for x in src)})
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


def watch_import(args, s: Settings) -> int:
    """Add (or update) everyone of a watchlist TOML file; with --replace, drop those not in it."""
    from workers.config_files import load_watchlist_toml
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    try:
        people = load_watchlist_toml(path)
    except (ValueError, OSError) as exc:
        raise UserError(str(exc)) from exc
    store = _store(s)
    for person in people:
        store.add_watch(person)
    removed = []
    if args.replace:
        keep = {p.name for p in people}
        removed = [p.name for p in store.watchlist() if p.name not in keep]
        for name in removed:
            store.remove_watch(name)
    print(f"watching {len(people)} people from {path.name}" + (f"; removed {len(removed)}" if removed else ""))
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


def _source_wording(ev: dict, src: dict) -> str:
    """How one source gives the move, where it differs from the event's summary."""
    parts = []
    if src.get("role") and src["role"] != ev["role"] or src.get("organisation") and src["organisation"] != ev["organisation"]:
        post = " at ".join(x for x in (src.get("role"), src.get("organisation")) if x)
        parts.append(f"this source: {post}")
    if src.get("historical") and not ev["historical"]:
        parts.append("as background")
    return "; ".join(parts)


def timeline(args, s: Settings) -> int:
    """A person's moves, oldest first: what, where, who they replaced or were replaced by, and
    each source (date, outlet, link) with the sentence it gives; background mentions are marked."""
    from workers.event_merge import name_tokens, same_person
    store = _store(s)
    toks = name_tokens(args.person)
    if not toks:
        raise UserError(f"not a name: {args.person!r}")
    surname = toks[-1] if toks[-1].isascii() else None  # narrows the query; same_person decides
    found = [ev for ev in store.iter_events(person=surname) if same_person(ev["person"], args.person)]
    if not found:
        print(f"no moves found for {args.person}")
        return 0
    found.sort(key=lambda ev: (ev["reported"] or "", ev["historical"], ev["id"]))
    names = sorted({ev["person"] for ev in found}, key=lambda n: (-len(n), n))
    news = sum(not ev["historical"] for ev in found)
    print(f"{names[0]}: {news} move(s) reported as news, {len(found) - news} as background"
          + (f" (also named {', '.join(names[1:])})" if names[1:] else ""))
    for ev in found:
        what = "joins" if ev["type"] == "appointment" else "leaves"
        post = " ".join(x for x in [ev["role"] or "", ("at " + ev["organisation"]) if ev["organisation"] else ""] if x)
        line = f"{ev['reported'] or '????-??-??'}  {what} {post or 'a post'}"
        if ev["counterpart"]:
            line += f"; {'replaced by' if ev['type'] == 'departure' else 'replacing'} {ev['counterpart']}"
        if ev["historical"]:
            line += "  [background: an earlier move mentioned in later news]"
        print(line)
        for src in ev["sources"]:
            print(f"    {src['published'] or '?'}  {src['outlet'] or '?'}  {src['url'] or src['article_id']}")
            own = _source_wording(ev, src)
            if own:
                print(f"        ({own})")
            if src.get("evidence"):
                ev_text = " ".join(src["evidence"].split())
                print(f"        “{ev_text[:300]}{'…' if len(ev_text) > 300 else ''}”")
    return 0
