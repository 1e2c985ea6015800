"""Cheap text work before spaCy: normalising wire text, splitting sentences, spotting triggers."""
from __future__ import annotations

import html
import re

# Stems of every trigger the rules know. A sentence without one is never parsed.
_TRIGGER = re.compile(
    r"\b(?:resign\w*|quit(?:s|ting)?|retir\w*|step(?:s|ped|ping)?\s+(?:down|aside|back)|"
    r"st(?:and|ands|anding|ood)\s+(?:down|aside|again)|leav(?:e|es|ing)|left\b(?!-)|depart\w*|exit\w*|"
    r"sack\w*|fir(?:e|es|ed|ing)\b|oust\w*|remov\w*|ax(?:e|ed|es|ing)\b|dismiss\w*|depos(?:e|ed)|"
    r"deselect\w*|terminat\w*|forc(?:e|ed|es|ing)\s+out|push(?:ed)?\s+out|replac\w*|succe(?:ed|eds|eded|eding|ssor\w*)|"
    r"appoint\w*|nam(?:e|es|ed|ing)\b|hir(?:e|es|ed|ing)\b|recruit\w*|promot\w*|join(?:s|ed|ing)?\b|"
    r"t(?:ake|akes|aking|ook|aken)\s+(?:over|up|on|charge)|tap(?:s|ped|ping)?\b|elect(?:s|ed|ion)?\b|"
    r"cho(?:se|sen|ose)\b|select\w*|pick(?:s|ed)?\b|nominat\w*|install\w*|elevat\w*|reassign\w*|"
    r"becom(?:e|es|ing)|became|assum(?:e|es|ed|ing)|return\w*|serv(?:e|es|ed|ing)\s+as|act\s+as|(?:remain|stay)\w*\s+(?:on\s+)?as|fill\w*|vacat\w*|"
    r"new\s+(?:[A-Za-z-]+\s+){0,3}(?:chief|head|boss|director|president|chairman|chairwoman|secretary|minister|coach|manager|commissioner|leader|editor|officer|executive|ceo)|"
    r"loss\s+of|worked\s+for|has\s+(?:run|led|headed)|other\s+than|not\s+(?:stand|run|seek)|"
    r"made\s+(?:a\s+)?(?:chief|head|director|president|chairman|minister|secretary)|"
    r"won\s+(?:the\s+)?(?:seat|election|race|competition|nomination|vote))",
    re.IGNORECASE)

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "sen", "rep", "gov", "gen", "adm", "col", "capt",
           "lt", "sgt", "prof", "rev", "hon", "inc", "corp", "co", "ltd", "no", "vs", "v", "jan", "feb",
           "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
           "d.c", "e.g", "i.e", "mt", "ft", "messrs", "pres", "dept", "univ", "approx", "est", "calif",
           "mass", "conn", "fla", "ill", "md", "va", "wash", "mich", "penn", "tenn", "ariz", "colo",
           "ore", "okla", "wis", "minn"}
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n+(?![a-z])")
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][A-Za-z.]+\s+\d{1,2})?\s*(?:\([A-Za-z ]+\))?\s*[-—―–]+\s+)")


def has_trigger(text: str) -> bool:
    """True when ``text`` contains any staffing trigger word (the cheap article-level filter)."""
    return bool(text) and _TRIGGER.search(text) is not None


def trigger_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of trigger words in ``text``."""
    return [m.span() for m in _TRIGGER.finditer(text)]


def normalise(text: str) -> str:
    """Undo SGML entities, wire line breaks, ticker brackets and datelines; keep paragraphs."""
    text = html.unescape(html.unescape(text or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    # Reuters-style hard-wrapped lines: join a line that does not end a sentence with the next.
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        prev = out[-1] if out else ""
        ends_abbrev = bool(re.search(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sen|Rep|Gov|Gen|Inc|Corp|Co|Ltd)\.)\s*$", prev))
        if out and prev and stripped and (ends_abbrev or not re.search(r"[.!?:\"”’]\s*$", prev)) \
                and not line.startswith(("    ", "\t")):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(stripped)
    text = "\n".join(out)
    text = re.sub(r"<([^<>\n]{1,80})>", r"\1", text)          # <Company Inc> -> Company Inc
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\s+Reuter\s*$", "", text)
    paras = [_DATELINE.sub("", p, count=1) if i < 2 else p for i, p in enumerate(text.split("\n"))]
    return "\n".join(paras).strip()


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split into (offset, sentence) pairs with abbreviation-aware rules."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + len(m.group(1) or "")
        if "\n" not in m.group(0):
            word = re.search(r"([A-Za-z.]+)\.$", text[max(0, m.start() - 12):m.start()])
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or re.fullmatch(r"[a-z]", w) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                    continue
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            out.append((start + lead, seg.strip()))
        start = m.end()
    seg = text[start:]
    if seg.strip():
        out.append((start + len(seg) - len(seg.lstrip()), seg.strip()))
    return out
