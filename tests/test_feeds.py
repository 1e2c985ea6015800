"""workers.feeds: parse_feed on feeds written here, well-formed and hostile."""
from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone

import pytest

from workers.feeds import parse_feed, read_local_feed
from workers.model import FeedError


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="utf-8"?>',
        channel: str = "<title>Daily Staffing</title><link>https://news.example/</link>") -> bytes:
    return (f'{head}\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
            f'content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>{channel}'
            f"{items}</channel></rss>").encode("utf-8")


ITEM = """<item><title>{title}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>
<pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate><dc:creator>Ann Writer</dc:creator>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Full body of {title}.</p><p>Second paragraph.</p>]]></content:encoded>
</item>"""


def item(title="Jane Doe named CEO", link="https://news.example/a?utm_source=rss", guid="id-1"):
    return ITEM.format(title=title, link=link, guid=guid)


def test_rss_entry_fields():
    feed = parse_feed(rss(item()), url="https://news.example/feed")
    assert feed.title == "Daily Staffing" and feed.link == "https://news.example/"
    assert feed.warning is None
    [e] = feed.entries
    assert e.key == "id-1" and e.guid == "id-1"
    assert e.link == "https://news.example/a?utm_source=rss"
    assert e.title == "Jane Doe named CEO" and e.author == "Ann Writer"
    assert e.published == datetime(2024, 3, 5, 8, 30, tzinfo=timezone.utc)
    assert e.published.tzinfo is not None
    assert e.summary == "Short teaser."
    assert "<p>Second paragraph.</p>" in e.content_html


def test_atom_entry_with_content():
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<link rel="alternate" href="https://atom.example/"/>
<entry><id>tag:atom.example,2024:1</id><title>Board shake-up</title>
<link rel="alternate" href="https://atom.example/2024/board"/>
<updated>2024-06-01T12:00:00-04:00</updated><author><name>Bo Reporter</name></author>
<summary>Teaser</summary><content type="html">&lt;p&gt;The whole story.&lt;/p&gt;</content>
</entry></feed>"""
    feed = parse_feed(data, content_type="application/atom+xml")
    [e] = feed.entries
    assert e.key == "tag:atom.example,2024:1" and e.link == "https://atom.example/2024/board"
    assert e.published == datetime(2024, 6, 1, 16, 0, tzinfo=timezone.utc)
    assert e.content_html == "<p>The whole story.</p>" and e.author == "Bo Reporter"


def test_duplicate_guids_give_one_entry():
    feed = parse_feed(rss(item(guid="same") + item(title="Other", guid="same") + item(guid="b")))
    assert [e.key for e in feed.entries] == ["same", "b"]
    assert feed.entries[0].title == "Jane Doe named CEO"


def test_identity_falls_back_to_canonical_link_then_hash():
    items = ("<item><title>A</title><link>https://News.example/a?utm_medium=x&amp;id=3#c</link></item>"
             "<item><title>A again</title><link>https://news.example/a?id=3&amp;fbclid=zz</link></item>"
             "<item><title>No link</title><description>Body text</description></item>")
    feed = parse_feed(rss(items))
    assert [e.key for e in feed.entries][:1] == ["https://news.example/a?id=3"]
    assert len(feed.entries) == 2  # the second item has the same canonical link
    assert feed.entries[1].key.startswith("sha256:") and feed.entries[1].guid is None
    again = parse_feed(rss(items))
    assert again.entries[1].key == feed.entries[1].key  # stable


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x",
                                 "ftp://news.example/a"])
def test_unsafe_link_dropped_entry_kept(bad):
    feed = parse_feed(rss(item(link=bad, guid="g-unsafe")))
    [e] = feed.entries
    assert e.link is None and e.guid == "g-unsafe" and "Full body" in e.content_html
    assert "scheme" in feed.warning


def test_relative_link_resolved_against_feed_url():
    feed = parse_feed(rss(item(link="/2024/story", guid="r1")), url="https://news.example/feed")
    assert feed.entries[0].link == "https://news.example/2024/story"


def test_truncated_feed_keeps_what_parsed():
    whole = rss(item(guid="a") + item(title="Second", guid="b") + item(title="Third", guid="c"))
    cut = whole[: whole.index(b"Third") + 3]
    feed = parse_feed(cut)
    assert [e.key for e in feed.entries][:2] == ["a", "b"]
    assert feed.warning


def test_truncated_to_nothing_is_malformed():
    with pytest.raises(FeedError) as err:
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><chan')
    assert err.value.reason == "malformed_feed"


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>News</title></head><body><p>Hi</p></body></html>",
    b"<html><body><h1>Feed moved</h1><a href='/rss'>rss</a></body></html>",
    b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
    b"Just some plain text, not XML at all.",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'></svg>",
])
def test_not_a_feed(body):
    with pytest.raises(FeedError) as err:
        parse_feed(body)
    assert err.value.reason == "not_a_feed"


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty(body):
    with pytest.raises(FeedError) as err:
        parse_feed(body)
    assert err.value.reason == "empty"


def test_billion_laughs_is_neutralised_quickly():
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    data = rss(item(title="Boom &lol9;", guid="bl"),
               head=f'<?xml version="1.0"?>\n<!DOCTYPE rss [{ents}]>')
    start = time.monotonic()
    feed = parse_feed(data)
    assert time.monotonic() - start < 1
    assert "lollollol" not in (feed.entries[0].title or "")
    assert "entity" in feed.warning.lower()


def test_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = rss(item(title="Leak &xxe;", guid="x1"),
               head=f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>')
    feed = parse_feed(data)
    text = repr(feed)
    assert "TOP-SECRET-VALUE" not in text
    assert feed.entries[0].guid == "x1"


def test_parameter_entity_and_external_dtd_ignored(tmp_path):
    secret = tmp_path / "evil.dtd"
    secret.write_text('<!ENTITY leak "DTD-WAS-LOADED">')
    data = rss(item(title="T &leak;", guid="p1"),
               head=f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file://{secret}">')
    feed = parse_feed(data)
    assert "DTD-WAS-LOADED" not in repr(feed)


def test_latin1_declared_feed():
    data = rss(item(title="Café société", guid="l1"),
               head='<?xml version="1.0" encoding="iso-8859-1"?>').decode().encode("latin-1")
    assert parse_feed(data).entries[0].title == "Café société"


def test_wrong_declared_charset_still_readable():
    data = rss(item(title="Müller wird Vorstand", guid="w1")).decode().encode("latin-1")
    feed = parse_feed(data)  # declared utf-8, bytes are latin-1
    assert feed.entries[0].title == "Müller wird Vorstand"
    assert feed.warning


def test_charset_from_content_type():
    data = rss(item(title="Señor Pérez dimite", guid="c1"), head="").decode().encode("latin-1")
    feed = parse_feed(data, content_type="application/rss+xml; charset=ISO-8859-1")
    assert feed.entries[0].title == "Señor Pérez dimite"


def test_invalid_utf8_bytes_do_not_crash():
    data = rss(item(title="Bad XXbytes", guid="u1")).replace(b"XX", b"\xff\xfe\xc3")
    feed = parse_feed(data)
    assert feed.entries[0].guid == "u1" and feed.warning


def test_utf16_feed_with_bom():
    data = rss(item(title="Ünïcode", guid="w16"),
               head='<?xml version="1.0" encoding="utf-16"?>').decode().encode("utf-16")
    assert parse_feed(data).entries[0].title == "Ünïcode"


def test_koi8r_without_declaration():
    data = rss(item(title="Назначен новый директор", guid="k1"), head="").decode().encode("koi8-r")
    assert parse_feed(data).entries[0].title == "Назначен новый директор"


def test_non_english_month_names():
    items = ('<item><guid>pt1</guid><title>x</title>'
             '<pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item>')
    assert parse_feed(rss(items)).entries[0].published == datetime(2018, 9, 24, 22, 42, 40,
                                                                   tzinfo=timezone.utc)


def test_empty_but_valid_feed():
    feed = parse_feed(rss(""))
    assert feed.entries == [] and feed.title == "Daily Staffing"


def test_parse_feed_never_reads_paths(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss(item()))
    with pytest.raises(FeedError) as err:
        parse_feed(str(path).encode())
    assert err.value.reason == "not_a_feed"


def test_read_local_feed(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss(item()))
    assert parse_feed(read_local_feed(path, 10_000)).entries[0].key == "id-1"
    with pytest.raises(FeedError) as err:
        read_local_feed(path, 100)
    assert err.value.reason == "too_large"
    for bad in (tmp_path / "missing.xml", tmp_path):
        with pytest.raises(FeedError) as err:
            read_local_feed(bad, 100)
        assert err.value.reason == "unreadable"


def test_read_local_feed_refuses_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = {}

    def run():
        try:
            read_local_feed(fifo, 100)
        except FeedError as exc:
            result["reason"] = exc.reason

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(2)
    assert result.get("reason") == "unreadable"
