"""The watchlist of tracked people."""
from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from workers.model import WatchPerson

from .schema import watch_people
from .sql import utcnow


class WatchStore:
    engine = None

    def add_watch(self, person: WatchPerson, *, replace: bool = True) -> str:
        """Track ``person``; names match case-insensitively. A person already tracked gets the
        given aliases and organisations (``replace``), or keeps theirs plus the given ones.
        Returns "added", "updated" or "unchanged"."""
        with self.engine.begin() as conn:
            row = _find(conn, person.name)
            if row is None:
                conn.execute(watch_people.insert().values(
                    name=person.name, created_at=utcnow(), aliases=json.dumps(list(person.aliases)),
                    organisations=json.dumps(list(person.organisations))))
                return "added"
            old_aliases, old_orgs = json.loads(row.aliases), json.loads(row.organisations)
            if replace:
                aliases, orgs = list(person.aliases), list(person.organisations)
            else:
                aliases = _union(old_aliases, person.aliases)
                orgs = _union(old_orgs, person.organisations)
            if (aliases, orgs) == (old_aliases, old_orgs):
                return "unchanged"
            conn.execute(update(watch_people).where(watch_people.c.id == row.id).values(
                aliases=json.dumps(aliases), organisations=json.dumps(orgs)))
            return "updated"

    def find_watch(self, name: str) -> WatchPerson | None:
        """The tracked person of this name, in any case."""
        with self.engine.connect() as conn:
            row = _find(conn, name)
        return _person(row) if row else None

    def remove_watch(self, name: str) -> str | None:
        """Stop tracking ``name`` (any case); returns the name as it was stored, None if absent."""
        with self.engine.begin() as conn:
            row = _find(conn, name)
            if row is None:
                return None
            conn.execute(delete(watch_people).where(watch_people.c.id == row.id))
            return row.name

    def watchlist(self) -> list[WatchPerson]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_people).order_by(watch_people.c.name))
            return [_person(r) for r in rows]


def _person(row) -> WatchPerson:
    return WatchPerson(name=row.name, aliases=tuple(json.loads(row.aliases)),
                       organisations=tuple(json.loads(row.organisations)))


def _find(conn, name: str):
    """The watch_people row whose name equals ``name`` ignoring case (the list is small)."""
    key = " ".join(name.split()).casefold()
    for row in conn.execute(select(watch_people)):
        if " ".join(row.name.split()).casefold() == key:
            return row
    return None


def _union(old: list[str], new) -> list[str]:
    seen = {x.casefold() for x in old}
    return list(old) + [x for x in new if x.casefold() not in seen and not seen.add(x.casefold())]
