"""The ``aidewatch`` command: run, backfill, export, feeds, watch, status, timeline."""
from __future__ import annotations

import argparse
import logging
import sys

from . import commands


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aidewatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="worker + beat until stopped (Ctrl-C stops cleanly)")
    run.add_argument("--once", action="store_true", help="poll every due feed once, process it all, exit")
    run.add_argument("--concurrency", type=int, default=None, help="worker processes (default: setting)")
    run.set_defaults(func=commands.run)

    bf = sub.add_parser("backfill", help="ingest an archive: .jsonl, a directory, a WARC file, "
                                         "or the http(s) URL of a news sitemap or a paged feed archive")
    bf.add_argument("path", help="file, directory, or http(s) URL of a sitemap / feed (RFC 5005)")
    bf.add_argument("--alerts", action="store_true", help="alert on backfilled events too")
    bf.add_argument("--concurrency", type=int, default=1, help="worker threads in this process")
    bf.add_argument("--no-wait", action="store_true", help="only enqueue; other workers drain the queue")
    bf.add_argument("--quiet", action="store_true", help="no progress bar")
    bf.set_defaults(func=commands.backfill)

    ex = sub.add_parser("export", help="write events or articles to standard output")
    ex.add_argument("what", choices=["events", "articles"])
    ex.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ex.set_defaults(func=commands.export)

    feeds = sub.add_parser("feeds", help="manage feeds").add_subparsers(dest="action", required=True)
    fa = feeds.add_parser("add", help="add a feed by URL or local file path")
    fa.add_argument("name")
    fa.add_argument("source", help="http(s) URL, or a path to a local feed file")
    fa.add_argument("--interval", type=float, default=None, help="minutes between polls")
    fa.add_argument("--alert-max-age-days", type=float, default=None)
    fa.set_defaults(func=commands.feeds_add)
    feeds.add_parser("list").set_defaults(func=commands.feeds_list)
    fr = feeds.add_parser("remove")
    fr.add_argument("name")
    fr.set_defaults(func=commands.feeds_remove)

    watch = sub.add_parser("watch", help="manage the watchlist").add_subparsers(dest="action", required=True)
    wa = watch.add_parser("add", help="track a person")
    wa.add_argument("name")
    wa.add_argument("--alias", action="append", default=[], help="another name (repeatable)")
    wa.add_argument("--org", action="append", default=[], help="only at this organisation (repeatable)")
    wa.set_defaults(func=commands.watch_add)
    watch.add_parser("list").set_defaults(func=commands.watch_list)
    wi = watch.add_parser("import", help="add the [[people]] of a watchlist TOML file")
    wi.add_argument("file")
    wi.add_argument("--replace", action="store_true", help="also remove people not in the file")
    wi.set_defaults(func=commands.watch_import)
    wr = watch.add_parser("remove")
    wr.add_argument("name")
    wr.set_defaults(func=commands.watch_remove)

    sub.add_parser("status", help="feeds, queues, last events and errors").set_defaults(func=commands.status)

    tl = sub.add_parser("timeline", help="a person's moves over time, with sources")
    tl.add_argument("person")
    tl.set_defaults(func=commands.timeline)

    sv = sub.add_parser("serve", help="the read-only web view, JSON API, Atom feeds and /metrics")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--public", action="store_true", help="allow a non-loopback address without a token")
    sv.set_defaults(func=_serve)
    return p


def _serve(args, s) -> int:
    from .web.serve import serve
    return serve(args, s)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .settings import load
    s = load()
    logging.basicConfig(level=getattr(logging, s.log_level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # kombu warns that filesystem:// has no host name on every connection; it needs none.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return int(args.func(args, s) or 0)
    except KeyboardInterrupt:
        return 130
    except commands.UserError as exc:
        print(f"aidewatch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
