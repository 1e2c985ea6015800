"""The embedded broker: kombu's filesystem transport, consuming messages in the order they were sent.

kombu names a message file by the millisecond and a random UUID, and consumes files in name
order: the dozen messages a backfill queues within one millisecond were taken in random order,
so two runs over one archive filed its stories and merged its events in different orders (and
could end differently). Here a message is named by a nanosecond clock and a counter first.
"""
from __future__ import annotations

import itertools
import os
import time
import uuid

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

_sent = itertools.count()


def message_name(queue: str) -> str:
    """A file name that sorts in sending order (this process), then by time across processes."""
    return f"{time.monotonic_ns():020d}{next(_sent) % 1_000_000:06d}_{uuid.uuid4()}.{queue}.msg"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        path = os.path.join(self.data_folder_out, message_name(queue))
        f = None
        try:
            f = open(path, "wb", buffering=0)
            filesystem.lock(f, filesystem.LOCK_EX)
            f.write(str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {path!r} to directory") from exc
        finally:
            if f is not None:
                filesystem.unlock(f)
                f.close()


STOP_CHECK = 0.2  # seconds: the longest wait for a message before Celery's loop looks for a stop


class Transport(filesystem.Transport):
    """kombu's filesystem transport, with this module's ordered channel. It looks for new messages
    every 0.1 s (kombu's default, once a second, delayed each hop of a chain: poll, fetch, process,
    alert)."""
    Channel = Channel
    polling_interval = 0.1

    def drain_events(self, connection, timeout=None):
        """Wait for a message at most ``STOP_CHECK`` seconds at a time when a timeout is given:
        Celery's loop for transports like this one waits two seconds, and looks whether the
        worker was told to stop only in between (an embedded run's exit waited for it)."""
        if timeout is not None:
            timeout = min(timeout, STOP_CHECK)
        return super().drain_events(connection, timeout=timeout)


def install() -> None:
    """Make ``filesystem://`` URLs use this transport (kombu looks transports up by alias)."""
    TRANSPORT_ALIASES["filesystem"] = "tasks.fsbroker:Transport"
