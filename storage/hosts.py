"""Per-host request slots in the store: a semaphore per host name shared by every worker."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from .schema import host_slots
from .sql import insert_ignore, later, utcnow


class HostStore:
    engine = None

    def acquire_host_slot(self, host: str, *, limit: int, holder: str, ttl_seconds: float,
                          now: datetime | None = None) -> bool:
        """Take one of ``limit`` slots of ``host`` for ``holder``; False when all are held.

        A slot frees itself ``ttl_seconds`` after it was taken, so a killed worker's slot
        is not lost. Never waits for a slot.
        """
        now = now or utcnow()
        host = host[:255]
        free = or_(host_slots.c.until.is_(None), host_slots.c.until < now)
        with self.engine.begin() as conn:
            conn.execute(insert_ignore(conn, host_slots).values(
                [dict(host=host, slot=i, holder=None, until=None) for i in range(limit)]))
            candidates = [r.slot for r in conn.execute(select(host_slots.c.slot).where(and_(
                host_slots.c.host == host, host_slots.c.slot < limit, free)).order_by(host_slots.c.slot))]
            for slot in candidates:
                res = conn.execute(update(host_slots).where(and_(
                    host_slots.c.host == host, host_slots.c.slot == slot, free))
                    .values(holder=holder, until=later(ttl_seconds, now)))
                if res.rowcount == 1:
                    return True
        return False

    def release_host_slot(self, host: str, *, holder: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(host_slots).where(and_(
                host_slots.c.host == host[:255], host_slots.c.holder == holder))
                .values(holder=None, until=None))

