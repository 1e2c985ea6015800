"""The per-host request limit counts the server too: two names of one server (its address and
port) share one limit, in Redis and in the store; different servers do not."""
from __future__ import annotations

import pytest

from pipeline_env import inprocess
from tasks import hostlimit


def test_server_of_gives_one_key_per_server():
    assert hostlimit.server_of("localhost", 8080) == hostlimit.server_of("127.0.0.1", 8080) == "127.0.0.1:8080"
    assert hostlimit.server_of("127.0.0.1", 8081) == "127.0.0.1:8081"
    assert hostlimit.server_of("::ffff:127.0.0.1", 80) == "127.0.0.1:80"

    def resolver(host, port, *_):  # a name with two addresses: the lowest stands for the server
        return [(2, 1, 6, "", ("198.51.100.9", port)), (2, 1, 6, "", ("198.51.100.7", port))]
    assert hostlimit.server_of("two.example", 443, resolver) == "198.51.100.7:443"

    def fails(*_):
        raise OSError("no such name")
    assert hostlimit.server_of("nowhere.example", 80, fails) is None


def test_limit_keys():
    assert hostlimit.limit_keys("http://LocalHost:8080/a") == ["localhost", "@127.0.0.1:8080"]
    assert hostlimit.limit_keys("https://127.0.0.1/a") == ["127.0.0.1", "@127.0.0.1:443"]
    assert hostlimit.limit_keys(None) == [] and hostlimit.limit_keys("not a url") == []


@pytest.mark.parametrize("where", ["store", "redis"])
def test_two_names_of_one_server_share_its_limit(where, tmp_path, request):
    env = {"AIDEWATCH_HOST_CONCURRENCY": 1}
    if where == "redis":
        env["AIDEWATCH_BROKER_URL"] = request.getfixturevalue("fresh_redis")
    with inprocess(tmp_path, **env):
        with hostlimit.host_slot("http://localhost:8080/feed.xml") as got:
            assert got
            with hostlimit.host_slot("http://127.0.0.1:8080/page.html") as other_name:
                assert not other_name  # the same server under another name
            with hostlimit.host_slot("http://127.0.0.1:8081/page.html") as other_server:
                assert other_server  # another server (port) of that address
        # everything was given back, including the name slot of a refused request
        with hostlimit.host_slot("http://127.0.0.1:8080/page.html") as again:
            assert again
        with hostlimit.host_slot("http://localhost:8080/x") as a, hostlimit.host_slot("http://localhost:8080/y") as b:
            assert a and not b
