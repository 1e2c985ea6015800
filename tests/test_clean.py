"""workers.clean on pages written here."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from workers.clean import clean_entry, clean_html, decode_html
from workers.model import CleanError, FeedEntry

PARAS = [
    "The board of Northwind Traders said on Monday that Maria Alvarez will become chief "
    "executive officer in April, succeeding Tom Becker, who is retiring after twelve years.",
    "Alvarez, 48, joined the company in 2015 as head of logistics and has run its European "
    "business since 2020. Analysts welcomed the choice, citing her record on margins.",
    "Becker will remain an adviser to the board until the end of the year, the company said "
    "in a statement released before markets opened in Frankfurt.",
]


def page(paras=PARAS, *, charset="utf-8", title="Northwind names Maria Alvarez CEO",
         site="The Daily Ledger", extra_head="") -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta name="author" content="Lena Fischer">
<meta property="article:published_time" content="2024-03-04T09:15:00+01:00">
{extra_head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/markets">Markets</a></li>
<li><a href="/login">Sign in to your account</a></li></ul></nav>
<main><article><h1>{title}</h1>{body}</article></main>
<footer><p>Copyright 2024 The Daily Ledger. All rights reserved. Privacy policy.</p></footer>
</body></html>"""


def test_clean_page_text_and_metadata():
    art = clean_html(page().encode(), url="https://www.ledger.example/biz/northwind",
                     content_type="text/html; charset=utf-8")
    for p in PARAS:
        assert p in art.text
    assert "Sign in to your account" not in art.text and "All rights reserved" not in art.text
    assert art.title == "Northwind names Maria Alvarez CEO"
    assert art.author == "Lena Fischer"
    assert art.outlet == "The Daily Ledger"
    assert art.published is not None and art.published.tzinfo is not None
    assert art.published.date() == datetime(2024, 3, 4).date()
    assert art.url == "https://www.ledger.example/biz/northwind"


def test_without_metadata_the_text_is_the_same():
    full = clean_html(page().encode(), url="https://www.ledger.example/biz/northwind")
    bare = clean_html(page().encode(), url="https://www.ledger.example/biz/northwind", with_metadata=False)
    assert bare.text == full.text
    assert bare.title is None and bare.published is None
    assert bare.outlet == "ledger.example"  # from the URL


def test_outlet_from_url_when_page_has_no_site_name():
    html = page().replace('<meta property="og:site_name" content="The Daily Ledger">', "")
    html = html.replace(" | The Daily Ledger", "")
    art = clean_html(html, url="https://www.ledger.example/x")
    assert art.outlet == "ledger.example"


def test_charset_from_content_type():
    paras = [p.replace("Alvarez", "Álvarez-Müller") for p in PARAS]
    data = page(paras, charset="iso-8859-1").encode("latin-1")
    art = clean_html(data, content_type="text/html; charset=ISO-8859-1")
    assert "Álvarez-Müller" in art.text


def test_charset_from_meta_only():
    paras = [p.replace("Alvarez", "Альварес") for p in PARAS]
    art = clean_html(page(paras, charset="windows-1251").encode("cp1251"))
    assert "Альварес" in art.text


def test_wrong_declared_charset_falls_back():
    paras = [p.replace("Alvarez", "Müller") for p in PARAS]
    data = page(paras, charset="utf-8").encode("latin-1")  # says utf-8, is latin-1
    art = clean_html(data, content_type="text/html; charset=utf-8")
    assert "Müller" in art.text


def test_latin1_header_but_utf8_bytes():
    paras = [p.replace("Alvarez", "Çelik") for p in PARAS]
    art = clean_html(page(paras).encode("utf-8"), content_type="text/html; charset=iso-8859-1")
    assert "Çelik" in art.text


def test_invalid_utf8_replaced_not_crashing():
    paras = [p.replace("Alvarez", "Álvarez") for p in PARAS]
    data = page(paras).encode("utf-8").replace(b"Monday", b"Mon\xff\xfeday")
    art = clean_html(data, content_type="text/html; charset=utf-8")
    assert "Mon\ufffd\ufffdday" in art.text and "Álvarez" in art.text


def test_utf16_with_bom():
    art = clean_html(page(charset="utf-16").encode("utf-16"))
    assert PARAS[0] in art.text


def test_unknown_charset_name():
    assert decode_html(b"<p>caf\xc3\xa9</p>", "text/html; charset=x-bogus") == "<p>café</p>"


@pytest.mark.parametrize("data, ctype", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, None),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", None),
    (b"%PDF-1.7\n%\xe2\xe3", None),
    (b"<html>\x00\x00\x00binary</html>", None),
    (page().encode(), "image/jpeg"),
])
def test_binary_refused(data, ctype):
    with pytest.raises(CleanError) as err:
        clean_html(data, content_type=ctype)
    assert err.value.reason == "binary_content"


@pytest.mark.parametrize("html", [
    b"", "   ", "<html><body></body></html>",
    "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
])
def test_no_text(html):
    with pytest.raises(CleanError) as err:
        clean_html(html)
    assert err.value.reason == "no_text"


def entry(content=None, summary=None):
    return FeedEntry(key="k", guid="k", link="https://www.ledger.example/n",
                     title="Northwind names CEO", published=datetime(2024, 3, 4, tzinfo=timezone.utc),
                     summary=summary, content_html=content, author="Lena Fischer")


def test_clean_entry_uses_full_content():
    html = "".join(f"<p>{p}</p>" for p in PARAS) + "<script>alert(1)</script>"
    art = clean_entry(entry(content=html, summary="Short teaser."))
    assert art is not None and PARAS[2] in art.text and "alert" not in art.text
    assert art.title == "Northwind names CEO" and art.outlet == "ledger.example"
    assert art.published == datetime(2024, 3, 4, tzinfo=timezone.utc)


def test_clean_entry_teaser_gives_none():
    assert clean_entry(entry(summary="<p>Northwind has a new CEO.</p>")) is None
    assert clean_entry(entry()) is None
    long_teaser = f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p><a href='/n'>Continue reading...</a>"
    assert clean_entry(entry(summary=long_teaser)) is None


def test_clean_entry_long_summary_counts_as_full_text():
    art = clean_entry(entry(summary="".join(f"<p>{p}</p>" for p in PARAS)))
    assert art is not None and PARAS[1] in art.text


def test_clean_entry_without_link_is_its_headline():
    """A wire entry with a headline and nothing to fetch is processed as that headline."""
    bare = FeedEntry(key="w", guid="w", link=None, title="HOLLIS MARINE NAMES ADA FENN PRESIDENT",
                     published=datetime(2024, 3, 4, tzinfo=timezone.utc), summary=None, content_html=None,
                     author=None)
    art = clean_entry(bare)
    assert art is not None and art.text == "HOLLIS MARINE NAMES ADA FENN PRESIDENT" and art.title == art.text
    teaser = FeedEntry(key="t", guid="t", link=None, title="Hollis Marine names president",
                       published=None, summary="<p>Ada Fenn takes over in May.</p>", content_html=None, author=None)
    assert clean_entry(teaser).text == "Ada Fenn takes over in May."
    assert clean_entry(FeedEntry(key="n", guid="n", link=None, title="  ", published=None, summary=None,
                                 content_html=None, author=None)) is None


@pytest.mark.parametrize("title, url, expected", [
    # pipes: the longest part is the headline, whatever section and site names surround it
    ("Harbour Bank names Ada Quist chairman | Business News | Coast TV", None,
     "Harbour Bank names Ada Quist chairman"),
    ("Opinion | Why the mayor had to go", None, "Why the mayor had to go"),
    # dashes: only the site's own name is dropped, from its og:site_name or its domain
    ("Minister quits over leaked memo - Daily Echo", "https://www.dailyecho.example/news/1",
     "Minister quits over leaked memo"),
    ("Coach sacked after cup exit – Vale Sport", "https://news.valesport.co.uk/a/2",
     "Coach sacked after cup exit"),
    ("Mayor resigns – 'I had no choice' - Daily Echo", "https://www.dailyecho.example/news/3",
     "Mayor resigns – 'I had no choice'"),
    ("Take-over talks - Dailyecho staff react", "https://www.dailyecho.example/news/4",
     "Take-over talks - Dailyecho staff react"),
    ("Ada Quist", None, "Ada Quist"),
])
def test_headline_without_site_and_section_names(title, url, expected):
    from workers.htmlmeta import head_meta, headline
    html = f"<html><head><title>{title}</title></head><body></body></html>"
    assert headline(head_meta(html), url) == expected
    art = clean_html(page(title=title, site="Daily Echo").replace(f'<meta property="og:title" content="{title}">', ""),
                     url=url)
    assert art.title == expected
