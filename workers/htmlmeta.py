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
