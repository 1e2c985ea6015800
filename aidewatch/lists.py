"""The ``feeds`` and ``watch`` sub-commands: the lists a person keeps in the store."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import checks
from .common import UserError, feed_json, open_store, where
from .settings import Settings, mask_url

if TYPE_CHECKING:
    from storage import Feed


def _checked(check, *args):
    try:
        return check(*args)
    except ValueError as exc:
        raise UserError(str(exc)) from None


# --- feeds -----------------------------------------------------------------------------------

def _feed_title(url: str | None, path: str | None, s: Settings) -> str:
    """The title of the feed at ``url`` / ``path`` (read with the fetch guard and caps)."""
    from workers import feeds
    from workers.model import StageError
    try:
        if path:
            data, base = feeds.read_local_feed(Path(path), s.fetch_max_bytes), None
        else:
            from tasks.pipeline import fetch_policy, http_client
            from workers import fetch
            policy = fetch_policy(settings=s)  # this command's settings, not those of import time
            res = fetch.fetch(url, policy=policy, client=http_client(policy))
            data, base = res.body, res.url
        parsed = feeds.parse_feed(data, url=base)
    except StageError as exc:
        raise UserError(f"cannot read the feed at {mask_url(url or path)} to take its name "
                        f"({exc.reason}: {mask_url(exc.detail or '')}); give a name: "
                        "aidewatch feeds add NAME SOURCE") from None
    if not parsed.title or not parsed.title.strip():
        raise UserError(f"the feed at {mask_url(url or path)} has no title; give a name: "
                        "aidewatch feeds add NAME SOURCE")
    return parsed.title


def feeds_add(args, s: Settings) -> int:
    """``feeds add [NAME] SOURCE``: one argument is the source, and the name is the feed's title."""
    name, src = (args.name, args.source) if args.source is not None else (None, args.name)
    is_url = "://" in src
    if is_url:
        url, path = _checked(checks.http_url, src), None
    else:
        p = Path(src).expanduser()
        if not p.is_file():
            raise UserError(f"no such feed file: {src} (a feed is an http(s) URL or a local file)")
        url, path = None, str(p.resolve())
    if name is not None:
        name = _checked(checks.display_name, name, "the feed name")
    store = open_store(s)
    if name is None:
        name = _checked(checks.display_name, _feed_title(url, path, s), "the feed's title")
    clash = store.feeds_like(name, url=url, path=path)
    if clash and not args.replace:
        what = "; ".join(f"{c.name!r} ({mask_url(c.url or c.path)})" for c in clash)
        raise UserError(f"a feed with this name or source exists already: {what}; "
                        "use --replace to overwrite it")
    if len(clash) > 1:
        raise UserError("the name and the source belong to two different feeds; remove one first")
    if clash and clash[0].name != name:  # same source under another name: rename it
        store.remove_feed(clash[0].name)
    store.add_feed(name, url=url, path=path,
                   interval_minutes=args.interval if args.interval is not None else s.poll_interval_minutes,
                   alert_max_age_days=args.alert_max_age_days, replace=True)
    print(f"feed {name!r} {'replaced' if clash else 'added'}: {mask_url(src)} in {where(s)}")
    return 0


def _health(f: Feed) -> str:
    if f.health == "failing":
        return f"FAILING ({f.error_count} errors: {f.last_error})"
    return f"retrying ({f.last_error})" if f.health == "retrying" else f.health


def feeds_list(args, s: Settings) -> int:
    store = open_store(s, create=False)
    rows = store.list_feeds()
    if args.json:
        json.dump([feed_json(f) for f in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not rows:
        print(f"no feeds in {where(s)} (add one: aidewatch feeds add URL)", file=sys.stderr)
    for f in rows:
        print(f"{f.name}\t{mask_url(f.url) if f.url else f.path}\tevery {f.interval_minutes:g} min\t"
              f"{_health(f)}\tnext check {f.next_check_at:%Y-%m-%d %H:%M} UTC")
    return 0


def feeds_remove(args, s: Settings) -> int:
    store = open_store(s, create=False)
    match = [f for f in store.list_feeds() if f.name.casefold() == " ".join(args.name.split()).casefold()]
    if not match:
        raise UserError(f"no feed named {args.name!r} in {where(s)} (see: aidewatch feeds list)")
    store.remove_feed(match[0].name)
    print(f"feed {match[0].name!r} removed from {where(s)}")
    return 0


# --- watch -----------------------------------------------------------------------------------

def watch_add(args, s: Settings) -> int:
    from workers.model import WatchPerson
    name = _checked(checks.display_name, args.name, "the person's name")
    aliases = tuple(dict.fromkeys(_checked(checks.display_name, a, "an alias") for a in args.alias))
    orgs = tuple(dict.fromkeys(_checked(checks.display_name, o, "an organisation") for o in args.org))
    store = open_store(s)
    known = store.find_watch(name)
    outcome = store.add_watch(WatchPerson(name=known.name if known else name, aliases=aliases,
                                          organisations=orgs), replace=False)
    shown = known.name if known else name
    if outcome == "added":
        print(f"watching {shown} (in {where(s)})")
    elif outcome == "updated":
        print(f"already watching {shown}: aliases and organisations added (in {where(s)})")
    else:
        print(f"already watching {shown} (in {where(s)})")
    return 0


def person_json(p) -> dict:
    return {"name": p.name, "aliases": list(p.aliases), "organisations": list(p.organisations)}


def watch_list(args, s: Settings) -> int:
    people = open_store(s, create=False).watchlist()
    if args.json:
        json.dump([person_json(p) for p in people], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not people:
        print(f"nobody is watched in {where(s)} (add someone: aidewatch watch add NAME)", file=sys.stderr)
    for p in people:
        extra = []
        if p.aliases:
            extra.append("aliases: " + ", ".join(p.aliases))
        if p.organisations:
            extra.append("at: " + ", ".join(p.organisations))
        print(p.name + ("\t" + "; ".join(extra) if extra else ""))
    return 0


def watch_import(args, s: Settings) -> int:
    """Add (or update) everyone of a watchlist TOML file; with --replace, drop those not in it.
    The file is checked whole before anything is written."""
    from workers.config_files import load_watchlist_toml
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    try:
        people = load_watchlist_toml(path)
    except (ValueError, OSError) as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    store = open_store(s)
    for person in people:
        known = store.find_watch(person.name)
        store.add_watch(person if known is None else
                        type(person)(known.name, person.aliases, person.organisations), replace=True)
    removed = []
    if args.replace:
        keep = {" ".join(p.name.split()).casefold() for p in people}
        removed = [p.name for p in store.watchlist() if " ".join(p.name.split()).casefold() not in keep]
        for name in removed:
            store.remove_watch(name)
    print(f"watching {len(people)} people from {path.name}" + (f"; removed {len(removed)}" if removed else "")
          + f" (in {where(s)})")
    return 0


def watch_remove(args, s: Settings) -> int:
    removed = open_store(s, create=False).remove_watch(args.name)
    if not removed:
        raise UserError(f"{args.name!r} is not on the watchlist of {where(s)} (see: aidewatch watch list)")
    print(f"no longer watching {removed} (in {where(s)})")
    return 0
