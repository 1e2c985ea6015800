"""The read-only sub-commands: ``status``, ``export``, ``show``, ``timeline``."""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .common import UserError, feed_json, iso_utc, open_store, where
from .lists import _health
from .settings import Settings, mask_url

EVENT_CSV_FIELDS = ["id", "type", "person", "role", "organisation", "counterpart", "historical", "reported",
                    "confidence", "source_count", "article_ids", "outlets", "urls", "evidence",
                    "source_roles", "source_organisations", "source_historical"]  # one per article_id


@contextmanager
def _output(path: str | None):
    """Standard output, or ``path`` written whole or not at all (a temporary file renamed at the end)."""
    if not path or path == "-":
        yield sys.stdout
        return
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise UserError(f"cannot write {path}: no such directory {target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=".aidewatch-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _events(store, args):
    """Events of the store, filtered by ``--since`` (reported on or after) and ``--person``."""
    from workers.event_merge import name_tokens, same_person
    person = getattr(args, "person", None)
    since = getattr(args, "since", None)
    surname = None
    if person:
        toks = name_tokens(person)
        if not toks:
            raise UserError(f"not a name: {person!r}")
        surname = toks[-1] if toks[-1].isascii() else None  # narrows the query; same_person decides
    for ev in store.iter_events(person=surname):
        if person and not same_person(ev["person"], person):
            continue
        if since and (ev["reported"] or "") < since.date().isoformat():
            continue
        yield ev


def export(args, s: Settings) -> int:
    store = open_store(s, create=False)
    if args.what == "articles" and (args.since or args.person):
        raise UserError("--since and --person filter events; export articles takes neither")
    with _output(args.output) as out:
        if args.what == "events":
            rows = _events(store, args)
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


def show(args, s: Settings) -> int:
    """One event with every source and the sentence each gives."""
    ev = open_store(s, create=False).get_event(args.event_id.strip())
    if ev is None:
        raise UserError(f"no event {args.event_id!r} in {where(s)} (ids: aidewatch export events)")
    if args.json:
        print(json.dumps(ev, ensure_ascii=False, indent=1))
        return 0
    what = "joins" if ev["type"] == "appointment" else "leaves"
    post = " ".join(x for x in [ev["role"] or "", ("at " + ev["organisation"]) if ev["organisation"] else ""] if x)
    print(f"{ev['id']}: {ev['person']} {what} {post or 'a post'}")
    print(f"  type: {ev['type']}; reported: {ev['reported'] or '?'}; confidence: {ev['confidence']}"
          + ("; background (an earlier move mentioned in later news)" if ev["historical"] else ""))
    if ev["counterpart"]:
        print(f"  {'replaced by' if ev['type'] == 'departure' else 'replacing'}: {ev['counterpart']}")
    print(f"  {len(ev['sources'])} source(s):")
    for src in ev["sources"]:
        print(f"    {src['published'] or '?'}  {src['outlet'] or '?'}  {src['url'] or src['article_id']}")
        if src.get("evidence"):
            print(f"        “{' '.join(src['evidence'].split())}”")
    return 0


def _status_data(store, s: Settings) -> dict:
    from tasks.queues import depths
    c, a = store.counts(), store.alert_counts()
    return {
        "store": where(s), "broker": mask_url(s.broker_url),
        "feeds": [feed_json(f) for f in store.list_feeds()],
        "queues": depths(),
        "articles": {"total": c["articles"], "processed": c.get("articles_processed", 0),
                     "pending": c.get("articles_discovered", 0) + c.get("articles_fetched", 0),
                     "failed": c.get("articles_failed", 0)},
        "events": c["events"],
        "alerts": {k: a.get(k, 0) for k in ("sent", "pending", "failed")},
        "failed_alerts": [{"id": al["id"], "channel": al["channel"].split("://")[0] + "://…",
                           "error": al["last_error"]} for al in store.list_alerts(limit=5)
                          if al["status"] == "failed"],
        "last_events": store.last_events(limit=5),
        "last_errors": [{"at": iso_utc(e["at"]), "scope": e["scope"], "ref": e["ref"],
                         "reason": e["reason"], "detail": mask_url(e["detail"] or "")}
                        for e in store.last_errors(limit=10)],
    }


def status(args, s: Settings) -> int:
    store = open_store(s, create=False)
    d = _status_data(store, s)
    if getattr(args, "json", False):
        print(json.dumps(d, ensure_ascii=False, indent=1))
        return 0
    print(f"Store: {d['store']}\nBroker: {d['broker']}")
    print("Feeds:" + ("" if d["feeds"] else " none (add one: aidewatch feeds add URL)"))
    for f in store.list_feeds():
        print(f"  {f.name}: {_health(f)}; next check {f.next_check_at:%Y-%m-%d %H:%M} UTC")
    print("Queues: " + ", ".join(f"{q} {'?' if n is None else n}" for q, n in d["queues"].items()))
    ar = d["articles"]
    print(f"Articles: {ar['total']} ({ar['processed']} processed, {ar['pending']} pending, "
          f"{ar['failed']} failed); events: {d['events']}")
    al = d["alerts"]
    print(f"Alerts: {al['sent']} sent, {al['pending']} pending, {al['failed']} failed")
    for f in d["failed_alerts"]:
        print(f"  failed alert {f['id']} to {f['channel']}: {f['error']}")
    print("Last events:")
    for ev in d["last_events"]:
        print(f"  {ev['reported']} {ev['type']}: {ev['person']} — {ev['role'] or '?'} at "
              f"{ev['organisation'] or '?'} ({len(ev['sources'])} source(s)) [{ev['id']}]")
    print("Last errors:")
    for e in d["last_errors"]:
        print(f"  {e['at'][:16].replace('T', ' ')} {e['scope']} {e['ref']}: {e['reason']} {e['detail']}"[:200])
    return 0


def _source_wording(ev: dict, src: dict) -> str:
    """How one source gives the move, where it differs from the event's summary."""
    parts = []
    if src.get("role") and src["role"] != ev["role"] or src.get("organisation") and src["organisation"] != ev["organisation"]:
        parts.append("this source: " + " at ".join(x for x in (src.get("role"), src.get("organisation")) if x))
    if src.get("historical") and not ev["historical"]:
        parts.append("as background")
    return "; ".join(parts)


def timeline(args, s: Settings) -> int:
    """A person's moves, oldest first: what, where, who they replaced or were replaced by, and
    each source (date, outlet, link) with the sentence it gives; background mentions are marked."""
    store = open_store(s, create=False)
    found = list(_events(store, args))
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
