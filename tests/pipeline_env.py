"""Test helpers: the Celery tasks run in this process on a private store and broker, and
real worker subprocesses with their environment (used by the polling, hostile-input and
fault tests)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FLETCHER = (SEEDS / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")


def _reset_broker_pools(app) -> None:
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def inprocess(tmp_path: Path, **env):
    """Point the tasks of this process at a store and broker of their own (filesystem broker and
    SQLite under ``tmp_path`` unless ``env`` says otherwise); yields the store. Calling a task
    object (``poll_feed(id)``) then runs it here; the messages it sends wait in the broker."""
    from aidewatch import settings
    from tasks import runtime
    from tasks.app import app, broker_options

    values = {"AIDEWATCH_DATA_DIR": str(tmp_path / "data"), "AIDEWATCH_ALLOW_PRIVATE_ADDRESSES": "1",
              "AIDEWATCH_FETCH_TIMEOUT": "2"}
    values.update({k: str(v) for k, v in env.items()})
    s = settings.load(values)
    saved = (app.aidewatch_settings, app.conf.broker_url, app.conf.broker_transport_options)
    _reset_broker_pools(app)
    app.aidewatch_settings = s
    app.conf.broker_url = s.broker_url
    app.conf.broker_transport_options = broker_options(s)
    runtime.reset()
    try:
        yield runtime.store()
    finally:
        runtime.store().close()
        _reset_broker_pools(app)
        app.aidewatch_settings, app.conf.broker_url, app.conf.broker_transport_options = saved
        runtime.reset()


def claim(store, feed_id: int) -> None:
    """Make a feed due and claim it, as tick does before it sends poll_feed."""
    from datetime import timedelta

    from storage.sql import utcnow
    from storage.schema import feeds
    from sqlalchemy import update
    with store.engine.begin() as conn:
        conn.execute(update(feeds).where(feeds.c.id == feed_id).values(
            next_check_at=utcnow() - timedelta(seconds=1), claimed_until=None))
    assert any(f.id == feed_id for f in store.claim_due_feeds(lease_seconds=60))


def worker_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1",
               AIDEWATCH_FEEDS_FILE=str(tmp_path / "no-feeds.toml"),
               AIDEWATCH_WATCHLIST_FILE=str(SEEDS / "watchlist.toml"),
               AIDEWATCH_LOG_LEVEL="WARNING", OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(tmp_path: Path, env: dict, name: str, *, concurrency: int = 1, beat: bool = False,
                 queues: str = "alerts,poll,fetch,process,backfill") -> subprocess.Popen:
    """A real prefork ``celery worker`` in its own process group (so it can be SIGKILLed whole)."""
    cmd = [sys.executable, "-m", "celery", "-A", "tasks.app", "worker", "-Q", queues, "-c", str(concurrency),
           "-P", "prefork", "--loglevel", "WARNING", "-n", f"{name}-{os.getpid()}@%h",
           "--without-heartbeat", "--without-mingle", "--without-gossip"]
    if beat:
        cmd += ["-B", "-s", str(tmp_path / f"beat-{name}")]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=open(tmp_path / f"{name}.log", "a"), start_new_session=True)


def start_beat(tmp_path: Path, env: dict, name: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "tasks.app", "beat", "--loglevel", "WARNING",
           "-s", str(tmp_path / f"beat-{name}")]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=open(tmp_path / f"{name}.log", "a"), start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a process and its children (a machine crash, as far as the worker can tell)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            kill_group(proc)
    else:
        kill_group(proc)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Hook:
    """A JSON webhook on 127.0.0.1 whose answers follow ``plan``: one (delay, status) per request,
    then 200s. ``delivered`` counts the requests it answered with a 2xx (the ones it accepted)."""

    def __init__(self, plan=()):
        import http.server
        import threading
        self.plan = list(plan)
        self.log: list[tuple[float, int]] = []  # (time received, status answered)
        self.arrived = 0
        hook = self
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    hook.arrived += 1
                    delay, status = hook.plan.pop(0) if hook.plan else (0, 200)
                at = time.monotonic()
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    self.wfile.flush()
                except OSError:
                    status = -1  # the sender was gone: not delivered
                hook.log.append((at, status))

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"json://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def delivered(self) -> int:
        return sum(1 for _, s in self.log if 200 <= s < 300)

    def __enter__(self) -> "Hook":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class TcpProxy:
    """A TCP proxy on 127.0.0.1 in front of ``upstream``; ``cut()`` drops every connection and refuses
    new ones (the database is unreachable), ``restore()`` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        import socket
        import threading
        self.upstream = upstream
        self._socket, self._threading = socket, threading
        self._conns: list = []
        self._lock = threading.Lock()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener = None
        self.restore()

    def restore(self) -> None:
        s = self._socket.socket()
        s.setsockopt(self._socket.SOL_SOCKET, self._socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        self._listener = s
        self._threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = self._socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, server]
            for a, b in ((client, server), (server, client)):
                self._threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src, dst) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(self._socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        try:
            self._listener.shutdown(self._socket.SHUT_RDWR)  # wakes accept() and stops listening
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.shutdown(self._socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def close(self) -> None:
        self.cut()
