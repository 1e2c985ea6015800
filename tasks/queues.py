"""Queue depths read from the broker (for status, and to re-enqueue lost work safely)."""
from __future__ import annotations

from .app import QUEUES, app


def depths(queues=QUEUES) -> dict[str, int | None]:
    """Messages waiting in each queue; None when the broker cannot tell."""
    out: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            channel = conn.default_channel
            for q in queues:
                try:
                    out[q] = channel.queue_declare(queue=q, passive=True).message_count
                except Exception:  # noqa: BLE001 - a queue that does not exist yet is empty
                    out[q] = 0
    except Exception:  # noqa: BLE001 - broker down: unknown
        return {q: None for q in queues}
    return out
