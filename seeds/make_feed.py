"""Regenerate ``feed.xml`` (RSS 2.0) from the seed ``*.txt`` files and ``meta.jsonl``.

Run: ``python seeds/make_feed.py`` (writes next to this script). Output is deterministic.
Each item: guid (isPermaLink="false") = file stem, title and pubDate from meta.jsonl, the outlet
in ``dc:publisher`` (feedparser: ``entry.publisher``), full text as <p> paragraphs in
``content:encoded``. No <link>: these are local copies. A leading `` date YYYY-MM-DD`` marker
(an artefact of how a fragment was saved, not article text) is dropped.
"""
from __future__ import annotations

import html
import json
import re
import sys
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
_DATE_MARKER = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")


def load_meta(path: Path) -> dict[str, dict]:
    meta = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            if not isinstance(obj, dict) or not obj.get("id"):
                raise ValueError(f"{path.name}:{n}: expected an object with 'id'")
            meta[obj["id"]] = obj
    return meta


def paragraphs(text: str) -> list[str]:
    text = _DATE_MARKER.sub("", text)
    return [p.strip() for p in text.splitlines() if p.strip()]


def cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rfc822(day: str) -> str:
    return format_datetime(datetime.fromisoformat(day).replace(tzinfo=timezone.utc))


def build(seeds_dir: Path = HERE) -> str:
    meta = load_meta(seeds_dir / "meta.jsonl")
    items, dates = [], []
    for f in sorted(seeds_dir.glob("*.txt")):
        m = meta.get(f.stem)
        if not m or not m.get("published") or not m.get("title"):
            raise ValueError(f"meta.jsonl has no title/published for {f.stem}")
        body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n"
                       for p in paragraphs(f.read_text(encoding="utf-8")))
        dates.append(m["published"])
        items.append(
            "    <item>\n"
            f'      <guid isPermaLink="false">{escape(f.stem)}</guid>\n'
            f"      <title>{escape(m['title'])}</title>\n"
            f"      <pubDate>{rfc822(m['published'])}</pubDate>\n"
            f"      <dc:publisher>{escape(m.get('outlet') or '')}</dc:publisher>\n"
            f"      <content:encoded>{cdata(body)}</content:encoded>\n"
            "    </item>\n")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "  <channel>\n"
        "    <title>aidewatch seed articles</title>\n"
        "    <description>The user's example articles, as a local feed.</description>\n"
        "    <language>en-gb</language>\n"
        f"    <lastBuildDate>{rfc822(max(dates))}</lastBuildDate>\n"
        + "".join(items) +
        "  </channel>\n</rss>\n")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE / "feed.xml"
    out.write_text(build(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
