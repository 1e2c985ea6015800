"""Shared pytest fixtures. Keep each fixture group in its own section."""
from __future__ import annotations

import pytest

# --- HTTP: scripted server on 127.0.0.1 (tests/httpserver.py) -------------------------


@pytest.fixture
def http_server():
    """A fresh ScriptedServer on 127.0.0.1, port 0; add routes with ``.route()``."""
    try:
        from httpserver import ScriptedServer  # tests/ on sys.path (rootdir conftest)
    except ImportError:  # tests/ became a package
        from tests.httpserver import ScriptedServer

    with ScriptedServer() as server:
        yield server


# --- Extraction: the spaCy pipeline, loaded once for every test module that parses ---------


@pytest.fixture(scope="session")
def nlp():
    """The staffing-event pipeline (``workers.extract.load_pipeline``) with the installed model."""
    from workers.extract import load_pipeline
    return load_pipeline()


# --- Services: real Redis and PostgreSQL on 127.0.0.1 -----------------------------------------
# Locally a test that needs a service that is down is skipped; with AIDEWATCH_REQUIRE_SERVICES=1
# (set by .ci/run) it fails instead, so CI can never pass by skipping them.

import os  # noqa: E402
import socket  # noqa: E402
import uuid  # noqa: E402

REDIS_HOST, REDIS_PORT = "127.0.0.1", int(os.environ.get("AIDEWATCH_TEST_REDIS_PORT", "6379"))
PG_ADMIN_URL = os.environ.get("AIDEWATCH_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _service_missing(what: str, exc: Exception):
    msg = f"{what} is not reachable on 127.0.0.1: {exc}"
    if os.environ.get("AIDEWATCH_REQUIRE_SERVICES") == "1":
        pytest.fail(msg + " (required: AIDEWATCH_REQUIRE_SERVICES=1)")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def redis_url():
    """A Redis database of its own (1-15, chosen by process id so that concurrent test runs
    do not empty each other's queues), emptied before use."""
    import redis
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{1 + os.getpid() % 15}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        _service_missing("Redis", exc)
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture
def fresh_redis(redis_url):
    import redis
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg
    name = "aidewatch_test_" + uuid.uuid4().hex[:12]
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001
        _service_missing("PostgreSQL", exc)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/aidewatch.db"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/aidewatch.db"
    return request.getfixturevalue("postgres_url")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
