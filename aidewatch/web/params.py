"""Query-string parsing: event filters, page sizes and opaque page cursors. Bad input is a 400."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.views import MAX_PAGE, EventFilter

TYPES = ("appointment", "departure")
DEFAULT_PAGE = 50
MAX_TEXT = 200  # longest name or organisation filter accepted


class BadRequest(ValueError):
    """A query parameter that cannot be used; shown to the user with status 400."""


@dataclass(frozen=True)
class EventQuery:
    filter: EventFilter
    limit: int
    after: tuple[datetime, str] | None
    watchlist: bool
    args: dict  # the filters as given, to build links to other pages


def _text(params, name: str) -> str | None:
    v = (params.get(name) or "").strip()
    if len(v) > MAX_TEXT:
        raise BadRequest(f"{name} is longer than {MAX_TEXT} characters")
    return v or None


def _date(params, name: str) -> datetime | None:
    v = (params.get(name) or "").strip()
    if not v:
        return None
    try:
        return datetime.strptime(v[:10], "%Y-%m-%d")
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2017-02-17") from None


def _flag(params, name: str) -> bool:
    return (params.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


def encode_cursor(key: tuple[datetime, str] | None) -> str | None:
    if key is None:
        return None
    raw = json.dumps([key[0].isoformat(), key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> tuple[datetime, str] | None:
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        when, eid = json.loads(raw)
        if not isinstance(eid, str) or len(eid) > 64:
            raise ValueError
        return datetime.fromisoformat(when), eid
    except (ValueError, TypeError, json.JSONDecodeError):
        raise BadRequest("cursor is not one this server gave") from None


def event_query(params) -> EventQuery:
    """The filters of ``/events``, ``/api/events`` and ``/events.atom``."""
    type_ = _text(params, "type")
    if type_ and type_ not in TYPES:
        raise BadRequest("type must be appointment or departure")
    since, until = _date(params, "since"), _date(params, "until")
    try:
        limit = int(params.get("limit") or DEFAULT_PAGE)
    except ValueError:
        raise BadRequest("limit must be a number") from None
    if not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit must be between 1 and {MAX_PAGE}")
    f = EventFilter(person=_text(params, "person"), organisation=_text(params, "organisation"), type=type_,
                    current=_flag(params, "current"), since=since,
                    until=until + timedelta(days=1) if until else None)  # until is inclusive
    args = {k: params.get(k) for k in ("person", "organisation", "type", "current", "since", "until",
                                        "watchlist") if params.get(k)}
    if "limit" in params:
        args["limit"] = str(limit)
    return EventQuery(filter=f, limit=limit, after=decode_cursor(params.get("cursor")),
                      watchlist=_flag(params, "watchlist"), args=args)
