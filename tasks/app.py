"""The Celery app: one place for broker, queues, reliability settings and the beat schedule."""
from __future__ import annotations

from pathlib import Path

from celery import Celery, signals
from kombu import Queue

from aidewatch import settings as settings_mod

from . import fsbroker

# Live work first: a worker that consumes every queue takes backfill work last.
QUEUES = ("alerts", "poll", "fetch", "process", "backfill")


def broker_options(s: settings_mod.Settings) -> dict:
    """Transport options for the configured broker (the embedded one lives in the data dir)."""
    if s.broker_url.startswith("filesystem://"):
        fsbroker.install()  # messages consumed in the order they were sent
        folder = Path(s.data_dir) / "broker"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "control").mkdir(exist_ok=True)
        return {"data_folder_in": str(folder), "data_folder_out": str(folder),
                "control_folder": str(folder / "control"),  # kombu's default is ./control
                "queue_order_strategy": "priority"}
    # Redis: a message not acked within the visibility timeout (its worker was killed) is
    # delivered again. Keep it above the hard time limit so a slow task is not run twice at once
    # (the store's leases make a second run harmless anyway).
    return {"visibility_timeout": max(1, int(s.visibility_timeout)),
            "queue_order_strategy": "priority"}


def make_app(s: settings_mod.Settings | None = None) -> Celery:
    s = s or settings_mod.load()
    app = Celery("aidewatch", broker=s.broker_url, include=["tasks.pipeline", "tasks.alerting"])
    app.conf.update(
        broker_transport_options=broker_options(s),
        broker_connection_retry_on_startup=True,
        task_queues=[Queue(q, routing_key=q) for q in QUEUES],
        task_default_queue="process",
        task_ignore_result=True,
        task_acks_late=True,               # a killed worker's task is delivered again
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=s.worker_concurrency,  # `celery worker` without -c, as in docker-compose.yml
        task_time_limit=s.task_time_limit,
        task_soft_time_limit=0.8 * s.task_time_limit,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        beat_schedule={"tick": {"task": "aidewatch.tick", "schedule": s.beat_seconds,
                                "options": {"queue": "poll", "expires": s.beat_seconds * 2}}},
        # Beat keeps its schedule in memory: the one entry is an interval, and what is due lives
        # in the store (claims), so beat needs no state file and no writable working directory.
        beat_scheduler="celery.beat:Scheduler",
        timezone="UTC",
    )
    app.aidewatch_settings = s
    return app


app = make_app()


@signals.setup_logging.connect
def _setup_logging(**_kwargs) -> None:
    """``celery worker`` / ``beat`` log at AIDEWATCH_LOG_LEVEL, to standard error, as ``aidewatch`` does."""
    import logging
    import sys
    logging.basicConfig(level=app.aidewatch_settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # filesystem:// "has no host name"
    logging.getLogger("alembic").setLevel(logging.WARNING)


@signals.worker_init.connect
def _prepare_store(**_kwargs) -> None:
    """``celery worker`` and ``celery beat`` start on a migrated store that has its defaults, as
    ``aidewatch run`` does (opened and closed again before the worker forks its processes)."""
    from aidewatch.startup import prepare_store
    prepare_store(app.aidewatch_settings)


@signals.beat_init.connect
def _first_tick(**_kwargs) -> None:
    """Beat starts on a prepared store and sends a first tick at once: due feeds are polled now,
    not one beat interval later (a second tick finds them claimed)."""
    _prepare_store()
    app.send_task("aidewatch.tick", queue="poll")
