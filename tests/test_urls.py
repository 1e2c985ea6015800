"""workers.urls: canonical URLs, hosts, outlet names."""
from __future__ import annotations

import pytest

from workers.urls import canonical_url, host_of, outlet_from_url


@pytest.mark.parametrize("raw, canon", [
    ("HTTPS://WWW.BBC.CO.UK/news/uk-1#comments", "https://www.bbc.co.uk/news/uk-1"),
    ("https://example.com:443/a?utm_source=rss&utm_medium=feed&id=7",
     "https://example.com/a?id=7"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    ("https://ex.com/a?fbclid=abc&gclid=def&ocid=msn&cmp=rss&b=2&a=1",
     "https://ex.com/a?a=1&b=2"),
    ("https://ex.com/a/../b//c/./d", "https://ex.com/b/c/d"),
    ("https://ex.com/dir/", "https://ex.com/dir/"),
    ("https://ex.com/a?mc_cid=1&mc_eid=2&_ga=3&igshid=4&page=2", "https://ex.com/a?page=2"),
    ("https://Bücher.example/x", "https://xn--bcher-kva.example/x"),
    ("https://ex.com/caf%C3%A9 x", "https://ex.com/caf%C3%A9%20x"),
    ("http://[::1]:8000/x?utm_campaign=y", "http://[::1]:8000/x"),
])
def test_canonical_url(raw, canon):
    assert canonical_url(raw) == canon


def test_canonical_is_idempotent():
    url = "https://News.Example.com/a/b?z=1&utm_term=x&a=&y=2#top"
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert once == "https://news.example.com/a/b?a=&y=2&z=1"


@pytest.mark.parametrize("bad", ["", "not a url", "/relative/path", "http://"])
def test_canonical_refuses_non_absolute(bad):
    with pytest.raises(ValueError):
        canonical_url(bad)


def test_host_of():
    assert host_of("https://WWW.Example.COM:8443/x") == "www.example.com"
    assert host_of("http://[::1]/") == "::1"
    assert host_of("nonsense") == ""


@pytest.mark.parametrize("url, outlet", [
    ("https://www.bbc.co.uk/news/business-1", "bbc.co.uk"),
    ("https://edition.cnn.com/2024/x", "cnn.com"),
    ("https://www.theguardian.com/world", "theguardian.com"),
    ("https://www.lemonde.fr/a", "lemonde.fr"),
    ("http://127.0.0.1:8000/a", None),
    ("http://localhost/a", None),
    ("garbage", None),
])
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet
