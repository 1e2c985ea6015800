"""The embedded broker hands messages out in the order they were sent (kombu's own filesystem
transport orders messages of one millisecond at random)."""
from __future__ import annotations

from kombu import Connection, Queue

from tasks import fsbroker


def test_messages_are_consumed_in_sending_order(tmp_path):
    fsbroker.install()
    opts = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    queue = Queue("backfill", routing_key="backfill")
    with Connection("filesystem://", transport_options=opts) as conn:
        assert isinstance(conn.transport, fsbroker.Transport)
        producer = conn.Producer()
        for i in range(300):  # many within one millisecond
            producer.publish({"n": i}, routing_key="backfill", declare=[queue], serializer="json")
        got = []
        with conn.SimpleQueue(queue) as q:
            for _ in range(300):
                msg = q.get(timeout=5)
                got.append(msg.payload["n"])
                msg.ack()
    assert got == list(range(300))
