"""workers.netguard: address classification and guarded resolution (no connections)."""
from __future__ import annotations

import socket

import pytest

from workers.model import FetchError
from workers.netguard import is_public_address, parse_legacy_ipv4, resolve_public


def resolver_for(*ips: str, error: Exception | None = None):
    """Fake getaddrinfo: returns ``ips`` for any name, or raises ``error``."""
    calls = []

    def resolve(host, port, family=0, type=0, proto=0, flags=0):
        calls.append(host)
        if error is not None:
            raise error
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (ip, port)) for ip in ips]

    resolve.calls = calls
    return resolve


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Nothing in this module may open a socket connection."""
    def refuse(*args, **kwargs):
        raise AssertionError("netguard tests must not connect")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("ip", [
    "127.0.0.1", "127.5.5.5", "10.0.0.1", "172.16.3.4", "192.168.1.1", "169.254.169.254",
    "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "240.0.0.1", "::1", "::",
    "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1", "[::ffff:127.0.0.1]",
    "not-an-ip", "",
])
def test_not_public(ip):
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", ["8.8.8.8", "151.101.0.81", "2606:4700::1111",
                                "::ffff:8.8.8.8", "2a00:1450:4009:81f::200e"])
def test_public(ip):
    assert is_public_address(ip)


@pytest.mark.parametrize("host", ["0x7f000001", "2130706433", "017700000001", "127.1",
                                  "0177.0.0.1", "0x7f.0.0.1", "127.0.0.1.", "[::ffff:127.0.0.1]",
                                  "::ffff:127.0.0.1", "0", "0x0a000001", "169.254.169.254",
                                  "[fd00::1]", "0xA9FEA9FE"])
def test_numeric_hosts_refused_without_resolver(host):
    resolver = resolver_for("8.8.8.8")  # would say "public" if it were asked
    with pytest.raises(FetchError) as err:
        resolve_public(host, 80, resolver=resolver)
    assert err.value.reason == "private_address" and not err.value.transient
    assert resolver.calls == []


@pytest.mark.parametrize("host", ["0x7f000001", "2130706433", "017700000001", "127.1"])
def test_numeric_forms_match_the_os_resolver(host):
    """Our reading of legacy forms agrees with the OS (getaddrinfo does no network here)."""
    os_ip = socket.getaddrinfo(host, 80, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    assert str(parse_legacy_ipv4(host)) == os_ip == "127.0.0.1"


@pytest.mark.parametrize("host", ["example", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "0x", "1..2"])
def test_not_legacy_ipv4(host):
    assert parse_legacy_ipv4(host) is None


@pytest.mark.parametrize("ip", ["169.254.169.254", "10.1.2.3", "127.0.0.1", "::1",
                                "::ffff:127.0.0.1", "fd00::5", "0.0.0.0"])
def test_names_resolving_to_private_refused(ip):
    with pytest.raises(FetchError) as err:
        resolve_public("news.example", 443, resolver=resolver_for(ip))
    assert err.value.reason == "private_address"


def test_any_private_answer_refuses_the_host():
    with pytest.raises(FetchError):
        resolve_public("mixed.example", 80, resolver=resolver_for("8.8.8.8", "10.0.0.1"))


def test_public_answers_returned_deduplicated():
    got = resolve_public("news.example", 80, resolver=resolver_for("8.8.8.8", "8.8.8.8",
                                                                     "2606:4700::1111"))
    assert got == ["8.8.8.8", "2606:4700::1111"]


def test_localhost_name_refused_by_real_resolver():
    with pytest.raises(FetchError) as err:
        resolve_public("localhost", 80)
    assert err.value.reason == "private_address"


def test_allow_private_and_allow_networks():
    assert resolve_public("127.0.0.1", 80, allow_private=True) == ["127.0.0.1"]
    assert resolve_public("127.0.0.1", 80, allow_networks=("127.0.0.1/32",)) == ["127.0.0.1"]
    with pytest.raises(FetchError):
        resolve_public("127.0.0.2", 80, allow_networks=("127.0.0.1/32",))


def test_dns_failure_is_transient():
    gai = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    with pytest.raises(FetchError) as err:
        resolve_public("nowhere.example", 80, resolver=resolver_for(error=gai))
    assert err.value.reason == "dns_error" and err.value.transient


def test_empty_answer_and_empty_host():
    with pytest.raises(FetchError) as err:
        resolve_public("void.example", 80, resolver=resolver_for())
    assert err.value.reason == "dns_error"
    with pytest.raises(FetchError) as err:
        resolve_public("", 80)
    assert err.value.reason == "dns_error"
