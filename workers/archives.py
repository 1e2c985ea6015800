"""Archive readers for backfill: JSONL, a directory of files, WARC/ARC; sitemap and RFC 5005 parsers.

``iter_archive`` yields ``ArchiveRecord`` or ``ArchiveProblem`` items, each with a ``position``
(JSONL line number, file name, WARC record offset) that ``after=`` accepts to resume a backfill.
Nothing here touches the network: sitemap and feed-archive parsers take bytes the caller fetched.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterator, Union
from urllib.parse import urljoin

from dateutil import parser as dateutil_parser

from .htmlmeta import head_meta, headline
from .model import ArchiveError, ArchiveRecord

MAX_RECORD_BYTES = 20 * 1024 * 1024  # one article (line, file or WARC payload)
MAX_XML_BYTES = 50 * 1024 * 1024  # one sitemap or feed page, after gunzip
TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
SIDECARS = ("meta.jsonl", "index.jsonl")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


@dataclass(frozen=True)
class ArchiveProblem:
    """An item that could not be read (``skipped``) or a record that lost a field (not skipped).

    A non-skipped problem follows the record it concerns, at the same position.
    """

    position: str
    reason: str
    detail: str = ""
    skipped: bool = True


ArchiveItem = Union[ArchiveRecord, ArchiveProblem]


# ---------------------------------------------------------------- dates

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_published(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601 / W3C / RFC 2822 text; ``None`` for empty.

    Date-only strings give midnight UTC; naive times are taken as UTC. Raises ``ValueError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        dt = _parse_date_text(value.strip())
    else:
        raise ValueError(f"not a date: {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _parse_date_text(s: str) -> datetime:
    m = _PARTIAL_DATE.match(s)
    if m:  # W3C "YYYY" or "YYYY-MM"
        return datetime(int(m.group(1)), int(m.group(2) or 1), 1)
    iso = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        pass
    try:  # everything else dateutil knows ("26-MAR-1987 16:33:19.68", "March 3, 1987")
        return dateutil_parser.parse(s)
    except (ValueError, OverflowError):
        raise ValueError(f"unparseable date: {s!r}") from None


# ---------------------------------------------------------------- entry points

def archive_kind(path: str | os.PathLike) -> str:
    """``"jsonl"``, ``"dir"`` or ``"warc"``; raises ``ArchiveError`` for anything else."""
    p = Path(path)
    if not p.exists():
        raise ArchiveError("not_found", str(p))
    if p.is_dir():
        return "dir"
    name = p.name.lower()
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(_WARC_SUFFIXES):
        return "warc"
    raise ArchiveError("unsupported_format",
                       f"{p.name}: expected a directory, .jsonl[.gz], .warc[.gz] or .arc[.gz]")


def iter_archive(path: str | os.PathLike, *, after: str | None = None) -> Iterator[ArchiveItem]:
    """Yield the archive's records and problems in a stable order.

    ``after`` is a ``position`` from an earlier run: items up to and including it are skipped.
    Raises ``ArchiveError`` when the archive as a whole cannot be opened.
    """
    kind = archive_kind(path)
    if kind == "jsonl":
        return _iter_jsonl(Path(path), after)
    if kind == "dir":
        return _iter_dir(Path(path), after)
    return _iter_warc(Path(path), after)


def count_records(path: str | os.PathLike) -> int | None:
    """A cheap upper bound on the records, for progress bars; ``None`` when unknown (WARC)."""
    kind = archive_kind(path)
    p = Path(path)
    if kind == "dir":
        return sum(1 for f in p.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
    if kind == "warc":
        return None
    n, last = 0, b"\n"
    with _open_binary(p) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _open_binary(p: Path):
    return gzip.open(p, "rb") if p.name.lower().endswith(".gz") else open(p, "rb")


# ---------------------------------------------------------------- JSONL

_FIELDS = ("url", "outlet", "title", "text", "html")


def _iter_jsonl(p: Path, after: str | None) -> Iterator[ArchiveItem]:
    skip = _int_position(after)
    lineno = 0
    try:
        with _open_binary(p) as fh:
            while raw := fh.readline(MAX_RECORD_BYTES + 1):
                lineno += 1
                if len(raw) > MAX_RECORD_BYTES:
                    tail = raw
                    while tail and not tail.endswith(b"\n"):
                        tail = fh.readline(1 << 20)  # drain the rest of an oversized line
                    if lineno > skip:
                        yield ArchiveProblem(str(lineno), "too_large", f"over {MAX_RECORD_BYTES} bytes")
                    continue
                if lineno <= skip or not raw.strip():
                    continue
                yield from _jsonl_item(str(lineno), raw)
    except (OSError, EOFError) as e:  # truncated or corrupt .gz
        yield ArchiveProblem(str(lineno + 1), "unreadable", f"{p.name}: {e}")


def _int_position(after: str | None) -> int:
    if after is None:
        return 0
    try:
        return int(after)
    except ValueError:
        raise ArchiveError("bad_position", f"expected a line number, got {after!r}") from None


def _jsonl_item(pos: str, raw: bytes) -> Iterator[ArchiveItem]:
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        yield ArchiveProblem(pos, "bad_json", str(e)[:200])
        return
    yield from record_from_mapping(pos, obj)


def record_from_mapping(pos: str, obj: object, meta: dict | None = None) -> Iterator[ArchiveItem]:
    """Validate one JSON object into a record (plus a non-skipping problem for a bad date)."""
    if not isinstance(obj, dict):
        yield ArchiveProblem(pos, "not_an_object", type(obj).__name__)
        return
    obj = {**(meta or {}), **{k: v for k, v in obj.items() if v is not None}}
    rid = obj.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str) or not rid.strip():
        yield ArchiveProblem(pos, "missing_id", "record has no string 'id'")
        return
    for key in _FIELDS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            yield ArchiveProblem(pos, "bad_field", f"{rid}: {key!r} must be a string")
            return
    if not (obj.get("text") or "").strip() and not (obj.get("html") or "").strip():
        if not (obj.get("title") or "").strip():
            yield ArchiveProblem(pos, "missing_content", f"{rid}: no 'text', 'html' or 'title'")
            return
        obj["text"] = obj["title"].strip()      # a wire that carries its news in the headline only
    published, date_problem = None, None
    try:
        published = parse_published(obj.get("published"))
    except ValueError as e:
        date_problem = ArchiveProblem(pos, "bad_published", f"{rid}: {e}", skipped=False)
    yield ArchiveRecord(id=rid.strip(), url=obj.get("url"), outlet=obj.get("outlet"),
                        published=published, title=obj.get("title"),
                        text=obj.get("text"), html=obj.get("html"), position=pos)
    if date_problem:
        yield date_problem


# ---------------------------------------------------------------- directory

def _iter_dir(d: Path, after: str | None) -> Iterator[ArchiveItem]:
    try:
        meta, problems = _read_sidecars(d)
        files = sorted(f for f in d.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
    except OSError as e:
        raise ArchiveError("unreadable", f"{d}: {e}") from None
    yield from problems
    for f in files:
        if after is not None and f.name <= after:
            continue
        size = f.stat().st_size
        if size > MAX_RECORD_BYTES:
            yield ArchiveProblem(f.name, "too_large", f"{size} bytes")
            continue
        try:
            data = f.read_bytes()
        except OSError as e:
            yield ArchiveProblem(f.name, "unreadable", str(e))
            continue
        field = TEXT_SUFFIXES[f.suffix.lower()]
        content, warn = _decode(data, html=field == "html")
        rec = {"id": f.stem, field: content}
        yield from record_from_mapping(f.name, rec, meta.get(f.stem))
        if warn:
            yield ArchiveProblem(f.name, "bad_encoding", warn, skipped=False)


def _read_sidecars(d: Path) -> tuple[dict[str, dict], list[ArchiveProblem]]:
    """``{id: metadata}`` from ``meta.jsonl`` / ``index.jsonl`` (meta.jsonl wins)."""
    meta: dict[str, dict] = {}
    problems: list[ArchiveProblem] = []
    for name in reversed(SIDECARS):
        p = d / name
        if not p.is_file():
            continue
        for lineno, raw in enumerate(p.read_bytes().splitlines(), 1):
            if not raw.strip():
                continue
            pos = f"{name}:{lineno}"
            try:
                obj = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as e:
                problems.append(ArchiveProblem(pos, "bad_sidecar", str(e)[:200]))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                problems.append(ArchiveProblem(pos, "bad_sidecar", "expected an object with 'id'"))
                continue
            keep = {k: obj[k] for k in ("outlet", "published", "url", "title") if obj.get(k) is not None}
            meta.setdefault(obj["id"], {}).update(keep)
    return meta, problems


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


def _decode(data: bytes, *, html: bool, declared: str | None = None) -> tuple[str, str | None]:
    """Text from bytes: declared charset, BOM, ``<meta charset>``, UTF-8; replacement as a last resort."""
    candidates = [declared] if declared else []
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            candidates.append(m.group(1).decode("ascii"))
    candidates.append("utf-8-sig")
    for enc in candidates:
        try:
            return data.decode(enc), None
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), "not valid UTF-8; bad bytes replaced"


# ---------------------------------------------------------------- WARC / ARC

def _iter_warc(p: Path, after: str | None) -> Iterator[ArchiveItem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    start = _int_position(after) if after is not None else None
    is_arc = p.name.lower().endswith((".arc", ".arc.gz"))
    pos = str(start or 0)
    with open(p, "rb") as fh:
        if start is not None and not is_arc:
            fh.seek(start)  # WARC records (and gzip members) can be read from their offset
        it = ArchiveIterator(fh, arc2warc=True)
        try:
            for rec in it:
                item = _warc_item(rec)  # reads the payload, so the offset is known after
                offset = it.get_record_offset()
                pos = str(offset)
                if start is not None and offset <= start:
                    continue
                if getattr(rec.raw_stream, "limit", 0) > 0:  # read to end, still short
                    uri = rec.rec_headers.get_header("WARC-Target-URI") or rec.rec_type
                    yield ArchiveProblem(pos, "truncated", f"{uri}: record ends early")
                    continue
                if item is not None:
                    yield from (replace(x, position=pos) if isinstance(x, ArchiveRecord) else
                                ArchiveProblem(pos, x[0], x[1], x[2]) for x in item)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError) as e:
            # warcio fails in assorted ways on damaged input; nothing after this point is readable
            yield ArchiveProblem(pos, "corrupt_archive",
                                 f"after offset {pos}: {type(e).__name__}: {e}"[:300])


def _warc_item(rec) -> list | None:
    """Records and ``(reason, detail, skipped)`` tuples for one WARC record; ``None`` to ignore it."""
    if rec.rec_type != "response" or rec.http_headers is None:
        return None
    status = rec.http_headers.get_statuscode()
    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
    if not status or not status.startswith("2") or not ctype.startswith(HTML_TYPES):
        return None  # redirects, errors, images, scripts: not articles
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if not uri:
        return [("missing_id", "response record without WARC-Target-URI", True)]
    try:
        data = rec.content_stream().read(MAX_RECORD_BYTES + 1)
    except Exception as e:  # gzip/brotli/chunked decoders of untrusted bytes fail in many ways
        return [("undecodable", f"{uri}: {type(e).__name__}: {e}"[:300], True)]
    if len(data) > MAX_RECORD_BYTES:
        return [("too_large", f"{uri}: over {MAX_RECORD_BYTES} bytes", True)]
    if not data.strip():
        return [("missing_content", f"{uri}: empty body", True)]
    m = re.search(r"charset=([A-Za-z0-9_.:-]+)", ctype)
    html, warn = _decode(data, html=True, declared=m.group(1) if m else None)
    head = head_meta(data)
    out: list = []
    published = None
    for raw in (head.get("published"), rec.rec_headers.get_header("WARC-Date")):
        try:
            published = parse_published(raw)
        except ValueError as e:
            out.append(("bad_published", f"{uri}: {e}", False))
        if published:
            break
    out.insert(0, ArchiveRecord(id=uri, url=uri, outlet=head.get("outlet"), published=published,
                                title=headline(head, uri), html=html))
    if warn:
        out.append(("bad_encoding", f"{uri}: {warn}", False))
    return out


# ---------------------------------------------------------------- sitemaps and RFC 5005

def _xml_root(data: bytes, what: str, base_url: str | None = None):
    from lxml import etree

    if not isinstance(data, (bytes, bytearray)):
        raise ArchiveError(f"bad_{what}", "expected bytes")
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(MAX_XML_BYTES + 1)
        except (OSError, EOFError) as e:
            raise ArchiveError(f"bad_{what}", f"bad gzip: {e}") from None
    if len(data) > MAX_XML_BYTES:
        raise ArchiveError(f"bad_{what}", f"over {MAX_XML_BYTES} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(bytes(data), parser, base_url=base_url)
    except etree.XMLSyntaxError as e:
        raise ArchiveError(f"bad_{what}", f"not well-formed XML: {e}") from None
    if root is None:
        raise ArchiveError(f"bad_{what}", "empty document")
    return root


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, name: str) -> str | None:
    for c in el:
        if _local(c) == name:
            return (c.text or "").strip() or None
    return None


def parse_sitemap(data: bytes) -> tuple[list[tuple[str, datetime | None]], list[str]]:
    """URLs with their ``news:publication_date`` from a ``<urlset>``; child sitemaps of a ``<sitemapindex>``.

    Accepts gzipped bytes. An unparseable date gives ``None`` for that URL. Raises ``ArchiveError``.
    """
    root = _xml_root(data, "sitemap")
    kind = _local(root)
    urls: list[tuple[str, datetime | None]] = []
    children: list[str] = []
    if kind == "sitemapindex":
        for sm in root:
            if _local(sm) == "sitemap" and (loc := _child_text(sm, "loc")):
                children.append(loc)
    elif kind == "urlset":
        for u in root:
            if _local(u) != "url" or not (loc := _child_text(u, "loc")):
                continue
            published = None
            for news in (c for c in u if _local(c) == "news"):
                try:
                    published = parse_published(_child_text(news, "publication_date"))
                except ValueError:
                    published = None
            urls.append((loc, published))
    else:
        raise ArchiveError("not_a_sitemap", f"root element is <{kind}>")
    return urls, children


ARCHIVE_RELS = ("prev-archive", "next-archive", "current", "prev", "previous", "next", "first", "last")


def archive_links(feed_bytes: bytes, base_url: str | None = None) -> dict[str, str]:
    """Feed-level paging links (RFC 5005 ``prev-archive``, ``next-archive``, ``current``; ``next``...).

    Reads ``<link rel href>`` children of an Atom ``<feed>`` or an RSS ``<channel>`` (atom:link),
    never entry links. Relative hrefs are resolved against xml:base / ``base_url``.
    ``"previous"`` is reported as ``"prev"``. Raises ``ArchiveError`` for bytes that are not XML.
    """
    root = _xml_root(feed_bytes, "feed", base_url)
    kind = _local(root)
    if kind == "rss":
        container = next((c for c in root if _local(c) == "channel"), None)
    elif kind in ("feed", "rdf"):
        container = root
    else:
        raise ArchiveError("not_a_feed", f"root element is <{kind}>")
    links: dict[str, str] = {}
    for el in container if container is not None else ():
        if _local(el) != "link" or not el.get("href"):
            continue
        rel = (el.get("rel") or "alternate").strip().lower()
        rel = "prev" if rel == "previous" else rel
        if rel in ARCHIVE_RELS and rel not in links:
            base = el.base or base_url
            links[rel] = urljoin(base, el.get("href").strip()) if base else el.get("href").strip()
    return links


# ---------------------------------------------------------------- sitemap / feed-archive URLs

LISTING_TYPES = ("application/gzip", "application/x-gzip")  # .xml.gz sitemaps, besides XML types
MAX_LISTING_DOCUMENTS = 2000


def listing_kind(data: bytes) -> str:
    """``"sitemap"`` (urlset or sitemapindex) or ``"feed"`` (RSS, Atom, RDF); raises ``ArchiveError``."""
    kind = _local(_xml_root(data, "listing"))
    if kind in ("urlset", "sitemapindex"):
        return "sitemap"
    if kind in ("rss", "feed", "rdf"):
        return "feed"
    raise ArchiveError("not_a_listing", f"root element is <{kind}>: not a sitemap or a feed")


def iter_listing(url: str, get, *, max_documents: int = MAX_LISTING_DOCUMENTS) -> Iterator[ArchiveItem]:
    """The articles a news sitemap (or sitemap index) or a paged / archived feed (RFC 5005) lists.

    ``get(url) -> (bytes, final_url)`` fetches one document (the caller's safe fetch; it raises
    ``StageError``). Child sitemaps and the feed's paging links (prev-archive, next-archive,
    next, prev, first, last, current) are followed, each document once, at most ``max_documents``.
    Records carry no content unless a feed entry holds the full text; ``position`` is the
    document's URL. A document that fails gives an ``ArchiveProblem`` and the walk goes on.
    """
    from . import clean, feeds
    from .model import StageError
    from .urls import canonical_url

    todo, seen, docs = [url], set(), 0
    while todo:
        doc = todo.pop(0)
        if doc in seen:
            continue
        seen.add(doc)
        if docs >= max_documents:
            yield ArchiveProblem(doc, "too_many_documents", f"stopped after {max_documents} documents")
            return
        docs += 1
        try:
            data, final = get(doc)
            kind = listing_kind(data)
        except StageError as e:
            yield ArchiveProblem(doc, e.reason, e.detail or str(e))
            continue
        final = final or doc
        if kind == "sitemap":
            try:
                urls, children = parse_sitemap(data)
            except ArchiveError as e:
                yield ArchiveProblem(doc, e.reason, e.detail)
                continue
            todo.extend(urljoin(final, c) for c in children)
            for loc, published in urls:
                loc = urljoin(final, loc)
                try:
                    yield ArchiveRecord(id=canonical_url(loc), url=loc, published=published, position=doc)
                except ValueError as e:
                    yield ArchiveProblem(doc, "bad_url", f"{loc}: {e}"[:300])
            continue
        try:
            parsed = feeds.parse_feed(data, url=final)
            links = archive_links(data, final)
        except StageError as e:
            yield ArchiveProblem(doc, e.reason, e.detail or str(e))
            continue
        todo.extend(links[rel] for rel in ARCHIVE_RELS if rel in links)
        for entry in parsed.entries:
            if not entry.link:
                continue
            body = clean.clean_entry(entry)
            try:
                rid = canonical_url(entry.link)
            except ValueError as e:
                yield ArchiveProblem(doc, "bad_url", f"{entry.link}: {e}"[:300])
                continue
            yield ArchiveRecord(id=rid, url=entry.link, title=entry.title, published=entry.published,
                                outlet=body.outlet if body else None, text=body.text if body else None,
                                position=doc)
