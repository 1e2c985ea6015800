"""Archive readers: JSONL, directories (incl. the project's seeds), WARC/ARC, sitemaps, RFC 5005."""
from __future__ import annotations

import gzip
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workers.archives import (ArchiveProblem, archive_links, count_records, iter_archive,
                              parse_published, parse_sitemap)
from workers.model import ArchiveError, ArchiveRecord

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
UTC = timezone.utc


def records(items):
    return [i for i in items if isinstance(i, ArchiveRecord)]


def problems(items):
    return [i for i in items if isinstance(i, ArchiveProblem)]


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("raw, expected", [
    ("2017-02-17", datetime(2017, 2, 17, tzinfo=UTC)),
    ("2017-02-17T10:30:00Z", datetime(2017, 2, 17, 10, 30, tzinfo=UTC)),
    ("2017-02-17T11:30:00+01:00", datetime(2017, 2, 17, 10, 30, tzinfo=UTC)),
    ("2017-02-17T10:30:00", datetime(2017, 2, 17, 10, 30, tzinfo=UTC)),
    ("Fri, 17 Feb 2017 10:30:00 GMT", datetime(2017, 2, 17, 10, 30, tzinfo=UTC)),
    ("2017-02", datetime(2017, 2, 1, tzinfo=UTC)),
    ("", None),
    (None, None),
])
def test_parse_published(raw, expected):
    got = parse_published(raw)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None and got.utcoffset().total_seconds() == 0


def test_parse_published_rejects_garbage():
    with pytest.raises(ValueError):
        parse_published("last Tuesday")


# ---------------------------------------------------------------- JSONL

def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n")
    return path


def test_jsonl_good_and_bad_lines(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "a1", "url": "https://example.org/1", "outlet": "Example", "published": "2017-02-17",
         "title": "T", "text": "Simon Fletcher resigned."},
        "{not json",
        {"url": "https://example.org/no-id", "text": "x"},
        {"id": "a4", "title": "   "},
        "",
        ["a", "list"],
        {"id": "a7", "html": "<p>hi</p>", "published": "someday"},
        {"id": 8, "text": "numeric id"},
        {"id": "a9", "text": "x", "title": ["bad"]},
    ])
    items = list(iter_archive(p))
    recs = records(items)
    assert [r.id for r in recs] == ["a1", "a7", "8"]
    assert recs[0] == ArchiveRecord(id="a1", url="https://example.org/1", outlet="Example",
                                    published=datetime(2017, 2, 17, tzinfo=UTC), title="T",
                                    text="Simon Fletcher resigned.", position="1")
    assert recs[1].html == "<p>hi</p>" and recs[1].published is None
    probs = {(p.position, p.reason, p.skipped) for p in problems(items)}
    assert probs == {("2", "bad_json", True), ("3", "missing_id", True), ("4", "missing_content", True),
                     ("6", "not_an_object", True), ("7", "bad_published", False),
                     ("9", "bad_field", True)}
    # every item carries its line number; a non-skipping problem follows its record
    assert [i.position for i in items] == ["1", "2", "3", "4", "6", "7", "7", "8", "9"]
    assert count_records(p) == 9


def test_jsonl_headline_only_record_is_its_headline(tmp_path):
    """A wire that carries its news in the headline alone is an article whose text is the headline."""
    p = write_jsonl(tmp_path / "h.jsonl", [
        {"id": "w1", "outlet": "Wire", "title": "PELLAM FOODS NAMES NORA QUILL CHIEF EXECUTIVE\n", "text": ""},
        {"id": "w2", "title": ""},
    ])
    items = list(iter_archive(p))
    assert [(r.id, r.text, r.title) for r in records(items)] == [
        ("w1", "PELLAM FOODS NAMES NORA QUILL CHIEF EXECUTIVE", "PELLAM FOODS NAMES NORA QUILL CHIEF EXECUTIVE\n")]
    assert [(x.position, x.reason) for x in problems(items)] == [("2", "missing_content")]


def test_jsonl_resume_after_position(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [{"id": f"r{i}", "text": "t"} for i in range(5)])
    first = list(iter_archive(p))
    resumed = list(iter_archive(p, after=first[2].position))
    assert [r.id for r in resumed] == ["r3", "r4"]
    with pytest.raises(ArchiveError):
        list(iter_archive(p, after="not-a-number"))


def test_jsonl_gz_and_truncated_gz(tmp_path):
    data = b"".join(json.dumps({"id": f"g{i}", "text": "t" * 200}).encode() + b"\n" for i in range(50))
    good = tmp_path / "a.jsonl.gz"
    good.write_bytes(gzip.compress(data))
    assert len(records(iter_archive(good))) == 50
    bad = tmp_path / "b.jsonl.gz"
    bad.write_bytes(gzip.compress(data)[:-40])
    items = list(iter_archive(bad))
    assert problems(items)[-1].reason == "unreadable"


def test_jsonl_oversized_line(tmp_path, monkeypatch):
    import workers.archives as archives
    monkeypatch.setattr(archives, "MAX_RECORD_BYTES", 100)
    p = write_jsonl(tmp_path / "a.jsonl", [{"id": "big", "text": "x" * 500}, {"id": "ok", "text": "y"}])
    items = list(iter_archive(p))
    assert [(i.position, i.reason) for i in problems(items)] == [("1", "too_large")]
    assert [r.id for r in records(items)] == ["ok"]


def test_unknown_and_missing_archives(tmp_path):
    with pytest.raises(ArchiveError) as e:
        iter_archive(tmp_path / "nope.jsonl")
    assert e.value.reason == "not_found"
    (tmp_path / "x.csv").write_text("a,b")
    with pytest.raises(ArchiveError) as e:
        count_records(tmp_path / "x.csv")
    assert e.value.reason == "unsupported_format"


# ---------------------------------------------------------------- directories

def test_seed_directory_with_sidecar():
    items = list(iter_archive(SEEDS))
    assert problems(items) == []
    recs = records(items)
    assert [r.id for r in recs] == ["000_39eb890eb2b64ca7", "001_d79ee27f620f07d6", "002_880bd02216675e85"]
    assert [r.outlet for r in recs] == ["HuffPost UK", "The Herald", "HuffPost UK"]
    assert [r.published for r in recs] == [datetime(2017, 2, 17, tzinfo=UTC),
                                           datetime(2017, 2, 18, tzinfo=UTC),
                                           datetime(2018, 3, 19, tzinfo=UTC)]
    assert all(r.text and r.html is None and r.title for r in recs)
    assert "Simon Fletcher" in recs[0].text
    assert [i.position for i in items] == [f"{r.id}.txt" for r in recs]
    assert count_records(SEEDS) == 3


def test_directory_without_sidecar_and_resume(tmp_path):
    (tmp_path / "b.html").write_text("<html><body><p>B</p></body></html>")
    (tmp_path / "a.txt").write_text("A text")
    (tmp_path / "c.htm").write_bytes("<p>caf\xe9</p>".encode("latin-1"))  # not UTF-8
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "notes.md").write_text("ignored")
    (tmp_path / "index.jsonl").write_text('{"id": "a", "outlet": "Idx", "published": "2020-01-02"}\n'
                                         "{broken\n")
    items = list(iter_archive(tmp_path))
    recs = records(items)
    assert [(r.id, r.outlet) for r in recs] == [("a", "Idx"), ("b", None), ("c", None)]
    assert recs[0].text == "A text" and recs[1].html.startswith("<html>")
    assert recs[0].published == datetime(2020, 1, 2, tzinfo=UTC)
    assert recs[2].html == "<p>caf\ufffd</p>"
    assert {(p.position, p.reason) for p in problems(items)} == {
        ("index.jsonl:2", "bad_sidecar"), ("c.htm", "bad_encoding"), ("empty.txt", "missing_content")}
    resumed = records(iter_archive(tmp_path, after="b.html"))
    assert [r.id for r in resumed] == ["c"]
    assert count_records(tmp_path) == 4


# ---------------------------------------------------------------- WARC / ARC

def build_warc(path: Path, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer, uri, ctype, body, status="200 OK", date="2019-05-01T12:00:00Z"):
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                        http_headers=headers,
                                        warc_headers_dict={"WARC-Date": date})
        writer.write_record(rec)

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        response(w, "https://news.example/a", "text/html; charset=utf-8",
                 b"<html><head><title>Aide quits</title>"
                 b'<meta property="article:published_time" content="2017-02-17T09:00:00+00:00">'
                 b'<meta property="og:site_name" content="Example News"></head>'
                 b"<body><p>Simon Fletcher resigned.</p></body></html>")
        response(w, "https://news.example/logo.png", "image/png", b"\x89PNG....")
        response(w, "https://news.example/moved", "text/html", b"", status="301 Moved Permanently")
        response(w, "https://news.example/b", "text/html", b"<html><body>Second</body></html>")
        response(w, "https://news.example/c", "text/html",
                 "<html><body>Caf\xe9</body></html>".encode("cp1252"))


@pytest.mark.parametrize("name, gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc(tmp_path, name, gz):
    p = tmp_path / name
    build_warc(p, gz)
    items = list(iter_archive(p))
    recs = records(items)
    assert [r.id for r in recs] == ["https://news.example/a", "https://news.example/b",
                                    "https://news.example/c"]
    a, b, c = recs
    assert a.url == a.id and a.title == "Aide quits" and a.outlet == "Example News"
    assert a.published == datetime(2017, 2, 17, 9, tzinfo=UTC)  # the page's date beats WARC-Date
    assert "Simon Fletcher resigned." in a.html
    assert b.published == datetime(2019, 5, 1, 12, tzinfo=UTC)  # WARC-Date as a fallback
    assert "Caf\ufffd" in c.html
    assert [(p.reason, p.skipped) for p in problems(items)] == [("bad_encoding", False)]
    positions = [int(i.position) for i in items]
    assert positions == sorted(positions) and positions[0] > 0  # after the warcinfo record
    assert count_records(p) is None
    # resume after the first article: seek to its offset, skip it
    resumed = records(iter_archive(p, after=items[0].position))
    assert [r.id for r in resumed] == ["https://news.example/b", "https://news.example/c"]


def test_truncated_warc_is_a_problem_not_a_crash(tmp_path):
    p = tmp_path / "crawl.warc.gz"
    build_warc(p, True)
    data = p.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 30])
    items = list(iter_archive(cut))
    assert [r.id for r in records(items)] == ["https://news.example/a", "https://news.example/b"]
    assert [p.reason for p in problems(items)] == ["truncated"]


def test_arc(tmp_path):
    body = b"<html><body>ARC page</body></html>"
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    filedesc_body = b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://test.arc 0.0.0.0 20170217000000 text/plain %d\n" % len(filedesc_body)
    rec = b"http://arc.example/x 127.0.0.1 20170217120000 text/html %d\n" % len(http)
    p = tmp_path / "old.arc"
    p.write_bytes(header + filedesc_body + b"\n" + rec + http + b"\n")
    recs = records(iter_archive(p))
    assert [r.id for r in recs] == ["http://arc.example/x"]
    assert recs[0].published == datetime(2017, 2, 17, 12, tzinfo=UTC)
    assert "ARC page" in recs[0].html


# ---------------------------------------------------------------- sitemaps

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/a</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language>
    </news:publication><news:publication_date>2017-02-17T09:00:00+01:00</news:publication_date>
    <news:title>Aide quits</news:title></news:news></url>
  <url><loc> https://news.example/b </loc><lastmod>2017-02-18</lastmod></url>
  <url><loc>https://news.example/c</loc>
    <news:news><news:publication_date>not a date</news:publication_date></news:news></url>
  <url><lastmod>2017-02-18</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-1.xml</loc></sitemap>
  <sitemap><loc>https://news.example/sitemap-2.xml.gz</loc><lastmod>2017-02-18</lastmod></sitemap>
</sitemapindex>"""


def test_news_sitemap():
    urls, children = parse_sitemap(URLSET)
    assert children == []
    assert urls == [("https://news.example/a", datetime(2017, 2, 17, 8, tzinfo=UTC)),
                    ("https://news.example/b", None),
                    ("https://news.example/c", None)]


def test_sitemap_index_and_gzip():
    urls, children = parse_sitemap(gzip.compress(INDEX))
    assert urls == []
    assert children == ["https://news.example/sitemap-1.xml", "https://news.example/sitemap-2.xml.gz"]


@pytest.mark.parametrize("data, reason", [
    (b"<html><body>nope</body></html>", "not_a_sitemap"),
    (b"<urlset><url>", "bad_sitemap"),
    (b"", "bad_sitemap"),
    (b"\x1f\x8b garbage", "bad_sitemap"),
])
def test_bad_sitemaps(data, reason):
    with pytest.raises(ArchiveError) as e:
        parse_sitemap(data)
    assert e.value.reason == reason


def test_xml_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<urlset><url><loc>https://a.example/&x;</loc></url></urlset>').encode()
    try:
        urls, _ = parse_sitemap(data)
    except ArchiveError:
        return  # refusing is fine too
    assert all("TOPSECRET" not in u for u, _ in urls)


# ---------------------------------------------------------------- RFC 5005

ATOM_ARCHIVE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0"
      xml:base="https://news.example/feeds/">
  <title>Example</title><fh:archive/>
  <link rel="current" href="current.xml"/>
  <link rel="prev-archive" href="2017-01.xml"/>
  <link rel="next-archive" href="https://news.example/feeds/2017-03.xml"/>
  <link rel="alternate" href="https://news.example/"/>
  <entry><title>x</title><link rel="next" href="https://wrong.example/entry-link"/></entry>
</feed>"""

RSS_PAGED = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
  <link>https://news.example/</link>
  <atom:link rel="self" href="https://news.example/feed?page=2"/>
  <atom:link rel="next" href="/feed?page=3"/>
  <atom:link rel="previous" href="https://news.example/feed?page=1"/>
  <item><title>i</title></item>
</channel></rss>"""


def test_atom_archive_links():
    links = archive_links(ATOM_ARCHIVE)
    assert links == {"current": "https://news.example/feeds/current.xml",
                     "prev-archive": "https://news.example/feeds/2017-01.xml",
                     "next-archive": "https://news.example/feeds/2017-03.xml"}


def test_rss_paged_links_with_base_url():
    links = archive_links(RSS_PAGED, base_url="https://news.example/feed?page=2")
    assert links == {"next": "https://news.example/feed?page=3",
                     "prev": "https://news.example/feed?page=1"}


def test_archive_links_rejects_non_feeds():
    with pytest.raises(ArchiveError):
        archive_links(b"not xml at all")
    with pytest.raises(ArchiveError):
        archive_links(b"<html/>")
    assert archive_links(b"<feed xmlns='http://www.w3.org/2005/Atom'/>") == {}


@pytest.mark.parametrize("name, gz", [("bad.warc", False), ("bad.warc.gz", True)])
def test_garbage_inside_warc_is_a_problem(tmp_path, name, gz):
    p = tmp_path / name
    build_warc(p, gz)
    data = p.read_bytes()
    p.write_bytes(data[:400] + b"GARBAGE not a record\r\n\r\n" + data[400:])
    items = list(iter_archive(p))
    assert problems(items)[-1].reason == "corrupt_archive"


def test_undecodable_payload_is_skipped_and_reading_goes_on(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    p = tmp_path / "enc.warc.gz"
    with open(p, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for uri, extra, body in [("https://x.example/bad", [("Content-Encoding", "gzip")], b"not gzip at all"),
                                 ("https://x.example/good", [], b"<p>fine</p>")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")] + extra, protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                http_headers=headers))
    items = list(iter_archive(p))
    assert [r.id for r in records(items)][-1] == "https://x.example/good"
    assert all(p.reason != "corrupt_archive" for p in problems(items))
