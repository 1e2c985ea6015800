"""``aidewatch serve`` read over HTTP as a person (or a feed reader, or Prometheus) would: every
route on SQLite and PostgreSQL, filters and cursor paging, Atom, metrics, 404s, hostile text,
the token and the bind-address rules, and /healthz when the store is down."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import feedparser
import httpx
import lxml.html
import pytest
from prometheus_client.parser import text_string_to_metric_families

from web_env import FEED_PASSWORD, HOSTILE, MARKER, PWNED, WebServer, cli_env, fill_store, free_port

PAGES = ["/", "/events", "/events?current=1", "/feeds", "/watchlist"]


# --- fixtures: one filled store and one server per database, for the whole module ---------------

def _postgres_db():
    import psycopg
    from conftest import PG_ADMIN_URL, _service_missing
    name = "aidewatch_web_" + uuid.uuid4().hex[:12]
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001
        _service_missing("PostgreSQL", exc)
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, name


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def site(request, tmp_path_factory):
    """(server, env) over a store filled through the CLI."""
    data = tmp_path_factory.mktemp(f"web-{request.param}")
    dropped = None
    if request.param == "sqlite":
        url = f"sqlite:///{data}/aidewatch.db"
    else:
        url, dropped = _postgres_db()
    env = fill_store(data, url)
    with WebServer(env) as server:
        yield server
    if dropped:
        import psycopg
        from conftest import PG_ADMIN_URL
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


def _all_events(site) -> list[dict]:
    return site.get("/api/events?limit=200").json()["events"]


def _hostile(site) -> dict:
    return next(e for e in _all_events(site) if any(s["article_id"] == HOSTILE["id"] for s in e["sources"]))


def _fletcher(site) -> dict:
    return next(e for e in _all_events(site) if e["person"] == "Simon Fletcher" and len(e["sources"]) == 2)


def _assert_safe_html(html: str, where: str) -> None:
    """No script element, no event-handler attribute, no link that is not http(s) or local."""
    doc = lxml.html.document_fromstring(html)
    assert not doc.xpath("//script"), where
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (where, el.tag, attr)
            if attr in ("href", "src", "action"):
                assert value.startswith(("/", "http://", "https://", "?")), (where, el.tag, attr, value)
    assert MARKER not in [el.get("id") for el in doc.iter() if isinstance(el.tag, str)], where
    assert PWNED not in (doc.findtext(".//title") or ""), where


# --- every route --------------------------------------------------------------------------------

def test_every_page_answers_with_strict_headers(site):
    fletcher, hostile = _fletcher(site), _hostile(site)
    story = fletcher["sources"][0]
    paths = PAGES + [f"/events/{fletcher['id']}", f"/events/{hostile['id']}", "/people/Simon%20Fletcher",
                     f"/people/{quote('Rowena Quillfeather')}"]
    html_story = site.get(f"/events/{fletcher['id']}").text
    story_links = lxml.html.document_fromstring(html_story).xpath("//a[starts-with(@href, '/stories/')]/@href")
    assert story_links, "an event page links each source to its story"
    paths += story_links
    for path in paths:
        r = site.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp  # no script source at all
        assert r.headers["x-content-type-options"] == "nosniff"
        _assert_safe_html(r.text, path)
    assert story["outlet"] == "HuffPost UK"


def test_event_page_shows_every_source_with_its_wording_and_sentence(site):
    ev = _fletcher(site)
    doc = lxml.html.document_fromstring(site.get(f"/events/{ev['id']}").text)
    items = doc.xpath("//ol[@class='sources']/li")
    assert len(items) == 2
    text = [" ".join(li.text_content().split()) for li in items]
    assert text[0].startswith("HuffPost UK, 2017-02-17") and text[1].startswith("The Herald, 2017-02-18")
    assert "Words it as: campaigns director at Labour" in text[0]
    assert "Words it as: campaigns chief at Labour" in text[1]
    for li, src in zip(items, ev["sources"]):
        assert li.xpath(".//a/@href")[0] == src["url"]  # the article's link
        assert " ".join(src["evidence"].split()) in " ".join(li.xpath("string(.//blockquote)").split())


def test_person_and_story_pages(site):
    doc = lxml.html.document_fromstring(site.get("/people/Mr%20Fletcher").text)
    moves = doc.xpath("//li[@class='event']")
    assert len(moves) == 2 and all("Fletcher" in m.text_content() for m in moves)
    assert site.get("/api/people/Simon%20Fletcher").json()["events"][0]["person"] == "Simon Fletcher"
    src = _fletcher(site)["sources"][0]
    story_path = lxml.html.document_fromstring(site.get(f"/events/{_fletcher(site)['id']}").text).xpath(
        "//a[starts-with(@href, '/stories/')]/@href")[0]
    st = site.get("/api" + story_path).json()
    assert src["article_id"] in [a["article_id"] for a in st["articles"]]
    assert any(e["person"] == "Simon Fletcher" for e in st["events"])
    assert "Corbyn's campaigns director" in lxml.html.document_fromstring(site.get(story_path).text).text_content()


def test_feeds_watchlist_home_and_status(site):
    feeds = site.get("/api/feeds").json()["feeds"]
    assert [f["name"] for f in feeds] == ["Broken feed"]
    assert feeds[0]["health"] == "retrying" and feeds[0]["last_error"].startswith("connect_error")
    page = site.get("/feeds").text
    assert "Broken feed" in page and "retrying" in page and "connect_error" in page
    assert feeds[0]["url"].startswith("http://reader:***@127.0.0.1:") and feeds[0]["last_error_at"]
    assert FEED_PASSWORD not in site.get("/api/feeds").text and FEED_PASSWORD not in page
    assert "Rowena Quillfeather" in site.get("/watchlist").text
    home = " ".join(lxml.html.document_fromstring(site.get("/").text).text_content().split())
    assert "1 sent, 0 pending, 0 failed" in home and "Broken feed: retrying" in home
    st = site.get("/api/status").json()
    assert st["events"] == len(_all_events(site)) and st["alerts"] == {"sent": 1}
    assert st["articles"] == {"processed": 4} and st["feeds"] == {"retrying": 1}
    assert site.get("/healthz").status_code == 200


# --- filters and paging ---------------------------------------------------------------------------

def test_api_filters_and_cursor_paging(site):
    every = _all_events(site)
    assert len(every) >= 12
    keys = [(e["reported"], e["id"]) for e in every]
    assert keys == sorted(keys, reverse=True)  # newest first
    # walk the list two at a time by cursor: the same events, none twice
    seen, url = [], "/api/events?limit=2"
    while url:
        page = site.get(url).json()
        assert len(page["events"]) <= 2
        seen += [e["id"] for e in page["events"]]
        url = page["next"]
    assert seen == [e["id"] for e in every]
    # each filter
    by = lambda q: site.get("/api/events?limit=200&" + q).json()["events"]  # noqa: E731
    assert {e["person"] for e in by("person=fletch")} == {"Simon Fletcher"}
    assert by("organisation=ministry")[0]["person"] == "Rowena Quillfeather"
    assert {e["type"] for e in by("type=departure")} == {"departure"}
    assert len(by("type=departure")) + len(by("type=appointment")) == len(every)
    assert not any(e["historical"] for e in by("current=1"))
    assert {e["reported"] for e in by("since=2017-02-18&until=2018-03-18")} == {"2017-02-18"}
    assert {e["reported"] for e in by("until=2017-02-17")} == {"2017-02-17"}
    watched = by("watchlist=1")
    assert {e["person"] for e in watched} == {"Simon Fletcher", "Rowena Quillfeather"}
    # the export schema
    ev = by("person=fletch")[0]
    assert list(ev) == ["id", "type", "person", "role", "organisation", "counterpart", "historical", "reported",
                        "confidence", "sources"]
    assert set(ev["sources"][0]) >= {"article_id", "url", "outlet", "published", "evidence"}
    assert site.get(f"/api/events/{ev['id']}").json() == ev
    # the HTML list pages with the same cursor
    doc = lxml.html.document_fromstring(site.get("/events?limit=3").text)
    assert len(doc.xpath("//li[@class='event']")) == 3
    older = doc.xpath("//p[@class='pager']/a/@href")[-1]
    doc2 = lxml.html.document_fromstring(site.get(older).text)
    assert doc2.xpath("//li[@class='event']//a[@class='more']/@href")[0] == f"/events/{every[3]['id']}"


@pytest.mark.parametrize("query", ["type=promotion", "since=yesterday", "limit=0", "limit=201", "limit=x",
                                   "cursor=not-a-cursor", "person=" + "x" * 201])
def test_bad_filters_are_400(site, query):
    r = site.get("/api/events?" + query)
    assert r.status_code == 400 and "error" in r.json()
    assert site.get("/events?" + query).status_code == 400


def test_missing_ids_are_404_pages(site):
    for path in ["/events/0000", "/people/Nobody%20Atall", "/stories/s-none", "/no/such/page"]:
        r = site.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert "Not found" in r.text and "Traceback" not in r.text
    for path in ["/api/events/0000", "/api/people/Nobody%20Atall", "/api/stories/s-none"]:
        r = site.get(path)
        assert r.status_code == 404 and r.json()["error"].startswith("no such"), path


def test_no_page_writes(site):
    for path in ["/", "/events", "/api/events", "/events.atom", "/metrics"]:
        assert httpx.post(site.base + path, timeout=10).status_code == 405, path
    assert httpx.delete(site.base + "/api/events", timeout=10).status_code == 405


# --- Atom and metrics -----------------------------------------------------------------------------

def test_atom_feed_is_valid_and_stable(site):
    first, again = site.get("/events.atom"), site.get("/events.atom")
    assert first.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(first.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(_all_events(site))
    ids = [e.id for e in feed.entries]
    assert ids == [e.id for e in feedparser.parse(again.content).entries]  # stable per event
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    hostile = next(e for e in feed.entries if "Quillfeather" in e.title)
    assert all(not ln.href.lower().startswith("javascript") for ln in hostile.links)
    assert hostile.link == f"{site.base}/events/{_hostile(site)['id']}"
    fletcher = feedparser.parse(site.get("/events.atom?person=Fletcher").content)
    assert fletcher.entries and all("Simon Fletcher" in e.title for e in fletcher.entries)
    assert any("“Corbyn's campaigns director Simon Fletcher" in e.summary for e in fletcher.entries)
    labour = feedparser.parse(site.get("/events.atom?organisation=Labour").content)
    assert labour.entries and all("Labour" in e.title for e in labour.entries)
    watched = feedparser.parse(site.get("/events.atom?watchlist=1").content)
    assert {e.title.split(" joins")[0].split(" leaves")[0] for e in watched.entries} == {
        "Simon Fletcher", "Rowena Quillfeather"}
    assert set(e.id for e in watched.entries) <= set(ids)


def test_metrics_are_prometheus_text_from_the_store(site):
    r = site.get("/metrics")
    assert r.headers["content-type"].startswith("text/plain")
    samples = {}
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    assert samples[("aidewatch_events", ())] == len(_all_events(site))
    assert samples[("aidewatch_articles", (("status", "processed"),))] == 4
    assert samples[("aidewatch_feeds", (("result", "retrying"),))] == 1
    feed = site.get("/api/feeds").json()["feeds"][0]
    assert samples[("aidewatch_poll_failures_total", (("reason", "connect_error"),))] == feed["error_count"] >= 1
    assert samples[("aidewatch_alert_deliveries_total", (("result", "sent"),))] == 1
    assert samples[("aidewatch_alert_delay_seconds_count", ())] == 1
    assert samples[("aidewatch_alert_delay_seconds_bucket", (("le", "+Inf"),))] == 1
    assert 0 < samples[("aidewatch_alert_delay_seconds_sum", ())] < 2 * 86400  # published today, sent now
    assert samples[("aidewatch_backlog", (("kind", "articles"),))] == 0
    assert ("aidewatch_queue_messages", (("queue", "process"),)) in samples


# --- token, bind address, store down ---------------------------------------------------------------

@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    data = tmp_path_factory.mktemp("web-token")
    return cli_env(data, f"sqlite:///{data}/aidewatch.db")


def test_token_is_needed_for_every_page_and_call(sqlite_env):
    token = "s3cret-" + uuid.uuid4().hex
    with WebServer(sqlite_env | {"AIDEWATCH_WEB_TOKEN": token}) as s:
        for path in ["/api/events", "/api/status", "/api/feeds", "/metrics", "/events.atom"]:
            r = s.get(path)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", path
            assert s.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert s.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200, path
        for path in PAGES:
            r = s.get(path)
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
        assert s.get("/healthz").status_code == 200  # for health checks; it shows no data
        # the login form: a wrong token is refused, the right one sets a cookie that opens the pages
        assert s.get("/login").status_code == 200
        bad = httpx.post(s.base + "/login", data={"token": "nope", "next": "/feeds"}, timeout=10)
        assert bad.status_code == 401 and "not right" in bad.text and "set-cookie" not in bad.headers
        ok = httpx.post(s.base + "/login", data={"token": token, "next": "/feeds"}, timeout=10)
        assert ok.status_code == 303 and ok.headers["location"] == "/feeds"
        cookie = ok.headers["set-cookie"]
        assert token not in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        jar = {"Cookie": "; ".join(f"{k}={v}" for k, v in ok.cookies.items())}
        assert s.get("/feeds", headers=jar).status_code == 200
        assert s.get("/api/status", headers=jar).status_code == 200
        # never sent elsewhere after logging in
        off = httpx.post(s.base + "/login", data={"token": token, "next": "//evil.example/"}, timeout=10)
        assert off.headers["location"] == "/"


def test_non_loopback_bind_needs_a_token_or_public(sqlite_env):
    for host in ("0.0.0.0", "::", "192.0.2.1"):
        res = subprocess.run([sys.executable, "-m", "aidewatch.cli", "serve", "--host", host, "--port",
                              str(free_port())], env=sqlite_env, capture_output=True, text=True, timeout=60)
        assert res.returncode == 2 and "refusing to serve" in res.stderr, (host, res.stderr)
    from aidewatch.web.serve import check_bind
    from aidewatch.web.security import is_loopback
    check_bind("0.0.0.0", token="t", public=False)  # a token makes it safe
    check_bind("0.0.0.0", token="", public=True)  # or the user says so
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org", "127.0.0.1.nip.io"))


def test_serve_help_keeps_the_contract():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    out = subprocess.run([sys.executable, "-m", "aidewatch.cli", "serve", "--help"], env=env,
                         capture_output=True, text=True, timeout=60).stdout
    assert "--host" in out and "--port" in out and "--public" in out


def test_store_down_is_503_not_a_traceback(sqlite_env):
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"  # nothing listens there
    with WebServer(sqlite_env | {"AIDEWATCH_DATABASE_URL": down}) as s:
        assert s.get("/healthz").status_code == 503
        page = s.get("/")
        assert page.status_code == 503 and "cannot be reached" in page.text and "Traceback" not in page.text
        assert s.get("/api/status").status_code == 503 and s.get("/api/status").json()["error"]
        assert s.get("/metrics").status_code == 503


def test_the_web_views_store_cannot_write(store_url):
    from storage import Store
    Store(store_url).close()  # migrated by a normal process first, as serve does
    ro = Store(store_url, migrate_schema=False, read_only=True)
    try:
        with pytest.raises(Exception, match="(?i)read.only|readonly"):
            ro.add_feed("x", url="https://feeds.example/x.xml")
        assert ro.list_feeds() == [] and ro.events_page(__import__("storage.views").views.EventFilter()) == ([], None)
    finally:
        ro.close()


def test_api_events_are_the_export(site):
    """/api/events gives each event as `aidewatch export events` does (the pages' own additions, a
    source's title and story, stay on the pages)."""
    import json
    from web_env import cli
    exported = {e["id"]: e for e in map(json.loads, cli(site.env, "export", "events").stdout.splitlines())}
    api = {e["id"]: e for e in _all_events(site)}
    assert set(api) == set(exported)
    for eid, ev in exported.items():
        got = api[eid]
        assert {k: got[k] for k in ev if k != "sources"} == {k: v for k, v in ev.items() if k != "sources"}
        assert [s["article_id"] for s in got["sources"]] == [s["article_id"] for s in ev["sources"]]
        for mine, theirs in zip(got["sources"], ev["sources"]):
            assert {k: mine[k] for k in theirs} == theirs
            assert "title" not in mine and "story_id" not in mine
