"""What each ``aidewatch`` sub-command does (argument parsing lives in cli.py)."""
from __future__ import annotations

import csv
import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from .settings import Settings, mask_url


class UserError(Exception):
    """A mistake the user can fix; printed on one line without a traceback (exit 2)."""


def open_store(s: Settings, *, create: bool = True):
    """The store of ``s`` (migrated; defaults loaded when it is new). ``create=False``: a missing
    SQLite file is an error, so a read-only command never makes an empty store."""
    from .startup import StoreOpenError, open_store as _open
    try:
        return _open(s, create=create)
    except StoreOpenError as exc:
        raise UserError(str(exc)) from None


def _store(s: Settings, *, create: bool = True):
    return open_store(s, create=create)


def where(s: Settings) -> str:
    """The store's location, for the messages of the commands."""
    from .startup import store_location
    return store_location(s)


# --- run -------------------------------------------------------------------------------------

def run(args, s: Settings) -> int:
    _store(s).close()
    print(f"aidewatch: store {where(s)}; broker {mask_url(s.broker_url)}", file=sys.stderr)
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
    if not args.quiet:
        print(f"aidewatch: store {where(s)}", file=sys.stderr)
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


# The other sub-commands live in lists.py (feeds, watch) and reports.py (status, export, show,
# timeline); re-exported so ``commands.X`` names every sub-command.
from .lists import feeds_add, feeds_list, feeds_remove, watch_add, watch_import, watch_list, watch_remove  # noqa: E402,F401
from .reports import export, show, status, timeline  # noqa: E402,F401
