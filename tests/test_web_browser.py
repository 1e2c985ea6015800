"""A real headless Chromium (Debian's ``chromium``) reads the pages of a store that holds an article
whose title, text, outlet and link carry script, event-handler and ``javascript:`` payloads: none of
them runs, no such link exists. Screenshots of each page go to the test's temporary folder.

Chromium may reach loopback only: every other host name resolves to nothing and any other
connection goes to a proxy on a closed loopback port.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from web_env import HOSTILE, MARKER, PWNED, WebServer, fill_store, free_port

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
    "--metrics-recording-only", "--hide-scrollbars", "--window-size=412,1100",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        msg = "Debian's chromium is not installed (.ci/run installs it: apt-get install -y chromium)"
        if os.environ.get("AIDEWATCH_REQUIRE_SERVICES") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def _run(chromium: str, profile: Path, url: str, *args: str) -> str:
    assert url.startswith("http://127.0.0.1:")
    cmd = [chromium, *CHROMIUM_FLAGS, f"--proxy-server=http://127.0.0.1:{free_port()}",
           f"--user-data-dir={profile}", "--virtual-time-budget=3000", *args, url]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def dom_after_load(chromium: str, profile: Path, url: str) -> lxml.html.HtmlElement:
    """The document as Chromium holds it after loading ``url`` and running whatever it would run."""
    return lxml.html.document_fromstring(_run(chromium, profile, url, "--dump-dom"))


def screenshot(chromium: str, profile: Path, url: str, out: Path) -> Path:
    _run(chromium, profile, url, f"--screenshot={out}")
    assert out.stat().st_size > 2000
    return out


def _ran(doc) -> bool:
    """Whether a payload ran: it sets the title and adds an element with the marker id."""
    return bool(doc.xpath(f"//*[@id='{MARKER}']")) or PWNED in (doc.findtext(".//title") or "")


def test_control_the_payloads_do_run_in_a_page_that_does_not_escape(http_server, tmp_path):
    """The check can fail: the same payloads, put unescaped in a page without a CSP, run."""
    chromium = _chromium()
    for i, payload in enumerate([HOSTILE["title"], HOSTILE["outlet"], HOSTILE["text"]]):
        url = http_server.route(f"/raw{i}", __import__("httpserver").Route(
            headers={"Content-Type": "text/html; charset=utf-8"},
            body=f"<!doctype html><title>raw</title><body><p>{payload}</p></body>".encode()))
        assert _ran(dom_after_load(chromium, tmp_path / "profile", url)), payload[:60]


def test_hostile_article_runs_no_script_in_chromium(tmp_path):
    chromium = _chromium()
    env = fill_store(tmp_path / "data", f"sqlite:///{tmp_path}/data/aidewatch.db")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with WebServer(env) as site:
        hostile = next(e for e in site.get("/api/events?limit=200").json()["events"]
                       if any(s["article_id"] == HOSTILE["id"] for s in e["sources"]))
        pages = {"home": "/", "event": f"/events/{hostile['id']}",
                 "person": f"/people/{quote(hostile['person'])}", "fletcher": "/people/Simon%20Fletcher"}
        for name, path in pages.items():
            doc = dom_after_load(chromium, tmp_path / "profile", site.base + path)
            assert not _ran(doc), path
            assert doc.findtext(".//title").endswith("· aidewatch")
            assert not doc.xpath("//script"), path
            assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib
                        if a.lower().startswith("on")], path
            hrefs = doc.xpath("//a/@href") + doc.xpath("//link/@href")
            assert not [h for h in hrefs if not h.startswith(("/", "http://", "https://"))], path
            if name in ("event", "person"):
                # the payloads are shown as text, as the article has them
                text = doc.text_content()
                assert "Evil Times<script>" in text and "onerror=" in text
            screenshot(chromium, tmp_path / "profile", site.base + path, shots / f"{name}.png")
        # the hostile article's javascript: link is text, not a link
        event = dom_after_load(chromium, tmp_path / "profile", site.base + pages["event"])
        src_title = event.xpath("//div[@class='src-title']")[0]
        assert not src_title.xpath(".//a") and "Rowena Quillfeather to lead" in src_title.text_content()
    print(f"screenshots in {shots}")
