"""Bad input through the whole pipeline: every failure is recorded with a reason; the run goes on."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from httpserver import Route
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
GOOD_TEXT = (ROOT / "seeds" / "000_39eb890eb2b64ca7.txt").read_text(encoding="utf-8")


def _page(text: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in text.splitlines() if p.strip())
    return f"<html><head><title>News</title></head><body><article>{paras}</article></body></html>".encode()


def _rss(server, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{server.url(p)}</link></item>" for p in paths)
    return f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()


def test_bad_feeds_and_pages_are_recorded_and_the_run_goes_on(tmp_path, http_server):
    html = {"Content-Type": "text/html; charset=utf-8"}
    rss = {"Content-Type": "application/rss+xml"}
    pages = {"/a/good": Route(body=_page(GOOD_TEXT), headers=html),
             "/a/huge": Route(body=b"<html><body><p>" + b"word " * 120_000 + b"</p></body></html>", headers=html),
             "/a/broken": Route(status=500, body=b"oops"),
             "/a/binary": Route(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, headers={"Content-Type": "image/png"}),
             "/a/slow": Route(body=_page(GOOD_TEXT), headers=html, delay=5)}
    for path, route in pages.items():
        http_server.route(path, route)
    feeds = {
        "good": http_server.route("/feeds/good.xml", Route(body=_rss(http_server, list(pages)), headers=rss)),
        "malformed": http_server.route("/feeds/malformed.xml", Route(
            body=b"<?xml version='1.0'?><rss><channel><title>cut off", headers=rss)),
        "html page": http_server.route("/feeds/page.xml", Route(body=_page("Not a feed at all."), headers=html)),
        "server error": http_server.route("/feeds/500.xml", Route(status=500, body=b"down")),
        "timeout": http_server.route("/feeds/slow.xml", Route(body=_rss(http_server, []), headers=rss, delay=5)),
    }
    toml = "".join(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n\n' for name, url in feeds.items())
    (tmp_path / "feeds.toml").write_text(toml)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_FEEDS_FILE=str(tmp_path / "feeds.toml"),
               AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1", AIDEWATCH_FETCH_TIMEOUT="1",
               AIDEWATCH_FETCH_MAX_BYTES="300000", OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-m", "aidewatch.cli", "run", "--once"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]

    store = Store(f"sqlite:///{tmp_path}/data/aidewatch.db")
    by_name = {f.name: f for f in store.list_feeds()}
    assert by_name["good"].error_count == 0 and by_name["good"].last_status == 200
    expected = {"malformed": "malformed_feed", "html page": "not_a_feed", "server error": "http_error",
                "timeout": "timeout"}
    for name, reason in expected.items():
        feed = by_name[name]
        assert feed.error_count == 1 and feed.last_error.startswith(reason), (name, feed.last_error)
        assert feed.next_check_at > feed.last_polled_at  # a retry time is set

    arts = {a["url"].rsplit("/", 1)[-1]: a for a in store.iter_articles()}
    assert arts["good"]["status"] == "processed" and arts["good"]["error"] is None
    assert arts["huge"]["status"] == "failed" and arts["huge"]["error"] == "too_large"
    assert arts["binary"]["status"] == "failed" and arts["binary"]["error"] == "binary_content"
    # transient failures stay pending with their reason, to be retried later
    assert arts["broken"]["error"] == "http_error" and arts["broken"]["status"] == "discovered"
    assert arts["slow"]["error"] == "timeout" and arts["slow"]["status"] == "discovered"
    assert any(e["person"] == "Simon Fletcher" for e in store.iter_events())

    status = subprocess.run([sys.executable, "-m", "aidewatch.cli", "status"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert status.returncode == 0 and "malformed_feed" in status.stdout and "retrying (timeout" in status.stdout
