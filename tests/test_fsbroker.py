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


def test_a_wait_for_messages_returns_in_time_to_see_a_stop(tmp_path):
    """Celery's loop for this transport drains with a two-second timeout and checks for a stop
    only in between: the transport gives the loop back after STOP_CHECK seconds instead, and a
    message sent meanwhile is still delivered by the next wait."""
    import socket
    import threading

    import pytest

    fsbroker.install()
    opts = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "polling_interval": 0.05}
    queue = Queue("process", routing_key="process")
    got = []
    with Connection("filesystem://", transport_options=opts) as conn:
        consumer = conn.Consumer([queue], callbacks=[lambda body, msg: (got.append(body), msg.ack())])
        consumer.consume()
        waited = threading.Event()

        def drain():
            with pytest.raises(socket.timeout):
                conn.drain_events(timeout=30)
            waited.set()
        t = threading.Thread(target=drain, daemon=True)
        t.start()
        assert waited.wait(10), "the wait was not cut to STOP_CHECK"
        t.join(1)
        conn.Producer().publish({"n": 1}, routing_key="process", declare=[queue], serializer="json")
        conn.drain_events(timeout=30)
    assert got == [{"n": 1}]
