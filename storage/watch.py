"""The watchlist of tracked people."""
from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from workers.model import WatchPerson

from .schema import watch_people
from .sql import utcnow


class WatchStore:
    engine = None

    def add_watch(self, person: WatchPerson, *, replace: bool = True) -> None:
        """Add a tracked person, or replace their aliases and organisations."""
        values = dict(aliases=json.dumps(list(person.aliases)),
                      organisations=json.dumps(list(person.organisations)))
        with self.engine.begin() as conn:
            exists = conn.execute(select(watch_people.c.id).where(watch_people.c.name == person.name)).first()
            if exists is None:
                conn.execute(watch_people.insert().values(name=person.name, created_at=utcnow(), **values))
            elif replace:
                conn.execute(update(watch_people).where(watch_people.c.id == exists.id).values(**values))

    def remove_watch(self, name: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(delete(watch_people).where(watch_people.c.name == name)).rowcount > 0

    def watchlist(self) -> list[WatchPerson]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_people).order_by(watch_people.c.name))
            return [WatchPerson(name=r.name, aliases=tuple(json.loads(r.aliases)),
                                organisations=tuple(json.loads(r.organisations))) for r in rows]
