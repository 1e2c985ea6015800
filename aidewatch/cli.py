"""aidewatch: track who moves in and out of jobs, from the news.

Polls news feeds, extracts staffing events (a named person appointed to, or leaving, a post),
groups the coverage of one story and alerts once when someone on the watchlist moves.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from . import checks, commands, lists, reports

EPILOG_TAIL = "Each sub-command has its own --help. Exit status: 0 done, 1 failed, 2 bad input or settings."


def _epilog() -> str:
    """The settings (AIDEWATCH_* environment variables) and the store they point at, for --help."""
    from .settings import SETTINGS, SettingsError, load
    from .startup import store_location
    try:
        s = load()
        head = f"store: {store_location(s)}\nbroker: {commands.mask_url(s.broker_url)}"
    except SettingsError as exc:
        head = f"settings: {exc}"
    names = "\n".join(f"  {n:34} {d}" for n, (_default, d) in SETTINGS.items())
    return f"{head}\n\nsettings (environment variables):\n{names}\n\n{EPILOG_TAIL}"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("aidewatch")
    except PackageNotFoundError:
        return "unknown"


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (the usage is one ``--help`` away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def _add(sub, name: str, func, text: str, **kw) -> argparse.ArgumentParser:
    """A sub-command whose one-line ``text`` is both its list entry and its description."""
    p = sub.add_parser(name, help=text, description=text, **kw)
    p.set_defaults(func=func)
    return p


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="aidewatch", description=__doc__, epilog=_epilog(),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"aidewatch {_version()}")
    p.add_argument("--data-dir", metavar="DIR",
                   help="folder of the embedded store, broker and state (sets AIDEWATCH_DATA_DIR)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = _add(sub, "run", commands.run, "run worker + beat until stopped (Ctrl-C or SIGTERM stops cleanly)")
    run.add_argument("--once", action="store_true", help="poll every due feed once, process it all, exit")
    run.add_argument("--concurrency", type=checks.positive_int, default=None,
                     help="worker processes (default: AIDEWATCH_WORKER_CONCURRENCY)")

    bf = _add(sub, "backfill", commands.backfill,
              "ingest an archive (.jsonl, a directory, a WARC file) or the http(s) URL of a news sitemap "
              "or a paged feed archive")
    bf.add_argument("path", help="file, directory, or http(s) URL of a sitemap / feed (RFC 5005)")
    bf.add_argument("--alerts", action="store_true", help="alert on backfilled events too")
    bf.add_argument("--concurrency", type=checks.positive_int, default=1, help="worker threads in this process")
    bf.add_argument("--no-wait", action="store_true", help="only enqueue; other workers drain the queue")
    bf.add_argument("--quiet", action="store_true", help="no progress bar and no log lines; the summary only")

    ex = _add(sub, "export", reports.export, "write events or articles as JSON lines or CSV")
    ex.add_argument("what", choices=["events", "articles"])
    ex.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ex.add_argument("--since", type=checks.day, metavar="DATE", help="events reported on or after DATE (YYYY-MM-DD)")
    ex.add_argument("--person", metavar="NAME", help="events of this person only")
    ex.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout")

    feeds = _add(sub, "feeds", None, "manage the feeds that are polled").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    fa = _add(feeds, "add", lists.feeds_add,
              "add a feed by http(s) URL or local file path; without NAME the feed's title is its name")
    fa.add_argument("name", metavar="[NAME]", help="the feed's name (optional)")
    fa.add_argument("source", nargs="?", metavar="SOURCE", help="http(s) URL, or a path to a local feed file")
    fa.add_argument("--interval", type=checks.positive_number, default=None, metavar="MINUTES",
                    help="minutes between polls (default: AIDEWATCH_POLL_INTERVAL_MINUTES)")
    fa.add_argument("--alert-max-age-days", type=checks.non_negative_number, default=None, metavar="DAYS",
                    help="alert only on articles younger than this (0 = no limit)")
    fa.add_argument("--replace", action="store_true", help="overwrite a feed of the same name or source")
    fl = _add(feeds, "list", lists.feeds_list, "list the feeds with their health and next check")
    fl.add_argument("--json", action="store_true", help="as a JSON array")
    fr = _add(feeds, "remove", lists.feeds_remove, "stop polling a feed (its articles and events stay)")
    fr.add_argument("name")

    watch = _add(sub, "watch", None, "manage the watchlist of people to be alerted about").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    wa = _add(watch, "add", lists.watch_add,
              "track a person (names match in any case; adding someone again keeps their aliases)")
    wa.add_argument("name")
    wa.add_argument("--alias", action="append", default=[], help="another name (repeatable)")
    wa.add_argument("--org", action="append", default=[], help="only at this organisation (repeatable)")
    wl = _add(watch, "list", lists.watch_list, "list the people tracked, with aliases and organisations")
    wl.add_argument("--json", action="store_true", help="as a JSON array")
    wi = _add(watch, "import", lists.watch_import, "add or update the [[people]] of a watchlist TOML file")
    wi.add_argument("file")
    wi.add_argument("--replace", action="store_true", help="also remove people not in the file")
    wr = _add(watch, "remove", lists.watch_remove, "stop tracking a person (any case)")
    wr.add_argument("name")

    st = _add(sub, "status", reports.status,
              "the store in use, feeds with health and next check, queues, last events and errors, alerts")
    st.add_argument("--json", action="store_true", help="as one JSON object")

    tl = _add(sub, "timeline", reports.timeline, "a person's moves over time, with their sources")
    tl.add_argument("person")

    sh = _add(sub, "show", reports.show, "one event with all its sources and the sentence each gives")
    sh.add_argument("event_id")
    sh.add_argument("--json", action="store_true", help="as JSON (the export schema)")

    sv = _add(sub, "serve", _serve, "the read-only web view, JSON API, Atom feeds and /metrics over the store")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--public", action="store_true", help="allow a non-loopback address without a token")
    return p


def _serve(args, s) -> int:
    from .web.serve import serve
    return serve(args, s)


def _quiet_logs(s, args) -> None:
    level = logging.ERROR if getattr(args, "quiet", False) else getattr(logging, s.log_level, logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # kombu warns that filesystem:// has no host name on every connection; it needs none.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir:
        os.environ["AIDEWATCH_DATA_DIR"] = args.data_dir  # before tasks.app reads the settings
    from storage import StoreError
    from .settings import SettingsError, load
    try:
        s = load()
    except SettingsError as exc:
        print(f"aidewatch: {exc}", file=sys.stderr)
        return 2
    _quiet_logs(s, args)
    try:
        return int(args.func(args, s) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `aidewatch ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except commands.UserError as exc:
        print(f"aidewatch: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"aidewatch: store error ({commands.where(s)}): {commands.mask_url(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
