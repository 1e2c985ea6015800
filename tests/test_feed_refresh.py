"""workers/feed_refresh.py: the pure decisions of a feed poll (304, unchanged body, changed feed,
entry identity, outlet from the feed)."""
from __future__ import annotations

import pytest

from workers import feed_refresh
from workers.model import FeedError, FetchResult

RSS = """<?xml version='1.0'?><rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>
<title>Channel Title</title>{channel_publisher}
<item><guid>g1</guid><title>One</title><link>https://news.example.org/a/1?utm_source=rss</link>{item_publisher}</item>
<item><guid>g2</guid><title>Two</title><link>https://www.outlet.example.com/a/2</link></item>
<item><guid isPermaLink="false">g3</guid><title>Three</title></item>
</channel></rss>"""


def _answer(body: str, **kw) -> FetchResult:
    return FetchResult(url="https://feeds.example.org/rss", status=200, body=body.encode(), **kw)


def test_not_modified_unchanged_and_changed():
    assert feed_refresh.refresh("abc", FetchResult(url="u", status=304, body=b"")).kind == "not_modified"
    body = RSS.format(channel_publisher="", item_publisher="")
    first = feed_refresh.refresh(None, _answer(body, etag='"v1"'))
    assert first.kind == "changed" and first.etag == '"v1"' and len(first.parsed.entries) == 3
    again = feed_refresh.refresh(first.body_hash, _answer(body, etag='"v2"'))
    assert again.kind == "unchanged" and again.parsed is None and again.etag == '"v2"'
    assert feed_refresh.refresh(first.body_hash, _answer(body + " ")).kind == "changed"
    with pytest.raises(FeedError):
        feed_refresh.refresh(None, _answer("<html><body>not a feed</body></html>"))


def test_new_articles_skip_known_entries_and_take_the_outlet_from_the_feed():
    body = RSS.format(channel_publisher="<dc:publisher>Channel Publisher</dc:publisher>",
                      item_publisher="<dc:publisher>Item Publisher</dc:publisher>")
    parsed = feed_refresh.refresh(None, _answer(body)).parsed
    arts = feed_refresh.new_articles(parsed, known_keys={parsed.entries[1].key})
    assert [a.title for a in arts] == ["One", "Three"]
    one, three = arts
    assert one.article_id == one.canonical_url and "utm_source" not in one.article_id
    assert one.outlet == "Item Publisher" and three.outlet == "Channel Publisher"
    plain = feed_refresh.refresh(None, _answer(RSS.format(channel_publisher="", item_publisher=""))).parsed
    by_title = {a.title: a for a in feed_refresh.new_articles(plain, set())}
    assert by_title["Two"].outlet == "example.com"  # the link's registered domain
    assert by_title["Three"].outlet == "Channel Title"  # no link, no publisher: the feed's title
    assert by_title["Three"].article_id == plain.entries[2].guid == "g3"


def test_a_failing_feed_with_a_password_in_its_url_never_shows_it(tmp_path, http_server, caplog):
    from pipeline_env import claim, inprocess
    from httpserver import Route
    http_server.route("/private.xml", Route(status=500, body=b"down"))
    url = http_server.url("/private.xml").replace("http://", "http://reader:s3cret@")
    with inprocess(tmp_path) as store:
        fid = store.add_feed("private", url=url)
        claim(store, fid)
        from tasks.pipeline import poll_feed
        assert poll_feed(fid)["error"] == "http_error"
        shown = repr(store.get_feed(fid).last_error) + repr(store.last_errors()) + caplog.text
    assert "reader:***@" in shown  # the URL is shown, its password masked
    assert "s3cret" not in shown
