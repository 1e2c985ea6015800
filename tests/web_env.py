"""A store filled through the real command line for the web tests, and the web server run as
``aidewatch serve`` on a free loopback port.

The store holds the seed articles, one article whose title, text, outlet and link carry script,
event-handler and ``javascript:`` payloads (about a watched person, so it also raises an alert),
and a feed that fails (a closed loopback port), so every page and metric has something to show.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# If any of these ran, the page title would change or an element with this id would appear.
MARKER = "xss-marker"
PWNED = "PWNED"
_JS = (f"document.title='{PWNED}';var d=document.createElement('div');d.id='{MARKER}';"
       "document.body.appendChild(d)")
HOSTILE = {
    "id": "hostile-1",
    "url": f"javascript:{_JS}",
    "outlet": f"<img src=x onerror=\"{_JS}\">Evil Times<script>{_JS}</script>",
    "title": f"<script>{_JS}</script>Rowena Quillfeather to lead the Ministry <a href=\"javascript:{_JS}\">x</a>",
    "text": (f"Rowena Quillfeather has been appointed chief executive of the Ministry of Widgets "
             f"<script>{_JS}</script> <img src=x onerror=\"{_JS}\">, the ministry said on Monday. "
             f"<a href=\"javascript:{_JS}\">More</a> <svg onload=\"{_JS}\"></svg> "
             f"Quillfeather said she was delighted to join the ministry."),
}
WATCHLIST = """
[[people]]
name = "Simon Fletcher"
aliases = ["Mr Fletcher"]
organisations = ["Labour"]

[[people]]
name = "Rowena Quillfeather"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_env(data_dir: Path, database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(data_dir), AIDEWATCH_DATABASE_URL=database_url, OMP_NUM_THREADS="1",
               PYTHONPATH=str(ROOT), AIDEWATCH_LOG_LEVEL="WARNING",
               AIDEWATCH_FEEDS_FILE=str(data_dir / "feeds.toml"),
               AIDEWATCH_WATCHLIST_FILE=str(data_dir / "watchlist.toml"), **extra)
    return env


def cli(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=env, capture_output=True,
                         text=True, timeout=600)
    if check:
        assert res.returncode == 0, res.stderr[-3000:]
    return res


FEED_PASSWORD = "hunter2-feed"


def fill_store(data_dir: Path, database_url: str) -> dict:
    """Backfill the seeds and the hostile article (with alerts), then poll a failing feed once."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "watchlist.toml").write_text(WATCHLIST)
    (data_dir / "feeds.toml").write_text(  # a private feed: its password must never be shown
        f'[[feeds]]\nname = "Broken feed"\nurl = "http://reader:{FEED_PASSWORD}@127.0.0.1:{free_port()}/feed.xml"\n')
    meta = {m["id"]: m for m in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if m}
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "outlet": meta[p.stem]["outlet"],
                "title": meta[p.stem]["title"], "published": meta[p.stem]["published"],
                "url": f"https://news.example/{p.stem}"} for p in sorted(SEEDS.glob("*.txt"))]
    records.append(HOSTILE | {"published": today})
    archive = data_dir / "archive.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in records))
    env = cli_env(data_dir, database_url, AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1")
    cli(env, "backfill", str(archive), "--alerts", "--quiet")
    for _ in range(5):  # a poll may be put back (host busy) rather than fail: poll again until it has
        cli(env, "run", "--once")
        if "\tnew\t" not in cli(env, "feeds", "list").stdout:
            break
    return env


class WebServer:
    """``aidewatch serve`` in a subprocess on 127.0.0.1 and a free port; stopped on exit."""

    def __init__(self, env: dict, *args: str, host: str = "127.0.0.1"):
        self.port = free_port()
        self.host = host
        self.args = ["serve", "--host", host, "--port", str(self.port), *args]
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "WebServer":
        self.log = open(Path(self.env["AIDEWATCH_DATA_DIR"]) / f"serve-{self.port}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "aidewatch.cli", *self.args], env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}: {self.output()}")
            try:
                httpx.get(self.base + "/healthz", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("serve did not start: " + self.output())

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def get(self, path: str, **kw) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30, **kw)
