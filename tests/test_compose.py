"""docker-compose.yml works as written: its app services' commands and environment (with the
image's ENV from the Dockerfile) run here against the local Redis and a fresh PostgreSQL database,
host names ``redis``/``postgres`` mapped to 127.0.0.1, and the seed events are stored and alerted
with no other step (no `aidewatch` command, no migration, no feed loading by hand).

Docker itself is not used. Services that publish ports (a web front end) are not started here.
Host environment given to the services, as a user's shell would: AIDEWATCH_FEEDS_FILE with only
the packaged seed feed (tests never reach the internet, so the default BBC/Guardian/HuffPost feeds
are left out), a short beat interval, and a webhook on 127.0.0.1 for the alert.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from pipeline_env import ROOT, stop, wait_for
from storage import Store
from webhook import WebhookReceiver

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"


def compose_services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def app_services(services: dict) -> dict:
    """The services built from this repository's image (not redis, postgres)."""
    return {n: sv for n, sv in services.items() if "build" in sv and not sv.get("ports")}


def interpolate(value: str, host_env: dict) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR-default} substitution."""
    def sub(m):
        name, op, default = m.group(1), m.group(2), m.group(3) or ""
        v = host_env.get(name)
        if op == ":-":
            return v if v else default
        if op == "-":
            return v if v is not None else default
        return v or ""
    return re.sub(r"\$\{(\w+)(?:(:-|-)([^}]*))?\}", sub, value)


def image_env() -> dict:
    """ENV lines of the Dockerfile (KEY=VALUE pairs)."""
    env = {}
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                k, _, v = pair.partition("=")
                env[k] = v
    return env


def local(value: str, *, pg_db: str, redis_db: int, data: Path) -> str:
    """Container addresses to this machine's: postgres/redis hosts → 127.0.0.1, a fresh database,
    the /data volume → a temporary folder."""
    value = re.sub(r"@postgres:5432/\w+", f"@127.0.0.1:5432/{pg_db}", value)
    value = re.sub(r"redis://redis:6379/\d+", f"redis://127.0.0.1:6379/{redis_db}", value)
    return str(data) if value == "/data" else value


@pytest.fixture
def compose_db():
    """A fresh database owned by the compose file's user (created if missing; trust auth here)."""
    import uuid
    import psycopg
    from conftest import PG_ADMIN_URL, _service_missing
    url = interpolate(compose_services()["worker"]["environment"]["AIDEWATCH_DATABASE_URL"], {})
    m = re.match(r"postgresql://(\w+):([^@]*)@", url)
    user, password = m.group(1), m.group(2)
    name = "aidewatch_compose_" + uuid.uuid4().hex[:10]
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
                try:
                    conn.execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'")
                except psycopg.errors.DuplicateObject:
                    pass
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{user}"')
    except Exception as exc:  # noqa: BLE001
        _service_missing("PostgreSQL", exc)
    yield name
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_compose_file_shape():
    services = compose_services()
    assert {"redis", "postgres", "worker", "beat"} <= set(services)
    beats = [n for n, sv in app_services(services).items() if " beat" in " ".join(sv["command"])]
    assert beats == ["beat"], "exactly one beat"
    for name, sv in app_services(services).items():
        assert sv["volumes"] == ["aidewatch-data:/data"], name
        cmd = sv["command"]
        assert "-c" not in cmd and "--concurrency" not in cmd, "concurrency comes from the setting"
        assert "--schedule" not in cmd and "-s" not in cmd, "beat keeps no schedule file"
    from aidewatch.settings import SETTINGS
    passed = set(services["worker"]["environment"])
    assert set(SETTINGS) - passed == {"AIDEWATCH_DATA_DIR", "AIDEWATCH_ALLOW_PRIVATE_ADDRESSES"}
    docker = DOCKERFILE.read_text()
    assert re.search(r"^USER (?!root)\w+", docker, re.M), "the image runs as a non-root user"
    assert image_env()["AIDEWATCH_DATA_DIR"] == "/data" and "chown aidewatch:aidewatch /data" in docker


def test_compose_services_as_written_store_the_seed_events(tmp_path, compose_db, fresh_redis):
    redis_db = int(fresh_redis.rsplit("/", 1)[1])
    packaged = tomllib.loads((ROOT / "seeds" / "feeds.toml").read_text())
    seed_feed = [f for f in packaged["feeds"] if "path" in f]
    assert seed_feed, "the packaged defaults include the local seed feed"
    feeds_file = tmp_path / "seed-feed-only.toml"
    feeds_file.write_text(f'[[feeds]]\nname = "{seed_feed[0]["name"]}"\n'
                          f'path = "{ROOT / "seeds" / seed_feed[0]["path"]}"\nalert_max_age_days = 0\n')
    cwd = tmp_path / "workdir"   # the image's working directory: nothing may be written there
    cwd.mkdir()
    data = tmp_path / "data"     # the aidewatch-data volume
    data.mkdir()
    procs = []
    with WebhookReceiver() as hook:
        host_env = {"AIDEWATCH_FEEDS_FILE": str(feeds_file), "AIDEWATCH_BEAT_SECONDS": "1",
                    "AIDEWATCH_ALERT_URLS": f"json://127.0.0.1:{hook.port}/hook"}
        try:
            for name, sv in app_services(compose_services()).items():
                env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
                env.update(OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
                for k, v in {**image_env(), **sv["environment"]}.items():
                    v = interpolate("" if v is None else str(v), host_env)
                    env[k] = local(v, pg_db=compose_db, redis_db=redis_db, data=data)
                cmd = [local(interpolate(c, host_env), pg_db=compose_db, redis_db=redis_db, data=data)
                       for c in sv["command"]]
                assert cmd[0] == "celery"
                procs.append(subprocess.Popen([sys.executable, "-m", *cmd], env=env, cwd=cwd,
                                              stdout=subprocess.DEVNULL,
                                              stderr=open(tmp_path / f"{name}.log", "w"),
                                              start_new_session=True))
            url = env["AIDEWATCH_DATABASE_URL"]
            assert "127.0.0.1" in url and compose_db in url

            def stored():
                for p in procs:
                    assert p.poll() is None, (tmp_path / "worker.log").read_text()[-3000:] + \
                        (tmp_path / "beat.log").read_text()[-3000:]
                try:
                    store = Store(url, migrate_schema=False)
                    try:
                        counts = store.counts()   # every seed article finished, not just the first
                        if counts.get("articles_processed", 0) < counts["articles"] or counts["articles"] < 3:
                            return None
                        evs = [e for e in store.iter_events() if e["person"] == "Simon Fletcher"
                               and e["type"] == "departure" and not e["historical"]]
                        return evs if evs and hook.requests else None
                    finally:
                        store.close()
                except Exception:  # noqa: BLE001 - tables not there yet
                    return None
            events = wait_for(stored, 240, "the seed events and an alert, from the compose services alone")
            assert len(events[0]["sources"]) == 2
            assert {s["outlet"] for s in events[0]["sources"]} == {"HuffPost UK", "The Herald"}
            assert "Simon Fletcher" in hook.requests[0]["json"]["title"] + hook.requests[0]["json"]["message"]
            assert list(cwd.iterdir()) == [], "nothing is written to the working directory"
        finally:
            for p in procs:
                stop(p)
