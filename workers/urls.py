"""URL normalisation: canonical form for identity, host and outlet names."""
from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from courlan.clean import TRACKERS_RE as _COURLAN_TRACKERS
from courlan.urlutils import extract_domain

# Tracking parameters courlan does not catch (it covers utm_*, fbclid, gclid, *_source...).
_EXTRA_TRACKERS = frozenset({
    "ocid", "cmp", "cmpid", "cmp_id", "smid", "smtyp", "mbid", "ito", "itm", "spm",
    "_ga", "_gl", "_hsenc", "_hsmi", "__twitter_impression", "igshid", "si", "s_cid",
    "sr_share", "share", "shared", "soc_src", "soc_trk", "taid", "guccounter",
    "guce_referrer", "guce_referrer_sig", "ns_campaign", "ns_mchannel", "ns_source",
    "ns_linkname", "ns_fee", "at_medium", "at_campaign", "at_custom1", "at_custom2",
    "at_custom3", "at_custom4", "wt.mc_id", "wt.mc_ev", "mkt_tok", "trk", "trkcampaign",
    "ftag", "cid", "rss", "feedtype", "feedname", "ncid", "sc_cid", "cmpgn", "vero_id",
    "oly_enc_id", "oly_anon_id", "rb_clickid", "mc_cid", "mc_eid", "dm_i", "ei", "__s",
})
_EXTRA_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "at_", "ns_", "wt.", "__")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WWW = re.compile(r"^www\d*\.")


def _is_tracker(name: str) -> bool:
    low = name.lower()
    return (low in _EXTRA_TRACKERS or low.startswith(_EXTRA_PREFIXES)
            or bool(_COURLAN_TRACKERS.search(low)))


def _norm_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host or host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _norm_path(path: str) -> str:
    if not path:
        return "/"
    norm = posixpath.normpath(re.sub(r"/{2,}", "/", path))
    if path.endswith("/") and not norm.endswith("/"):
        norm += "/"
    norm = "/" + norm.lstrip("/") if norm != "." else "/"
    # Percent-encode what must be encoded; leave existing escapes alone.
    return quote(norm, safe="/%!$&'()*+,;=:@~-._")


def canonical_url(url: str) -> str:
    """Canonical form of an absolute URL, for identity and dedup.

    Lower-cases scheme and host (IDN to punycode), drops default port, fragment,
    ``//`` and dot segments, removes tracking parameters (utm_*, fbclid, gclid,
    ocid, cmp...) and sorts the rest. Raises ``ValueError`` on a URL without host.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _norm_host(parts.hostname or "")
    if not scheme or not host:
        raise ValueError(f"not an absolute URL: {url!r}")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"bad port in URL: {url!r}") from exc
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username is not None:
        cred = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{cred}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracker(k)]
    query.sort(key=lambda kv: kv[0])
    return urlunsplit((scheme, netloc, _norm_path(parts.path), urlencode(query), ""))


def host_of(url: str) -> str:
    """Lower-case host of ``url`` (no port, no brackets); ``""`` when there is none."""
    try:
        return _norm_host(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


def outlet_from_url(url: str) -> str | None:
    """Readable outlet name from the URL's registered domain, e.g. ``"bbc.co.uk"``.

    Falls back to the host without ``www.``; None when the URL has no usable host
    or the host is an IP address or a single label such as ``localhost``.
    """
    host = host_of(url)
    if not host or "." not in host or re.fullmatch(r"[\d.]+|[0-9a-f:]+", host):
        return None
    domain = extract_domain(f"https://{host}/")
    return domain or _WWW.sub("", host)
