"""Alert outbox: claim, mark sent, retry with back-off, give up visibly."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update

from .schema import alert_outbox, articles, errors
from .sql import later, utcnow
from .writes import claim


@dataclass(frozen=True)
class ClaimedAlert:
    """What the delivery task needs of an alert it leased."""

    id: int
    event_id: str
    channel: str
    watch_name: str
    attempts: int                  # this delivery included
    source_article: str | None     # article_id of the article whose report raised the alert


class AlertStore:
    engine = None

    def claim_due_alerts(self, *, lease_seconds: float, limit: int = 100,
                         ids: list[int] | None = None) -> list[ClaimedAlert]:
        """Lease pending alerts that are due (all, or those of ``ids``)."""
        now = utcnow()
        cond = and_(alert_outbox.c.status == "pending", alert_outbox.c.next_attempt_at <= now,
                    or_(alert_outbox.c.lease_until.is_(None), alert_outbox.c.lease_until < now))
        if ids is not None:
            cond = and_(cond, alert_outbox.c.id.in_(ids))
        with self.engine.begin() as conn:
            got = [r.id for r in claim(conn, alert_outbox, cond, dict(
                lease_until=later(lease_seconds, now), attempts=alert_outbox.c.attempts + 1),
                order_by=alert_outbox.c.id, limit=limit)]
            if not got:
                return []
            # source_article: the article_id of the article that raised the alert (its evidence is quoted)
            q = (select(alert_outbox.c.id, alert_outbox.c.event_id, alert_outbox.c.channel,
                        alert_outbox.c.watch_name, alert_outbox.c.attempts, articles.c.article_id)
                 .outerjoin(articles, articles.c.id == alert_outbox.c.source_article_id)
                 .where(alert_outbox.c.id.in_(got)).order_by(alert_outbox.c.id))
            return [ClaimedAlert(*r) for r in conn.execute(q)]

    def alert_sent(self, alert_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(alert_outbox).where(alert_outbox.c.id == alert_id).values(
                status="sent", sent_at=utcnow(), lease_until=None, last_error=None))

    def alert_failed(self, alert_id: int, *, error: str, retry_at: datetime | None) -> None:
        """Record a failed delivery; with no ``retry_at`` the alert is given up (status failed)."""
        now = utcnow()
        values = dict(last_error=error[:2000], lease_until=None)
        if retry_at is None:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = retry_at
        with self.engine.begin() as conn:
            conn.execute(update(alert_outbox).where(alert_outbox.c.id == alert_id).values(**values))
            conn.execute(errors.insert().values(scope="alert", ref=str(alert_id), reason="delivery_failed",
                                                detail=error[:2000], at=now))

    def alert_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(alert_outbox.c.status, func.count()).group_by(alert_outbox.c.status))
            return {status: n for status, n in rows}

    def list_alerts(self, *, limit: int = 20) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(alert_outbox).order_by(alert_outbox.c.id.desc()).limit(limit))
            return [r._asdict() for r in rows]
