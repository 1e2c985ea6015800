"""SSRF guard: resolve a host and refuse any address that is not public.

Checked at connect time by ``workers.fetch`` (the checked IP is the one connected
to), so DNS rebinding between check and connect is not possible.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

from workers.model import FetchError

Resolver = Callable[..., list]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_6TO4 = ipaddress.ip_network("2002::/16")
# Shared address space (CGNAT) and benchmarking nets are not "private" in ipaddress
# but are never a news site.
_EXTRA_BLOCKED = tuple(ipaddress.ip_network(n) for n in (
    "100.64.0.0/10", "198.18.0.0/15", "192.0.0.0/24", "0.0.0.0/8", "240.0.0.0/4",
))


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """IPv4 address carried inside an IPv6 one (mapped, NAT64, 6to4, Teredo, compat)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def is_public_address(ip: str | IPAddress) -> bool:
    """True when ``ip`` is a globally routable unicast address.

    False for loopback, private, link-local (169.254.169.254), unique-local,
    multicast, reserved, unspecified, CGNAT, and IPv6 forms that embed such an
    IPv4 address (``::ffff:127.0.0.1``, NAT64, 6to4). Unparseable input is not public.
    """
    try:
        addr = ip if isinstance(ip, (ipaddress.IPv4Address, ipaddress.IPv6Address)) \
            else ipaddress.ip_address(str(ip).strip("[]"))
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            return False
        inner = _embedded_v4(addr)
        if inner is not None:
            return is_public_address(inner)
    if (addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_multicast
            or addr.is_reserved or addr.is_unspecified or not addr.is_global):
        return False
    if isinstance(addr, ipaddress.IPv4Address) and any(addr in n for n in _EXTRA_BLOCKED):
        return False
    return True


def _parse_part(part: str) -> int | None:
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16) if part[2:] else None
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def parse_legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` the way C ``inet_aton`` does (``127.1``, ``0x7f000001``,
    ``2130706433``, ``017700000001``); None when it is not such a number."""
    parts = host.strip().rstrip(".").split(".")
    if not 1 <= len(parts) <= 4 or any(not p for p in parts):
        return None
    nums = [_parse_part(p) for p in parts]
    if any(n is None for n in nums):
        return None
    *head, last = nums
    if any(n > 255 for n in head) or last >= 1 << (8 * (5 - len(parts))):
        return None
    value = 0
    for n in head:
        value = value << 8 | n
    value = value << (8 * (5 - len(parts))) | last
    return ipaddress.IPv4Address(value)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return parse_legacy_ipv4(host)


def _allowed(addr: IPAddress, networks: tuple) -> bool:
    return any(addr.version == n.version and addr in n for n in networks)


def resolve_public(host: str, port: int, *, allow_private: bool = False,
                   resolver: Resolver = socket.getaddrinfo,
                   allow_networks: Iterable[str] = ()) -> list[str]:
    """Resolve ``host`` and return its IP addresses, refusing non-public ones.

    Numeric hosts (also ``127.1``-style legacy forms) are read without the
    resolver. ``allow_networks`` lets chosen networks through (e.g. a test server
    on ``127.0.0.1/32``); ``allow_private`` lets every address through.
    Raises ``FetchError("private_address")`` if any address is refused, and
    ``FetchError("dns_error")`` (transient unless the name is invalid) on failure.
    """
    host = (host or "").strip().strip("[]")
    if not host:
        raise FetchError("dns_error", "empty host name")
    literal = _literal(host)
    if literal is not None:
        addrs = [literal]
    else:
        try:
            infos = resolver(host, port, 0, socket.SOCK_STREAM)
        except UnicodeError as exc:
            raise FetchError("dns_error", f"invalid host name {host!r}: {exc}") from exc
        except (socket.gaierror, socket.herror, OSError) as exc:
            raise FetchError("dns_error", f"{host}: {exc}", transient=True) from exc
        addrs = []
        for info in infos:
            raw = info[4][0] if isinstance(info, tuple) else info
            try:
                addrs.append(ipaddress.ip_address(str(raw)))
            except ValueError:
                raise FetchError("dns_error", f"{host}: resolver gave {raw!r}") from None
        if not addrs:
            raise FetchError("dns_error", f"{host}: no address", transient=True)
    networks = tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks)
    out: list[str] = []
    for addr in addrs:
        if not (allow_private or is_public_address(addr) or _allowed(addr, networks)):
            raise FetchError("private_address", f"{host} resolves to {addr}")
        if str(addr) not in out:
            out.append(str(addr))
    return out
