"""What each ``aidewatch`` sub-command does (argument parsing lives in cli.py)."""
from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path

from .settings import Settings, mask_url


from .common import UserError, open_store, where  # noqa: F401 - UserError is raised by every command

_store = open_store


# --- run -------------------------------------------------------------------------------------

def run(args, s: Settings) -> int:
    _store(s).close()
    print(f"aidewatch: broker {mask_url(s.broker_url)}", file=sys.stderr)
    from tasks.app import QUEUES, app
    if args.once:
        from tasks.embedded import wait_until_idle, worker_thread
        from tasks.pipeline import tick
        with worker_thread(QUEUES, concurrency=args.concurrency or 1):
            tick.apply_async(queue="poll")
            wait_until_idle(QUEUES)
        _print_summary(_store(s))
        return 0
    from celery import signals
    from tasks.pipeline import tick
    tick.apply_async(queue="poll")  # poll due feeds now rather than one beat interval from now
    stop = {}
    # Ctrl-C / SIGTERM: Celery's warm shutdown (no new task; the ones in hand finish), which it
    # reports with exit status 1 for SIGINT. A stop the user asked for is a success here.
    signals.worker_shutting_down.connect(lambda sig=None, how=None, **_: stop.update(sig=sig, how=how),
                                         weak=False)
    worker = app.Worker(beat=True, queues=list(QUEUES), concurrency=args.concurrency or s.worker_concurrency,
                        loglevel=s.log_level)
    worker.start()
    code = 0 if stop.get("how") == "Warm" else (worker.exitcode or 0)
    _exit_now(code)


def _exit_now(code: int) -> None:
    """End the process once the worker has stopped: its tasks are finished and acknowledged, and
    the interpreter's teardown of the stopped pool and beat threads would add seconds."""
    import logging
    import os
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _print_summary(store) -> None:
    c = store.counts()
    a = store.alert_counts()
    print(f"articles: {c['articles']} ({c.get('articles_processed', 0)} processed, "
          f"{c.get('articles_failed', 0)} failed); events: {c['events']} with {c['sources']} sources; "
          f"alerts: {sum(a.values())} ({a.get('sent', 0)} sent, {a.get('pending', 0)} pending, "
          f"{a.get('failed', 0)} failed)")


# --- backfill --------------------------------------------------------------------------------

class ProblemTally:
    """Unreadable records of a backfill by reason, with their first few positions (line numbers,
    file names or document URLs), for the summary."""

    SHOWN = 5

    def __init__(self):
        self.by_reason: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}

    def watch(self, items):
        from workers.archives import ArchiveProblem
        for item in items:
            if isinstance(item, ArchiveProblem) and item.skipped:
                self.counts[item.reason] = self.counts.get(item.reason, 0) + 1
                shown = self.by_reason.setdefault(item.reason, [])
                if len(shown) < self.SHOWN:
                    shown.append(mask_url(item.position))
            yield item

    def lines(self, what: str) -> list[str]:
        out = []
        for reason, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            shown = self.by_reason[reason]
            label = what if n > 1 else what.rstrip("s")
            out.append(f"  {reason}: {n} ({label} {', '.join(shown)}{', …' if n > len(shown) else ''})")
        return out


def _backfill_source(source: str):
    """(is_url, path) of a backfill argument; a one-line UserError for what cannot be read."""
    from workers.archives import archive_kind
    from workers.model import StageError
    if source.startswith(("http://", "https://")):
        from . import checks
        try:
            checks.http_url(source)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return True, None
    if "://" in source:
        raise UserError("backfill takes a file, a directory, or an http(s) URL of a sitemap or feed")
    path = Path(source)
    if not path.exists():
        raise UserError(f"no such file or directory: {path}")
    try:
        archive_kind(path)
    except StageError as exc:
        raise UserError(f"cannot backfill {path}: {exc.detail or exc.reason}") from None
    return False, path


def _kind(path: Path) -> str:
    from workers.archives import archive_kind
    return archive_kind(path)


def backfill(args, s: Settings) -> int:
    """Read an archive (or a sitemap / feed-archive URL) into the store and the ``backfill`` queue.
    Exit status 1 when no record at all could be read, else 0."""
    from workers.archives import count_records, iter_archive, iter_listing
    from workers.model import StageError
    source = args.path
    is_url, path = _backfill_source(source)
    store = _store(s)
    from tasks.backfill import BackfillRun, archive_signature
    from tasks.embedded import worker_thread
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    tally = ProblemTally()
    bar = tqdm(total=None, unit="article", desc="backfill", disable=args.quiet, file=sys.stderr)
    try:
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
                tqdm.write(f"backfill: resuming {path.name} after {done_before} records (position {after})",
                           file=sys.stderr)
            if done_before:
                run.requeue_interrupted()
    except (StageError, OSError) as exc:
        bar.close()
        raise UserError(f"cannot backfill {mask_url(source)}: {getattr(exc, 'detail', '') or exc}") from None
    t0 = time.monotonic()
    queues = ["backfill", "alerts"] if args.alerts else ["backfill"]
    # Log lines (Celery, the tasks) go through tqdm.write, above the bar instead of through it.
    with logging_redirect_tqdm(tqdm_class=tqdm), \
            (worker_thread(queues, concurrency=max(1, args.concurrency)) if not args.no_wait else nullcontext()):
        try:
            run.read(tally.watch(items))
            if not args.no_wait:
                bar.reset(total=len(run.touched) + run.problems)
                bar.update(len(run.touched) + run.problems - len(run.pending))
                run.wait(queues, on_done=bar.update)
        except KeyboardInterrupt:
            run.save_checkpoint()
            raise
        except StageError as exc:  # the archive broke off as a whole (stored records stay)
            run.save_checkpoint()
            raise UserError(f"cannot read {mask_url(source)} further: {exc.detail or exc.reason}") from None
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
    if tally.counts:
        print("unreadable records by reason:", file=sys.stderr)
        label = "documents" if is_url else {"jsonl": "lines", "dir": "files"}.get(_kind(path), "offsets")
        print("\n".join(tally.lines(label)), file=sys.stderr)
    if args.no_wait:
        print(f"backfill: {sm['pending']} articles queued on 'backfill' for the workers", file=sys.stderr)
    if not run.seen and not run.done_before:
        what = f"nothing listed at {mask_url(source)}" if is_url else f"no readable record in {path}"
        print(f"aidewatch: {what}" + (" (reasons above)" if tally.counts else ""), file=sys.stderr)
        return 1
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
