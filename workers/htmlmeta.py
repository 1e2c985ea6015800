"""A cheap look at a page's ``<head>``: title, site name, author, published time.

Regular expressions over the first 64 KiB instead of a parse, for callers that need
metadata fast (archive readers, the light path of :func:`workers.clean.clean_html`).
"""
from __future__ import annotations

import html
import re

_META_TAG = re.compile(rb"<meta\s[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z:_.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
PUBLISHED_KEYS = {b"article:published_time", b"og:published_time", b"datepublished",
                  b"pubdate", b"publishdate", b"dc.date.issued", b"date", b"sailthru.date"}
_KEYS = {b"og:site_name": "outlet", b"og:title": "og_title", b"twitter:title": "og_title",
         b"author": "author", b"article:author": "author"}


def unescape(b: bytes) -> str:
    """Text of an HTML attribute or element: entities decoded, white space folded."""
    return html.unescape(re.sub(r"\s+", " ", b.decode("utf-8", "replace"))).strip()


def head_meta(data: bytes | str) -> dict[str, str]:
    """``published``, ``outlet``, ``title`` (of ``<title>``), ``og_title`` and ``author``
    where the page's ``<meta>`` tags and ``<title>`` give them."""
    head = (data.encode("utf-8", "replace") if isinstance(data, str) else data)[:65536]
    out: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): (v1 or v2) for k, v1, v2 in _ATTR.findall(tag)}
        key = (attrs.get(b"property") or attrs.get(b"name") or attrs.get(b"itemprop") or b"").lower()
        content = attrs.get(b"content")
        if not content:
            continue
        if key in PUBLISHED_KEYS:
            out.setdefault("published", content.decode("utf-8", "replace").strip())
        elif key in _KEYS and not content.startswith((b"http://", b"https://")):
            out.setdefault(_KEYS[key], unescape(content))
    m = _TITLE.search(head)
    if m and m.group(1).strip():
        out["title"] = unescape(m.group(1))
    return out


_SEPARATED = re.compile(r"\s+(\||::|»|-|–|—)\s+")


def _squash(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower())


def _site_label(url: str | None) -> str:
    """The name part of a URL's host: "skynews" for https://news.skynews.com/..., "express" for
    express.co.uk."""
    host = re.sub(r"^[a-z]+://", "", (url or "").lower()).split("/", 1)[0].split(":", 1)[0]
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in ("co", "com", "org", "net", "ac", "gov"):
        parts = parts[:-1]
    return _squash(parts[-2]) if len(parts) >= 2 else ""


def headline(head: dict[str, str], url: str | None = None) -> str | None:
    """The page's headline: ``og_title`` or ``title`` without the site and section names that pages
    put around it ("Minister quits | UK News | Sky News", "Minister quits - Daily Echo"). Around
    pipes the longest part is the headline; around dashes only a part naming the site (its
    ``og:site_name`` or its domain) is dropped, since dashes also join the parts of a headline."""
    title = head.get("og_title") or head.get("title")
    if not title:
        return None
    parts = _SEPARATED.split(title)
    texts, seps = parts[0::2], parts[1::2]
    site = {_squash(head.get("outlet") or ""), _site_label(url)} - {""}

    def is_site(part: str) -> bool:  # "Sky News", "News Nation" (newsnationtv.com), "SpaceNews.com"
        p = _squash(part)
        return bool(p) and any(p == s or (len(p) >= 4 and p in s) or (len(s) >= 4 and p.startswith(s)
                                                                      and len(p) - len(s) <= 4) for s in site)
    while len(texts) > 1 and is_site(texts[-1]):
        texts.pop()
        seps.pop()
    while len(texts) > 1 and is_site(texts[0]):
        texts.pop(0)
        seps.pop(0)
    if seps and all(s == "|" for s in seps):
        best = max(texts, key=len)
        return best if len(best) >= 12 else title
    return texts[0] + "".join(f" {s} {t}" for s, t in zip(seps, texts[1:]))
