"""Feed bytes -> ParsedFeed, with feedparser on bytes only (it never fetches or opens paths).

DOCTYPEs are removed before parsing, so entity declarations (billion laughs,
external entities) never reach the XML parser.
"""
from __future__ import annotations

import calendar
import hashlib
import io
import os
import re
import stat
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import feedparser

from workers.model import FeedEntry, FeedError, ParsedFeed
from workers.urls import canonical_url

_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF|channel)[\s>/]", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I)
_XML_DECL_ENC = re.compile(rb"""^(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_WIDE = ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"),
         (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"))
SAFE_SCHEMES = ("http", "https")


def _to_ascii_compatible(data: bytes) -> bytes:
    """Transcode UTF-16/32 input to UTF-8 so byte-level checks see the markup."""
    for prefix, codec in _BOMS + _WIDE:
        if data.startswith(prefix):
            body = data[len(prefix):] if (prefix, codec) in _BOMS else data
            text = body.decode(codec, errors="replace").encode("utf-8")
            return _XML_DECL_ENC.sub(rb'\1"utf-8"', text, count=1)
    return data


def _skip_quoted(data: bytes, i: int, end_char: bytes) -> int:
    """Index just after ``end_char`` at nesting level 0, skipping quoted strings."""
    quote = None
    n = len(data)
    while i < n:
        c = data[i:i + 1]
        if quote:
            if c == quote:
                quote = None
        elif c in (b'"', b"'"):
            quote = c
        elif c == end_char:
            return i + 1
        i += 1
    return n


def _strip_doctype(data: bytes) -> tuple[bytes, bool]:
    """Remove the DOCTYPE (with any internal subset) from the prolog.

    Returns the new bytes and whether entity declarations were removed.
    """
    i, n = 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        i = 3
    while i < n:
        while i < n and data[i:i + 1].isspace():
            i += 1
        if data.startswith(b"<?", i):
            end = data.find(b"?>", i)
            i = n if end < 0 else end + 2
        elif data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            i = n if end < 0 else end + 3
        elif data[i:i + 9].upper() == b"<!DOCTYPE":
            j = i + 9
            while j < n and data[j:j + 1] not in (b"[", b">"):
                if data[j:j + 1] in (b'"', b"'"):
                    close = data.find(data[j:j + 1], j + 1)
                    j = n if close < 0 else close + 1
                else:
                    j += 1
            had_subset = data[j:j + 1] == b"["
            if had_subset:
                j = _skip_subset(data, j + 1)
            end = data.find(b">", j)
            end = n if end < 0 else end + 1
            entities = had_subset and b"<!ENTITY" in data[i:end].upper()
            return data[:i] + data[end:], entities
        else:
            break
    return data, False


def _skip_subset(data: bytes, j: int) -> int:
    """Index after the ``]`` closing an internal DTD subset starting at ``j``."""
    n = len(data)
    while j < n:
        if data.startswith(b"<!--", j):
            end = data.find(b"-->", j + 4)
            j = n if end < 0 else end + 3
        elif data[j:j + 1] == b"<":
            j = _skip_quoted(data, j + 1, b">")
        elif data[j:j + 1] == b"]":
            return j + 1
        else:
            j += 1
    return n


def _safe_link(link: str | None, base: str | None) -> tuple[str | None, bool]:
    """(absolute http(s) link or None, whether a link was dropped for its scheme).

    A relative link with no base to resolve it against is dropped quietly.
    """
    if not link or not link.strip():
        return None, False
    link = link.strip()
    if base:
        link = urljoin(base, link)
    try:
        parts = urlsplit(link)
    except ValueError:
        return None, True
    if parts.scheme and parts.scheme.lower() not in SAFE_SCHEMES:
        return None, True
    if not parts.scheme or not parts.netloc:
        return None, False
    return link, False


# Month names feedparser's RFC 822 parser does not know (pt, es, de, fr, it, nl).
_MONTHS = {m: i for i, names in enumerate((
    "jan janeiro enero januar janv janvier gennaio gen januari",
    "fev fevereiro feb febrero febr februar fevr fevrier febbraio februari",
    "mar marco marzo marz maerz mars maart",
    "abr abril apr april avr avril aprile",
    "mai maio may mayo mei maggio mag",
    "jun junho junio juni juin giugno giu",
    "jul julho julio juli juil juillet luglio lug",
    "ago agosto aug august aout augustus",
    "set setembro sep sept septiembre september septembre settembre",
    "out outubro oct octubre okt oktober octobre ottobre ott",
    "nov novembro noviembre november novembre",
    "dez dezembro dic diciembre dec dezember decembre dicembre december"), start=1)
    for m in names.split()}
_LOOSE_DATE = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                         r"\s*(?:([+-])(\d{2}):?(\d{2})|(?:GMT|UTC|Z))?")


def _loose_date(value: str | None) -> datetime | None:
    """RFC 822-like dates with non-English month names ("Seg, 24 Set 2018 19:42:40 -0300")."""
    if not value:
        return None
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    m = _LOOSE_DATE.search(plain)
    if not m or m.group(2) not in _MONTHS:
        return None
    day, _, year, hour, minute, sec, sign, oh, om = m.groups()
    try:
        dt = datetime(int(year), _MONTHS[m.group(2)], int(day), int(hour), int(minute),
                      int(sec or 0), tzinfo=timezone.utc)
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(oh), minutes=int(om))
        dt = dt - offset if sign == "+" else dt + offset
    return dt


_LEGACY = ("cp1252", "koi8_r", "koi8_u", "cp1251", "iso8859_5", "cp866", "mac_cyrillic",
           "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6")


def _guess_non_latin(data: bytes) -> str | None:
    """Charset for bytes that decode as mojibake Latin but are really Cyrillic, Greek,
    Hebrew or Arabic in a legacy single-byte charset; None when not convincing."""
    best = charset_normalizer.from_bytes(data[:200_000], cp_isolation=list(_LEGACY)).best()
    if best is None or best.encoding == "cp1252":
        return None
    letters = [c for c in str(best) if c.isalpha() and ord(c) > 127]
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, "LATIN"))
    return best.encoding if letters and latin / len(letters) < 0.2 else None


def _utc(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _content_html(entry) -> str | None:
    best = None
    for part in entry.get("content") or ():
        value = part.get("value") or ""
        if value.strip() and (best is None or len(value) > len(best)):
            best = value
    return best


def _entry_key(guid: str | None, link: str | None, title: str | None,
               summary: str | None, content: str | None) -> str | None:
    if guid:
        return guid
    if link:
        try:
            return canonical_url(link)
        except ValueError:
            pass
    text = "\n".join(x or "" for x in (title, summary, content))
    if not text.strip():
        return None
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _clean_str(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_feed(data: bytes, *, url: str | None = None,
               content_type: str | None = None) -> ParsedFeed:
    """Parse RSS/Atom/RDF bytes into a ParsedFeed.

    ``url`` (the feed's final URL) resolves relative links; ``content_type`` may
    carry the charset. Entry links that are not http(s) are dropped (noted in
    ``warning``); duplicate keys keep the first entry. Raises FeedError with
    reason ``empty``, ``not_a_feed`` or ``malformed_feed``.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise FeedError("not_a_feed", f"expected bytes, got {type(data).__name__}")
    data = _to_ascii_compatible(bytes(data))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise FeedError("empty", "no bytes to parse")
    head = data[:65536]
    if b"\x00" in head:
        raise FeedError("not_a_feed", "binary data")
    looks_feed = bool(_FEED_ROOT.search(head))
    if not looks_feed:
        kind = "an HTML page" if _HTML_ROOT.search(head) else "not XML"
        raise FeedError("not_a_feed", f"{kind}, no rss/feed/RDF root")
    warnings: list[str] = []
    data, had_entities = _strip_doctype(data)
    if had_entities:
        warnings.append("DOCTYPE with entity declarations removed")
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers,
                              resolve_relative_uris=False, sanitize_html=True)
    if type(parsed.get("bozo_exception")).__name__ == "CharacterEncodingOverride":
        guess = _guess_non_latin(data)
        if guess:  # declared/HTTP charset was wrong and cp1252 would give mojibake
            data = data.decode(guess, errors="replace").encode("utf-8")
            data = _XML_DECL_ENC.sub(rb'\1"utf-8"', data, count=1)
            parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False,
                                      sanitize_html=True)
            warnings.append(f"charset guessed as {guess}")
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings.append(f"{type(exc).__name__}: {exc}" if exc else "bozo")
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        if _HTML_ROOT.search(head) and not re.search(rb"<(rss|feed)[\s>]", head, re.I):
            raise FeedError("not_a_feed", "an HTML page")
        raise FeedError("malformed_feed", "; ".join(warnings) or "no feed structure")

    feed = parsed.get("feed", {})
    base = url
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    dropped_links = no_identity = 0
    for raw in parsed.entries:
        link, dropped = _safe_link(raw.get("link"), base)
        dropped_links += dropped
        guid = _clean_str(raw.get("id"))
        title = _clean_str(raw.get("title"))
        summary = _clean_str(raw.get("summary"))
        content = _content_html(raw)
        key = _entry_key(guid, link, title, summary, content)
        if key is None:
            no_identity += 1
            continue
        if key in seen:
            continue
        seen.add(key)
        # dict.get: FeedParserDict would alias missing keys and warn.
        published = _utc(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
                         or dict.get(raw, "created_parsed")) \
            or _loose_date(dict.get(raw, "published") or dict.get(raw, "updated"))
        entries.append(FeedEntry(key=key, guid=guid, link=link, title=title,
                                 published=published, summary=summary, content_html=content,
                                 author=_clean_str(raw.get("author")),
                                 publisher=_clean_str(dict.get(raw, "publisher"))))
    feed_link, feed_dropped = _safe_link(feed.get("link"), base)
    if dropped_links or feed_dropped:
        warnings.append(f"{dropped_links + feed_dropped} link(s) with a non-http(s) "
                        "scheme dropped")
    if no_identity:
        warnings.append(f"{no_identity} empty item(s) skipped")
    title = _clean_str(feed.get("title"))
    if not entries and parsed.get("bozo") and not (title or feed_link):
        raise FeedError("malformed_feed", "; ".join(warnings))
    return ParsedFeed(title=title, link=feed_link, entries=entries,
                      warning="; ".join(warnings) or None, publisher=_clean_str(dict.get(feed, "publisher")))


def read_local_feed(path: str | os.PathLike, max_bytes: int) -> bytes:
    """Read a feed configured as a local file, refusing non-regular files and
    files over ``max_bytes`` (FeedError ``unreadable`` / ``too_large``)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FeedError("unreadable", f"{path}: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FeedError("unreadable", f"{path}: not a regular file")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise FeedError("unreadable", f"{path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FeedError("too_large", f"{path}: over {max_bytes} bytes")
    return data
