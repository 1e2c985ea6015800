"""The command line as people use it: checked input (one-line errors, exit 2, nothing written),
the store each command uses, defaults loaded once, --json, export filters, show, --version."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidewatch import cli
from httpserver import Route
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RSS = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """In-process CLI on a data dir of its own; the default watchlist, and only local feeds."""
    for k in list(os.environ):
        if k.startswith("AIDEWATCH_"):
            monkeypatch.delenv(k)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "seed articles"\npath = "%s"\n' % (SEEDS / "feed.xml"))
    monkeypatch.setenv("AIDEWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIDEWATCH_FEEDS_FILE", str(feeds))
    monkeypatch.setenv("AIDEWATCH_LOG_LEVEL", "WARNING")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # argparse
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code, err, *words):
    assert code == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    for w in words:
        assert w in lines[-1], err


def sub(tmp_path, *args, **extra) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    e.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT),
             AIDEWATCH_FEEDS_FILE=str(tmp_path / "feeds.toml"), AIDEWATCH_LOG_LEVEL="WARNING", **extra)
    return subprocess.run([sys.executable, "-m", "aidewatch.cli", *args], env=e, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)


# --- the store each command uses, defaults once ----------------------------------------------

def test_read_only_commands_never_create_a_store(env, capsys):
    for args in (["status"], ["feeds", "list"], ["watch", "list"], ["export", "events"], ["show", "x"]):
        code, _out, err = run(capsys, *args)
        one_line_error(code, err, "no store at", str(env / "data" / "aidewatch.db"))
    assert not (env / "data" / "aidewatch.db").exists()


def test_defaults_loaded_once_and_removals_stick(env, capsys):
    code, out, err = run(capsys, "watch", "remove", "Simon Fletcher")
    assert code == 2  # no store yet: a removal does not create one
    assert run(capsys, "watch", "add", "Ann Lee")[0] == 0  # creates the store: defaults loaded
    code, out, _ = run(capsys, "watch", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["Ann Lee", "Karie Murphy", "Simon Fletcher"]
    assert run(capsys, "watch", "remove", "simon fletcher")[0] == 0  # any case
    assert run(capsys, "watch", "remove", "KARIE MURPHY")[0] == 0
    assert run(capsys, "feeds", "remove", "seed articles")[0] == 0
    code, out, _ = run(capsys, "watch", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["Ann Lee"]
    code, out, _ = run(capsys, "feeds", "list", "--json")
    assert json.loads(out) == []  # an empty list stays empty
    store = Store(f"sqlite:///{env}/data/aidewatch.db")
    assert "defaults_loaded" in store.info()


def test_data_dir_option_and_store_in_messages(env, capsys, tmp_path):
    other = tmp_path / "elsewhere"
    code, out, _ = run(capsys, "--data-dir", str(other), "watch", "add", "Ann Lee")
    assert code == 0 and str(other / "aidewatch.db") in out
    assert (other / "aidewatch.db").exists() and not (env / "data").exists()


def test_help_version_and_descriptions(env, capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "AIDEWATCH_DATABASE_URL" in out and f"store: {env / 'data' / 'aidewatch.db'}" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("aidewatch ") and out.strip() != "aidewatch"
    parser = cli._parser()
    actions = [a for a in parser._actions if a.dest == "command"][0]
    for name, p in actions.choices.items():
        assert p.description, name
        for a in p._actions:
            if getattr(a, "choices", None) and isinstance(a.choices, dict):
                for child_name, child in a.choices.items():
                    assert child.description, f"{name} {child_name}"


# --- feeds ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["feeds", "add", "x", "https://"], ["has no host"]),
    (["feeds", "add", "x", "https://exa mple.org/rss"], ["spaces"]),
    (["feeds", "add", "x", "ftp://example.org/rss"], ["not an http(s) URL"]),
    (["feeds", "add", "", "https://example.org/rss"], ["must not be empty"]),
    (["feeds", "add", "x", "https://example.org/rss", "--interval", "-5"], ["must be above 0"]),
    (["feeds", "add", "x", "https://example.org/rss", "--interval", "0"], ["must be above 0"]),
    (["feeds", "add", "x", "https://example.org/rss", "--interval", "soon"], ["not a number"]),
    (["feeds", "add", "x", "/no/such/feed.xml"], ["no such feed file"]),
    (["feeds", "remove", "nope"], []),
    (["watch", "add", "  "], ["must not be empty"]),
    (["watch", "add", "Ann\x00Lee"], ["control characters"]),
    (["watch", "import", "/no/such.toml"], ["no such file"]),
    (["export", "events", "--since", "yesterday"], ["not a date"]),
    (["run", "--concurrency", "0"], ["at least 1"]),
    (["backfill", "ftp://example.org/x"], ["http(s) URL"]),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(env, capsys, args, words):
    assert run(capsys, "watch", "add", "Ann Lee")[0] == 0  # a store exists
    store = Store(f"sqlite:///{env}/data/aidewatch.db")
    before = (store.list_feeds(), store.watchlist())
    code, _out, err = run(capsys, *args)
    one_line_error(code, err, *words)
    assert (store.list_feeds(), store.watchlist()) == before


def test_feeds_add_names_from_title_refuses_duplicates_and_replaces(env, capsys, http_server, monkeypatch):
    monkeypatch.setenv("AIDEWATCH_ALLOW_PRIVATE_ADDRESSES", "1")
    url = http_server.route("/rss.xml", Route(body=b"<?xml version='1.0'?><rss version='2.0'><channel>"
                                                   b"<title>Local Politics</title><item><guid>1</guid>"
                                                   b"<title>t</title></item></channel></rss>", headers=RSS))
    code, out, err = run(capsys, "feeds", "add", url)
    assert code == 0 and "'Local Politics' added" in out, err
    one_line_error(*run(capsys, "feeds", "add", url)[::2], "exists already", "--replace")
    one_line_error(*run(capsys, "feeds", "add", "local politics", str(SEEDS / "feed.xml"))[::2], "exists already")
    code, out, _ = run(capsys, "feeds", "add", "Local Politics", url, "--interval", "5", "--replace")
    assert code == 0 and "replaced" in out
    code, out, _ = run(capsys, "feeds", "list", "--json")
    mine = [f for f in json.loads(out) if f["name"] == "Local Politics"]
    assert mine[0]["interval_minutes"] == 5 and mine[0]["url"] == url and mine[0]["health"] == "new"
    assert len([f for f in json.loads(out) if f["url"] == url]) == 1


def test_secrets_in_urls_are_masked(env, capsys, monkeypatch):
    monkeypatch.setenv("AIDEWATCH_DATABASE_URL", "postgresql://bob:hunter2@127.0.0.1:1/x")
    code, _out, err = run(capsys, "status")
    one_line_error(code, err, "postgresql://bob:***@127.0.0.1:1/x")
    assert "hunter2" not in err
    monkeypatch.setenv("AIDEWATCH_DATABASE_URL", "mysql://bob:hunter2@db/x")
    code, _out, err = run(capsys, "status")
    one_line_error(code, err, "unsupported database")
    assert "hunter2" not in err
    monkeypatch.delenv("AIDEWATCH_DATABASE_URL")
    monkeypatch.setenv("AIDEWATCH_BROKER_URL", "amqp://bob:hunter2@mq//")
    code, _out, err = run(capsys, "status")
    one_line_error(code, err, "unsupported broker")
    assert "hunter2" not in err


@pytest.mark.parametrize("name, value, words", [
    ("AIDEWATCH_FETCH_TIMEOUT", "abc", ["AIDEWATCH_FETCH_TIMEOUT", "not a number"]),
    ("AIDEWATCH_WORKER_CONCURRENCY", "2.5", ["AIDEWATCH_WORKER_CONCURRENCY", "whole number"]),
    ("AIDEWATCH_BEAT_SECONDS", "0", ["AIDEWATCH_BEAT_SECONDS", "above 0"]),
    ("AIDEWATCH_LOG_LEVEL", "LOUD", ["AIDEWATCH_LOG_LEVEL"]),
])
def test_bad_setting_is_a_clear_error(env, capsys, monkeypatch, name, value, words):
    monkeypatch.setenv(name, value)
    code, _out, err = run(capsys, "watch", "list")
    one_line_error(code, err, *words)


# --- watch ------------------------------------------------------------------------------------

def test_watch_names_any_case_and_re_adding_keeps_aliases(env, capsys, tmp_path):
    assert run(capsys, "watch", "add", "Jane Doe", "--alias", "Ms Doe", "--org", "Acme")[0] == 0
    code, out, _ = run(capsys, "watch", "add", "jane doe", "--alias", "J. Doe")
    assert code == 0 and "already watching Jane Doe" in out
    code, out, _ = run(capsys, "watch", "list", "--json")
    jane = [p for p in json.loads(out) if p["name"] == "Jane Doe"]
    assert jane == [{"name": "Jane Doe", "aliases": ["Ms Doe", "J. Doe"], "organisations": ["Acme"]}]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[people]]\nname = "New Person"\n[[people]]\nname = ""\n')
    one_line_error(*run(capsys, "watch", "import", str(bad))[::2], "'name' is required")
    _, out, _ = run(capsys, "watch", "list", "--json")
    assert "New Person" not in out  # the file is checked whole before anything is written
    good = tmp_path / "good.toml"
    good.write_text('[[people]]\nname = "JANE DOE"\naliases = ["Dr Doe"]\n')
    assert run(capsys, "watch", "import", str(good), "--replace")[0] == 0
    _, out, _ = run(capsys, "watch", "list", "--json")
    assert json.loads(out) == [{"name": "Jane Doe", "aliases": ["Dr Doe"], "organisations": []}]


# --- export, show, status --json --------------------------------------------------------------

def _backfill_seeds(tmp_path):
    meta = {m["id"]: m for m in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if m}
    src = tmp_path / "archive.jsonl"
    src.write_text("".join(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"),
                                       "outlet": meta[p.stem]["outlet"], "published": meta[p.stem]["published"]}) + "\n"
                           for p in sorted(SEEDS.glob("*.txt"))))
    res = sub(tmp_path, "backfill", str(src), "--quiet")
    assert res.returncode == 0, res.stderr[-2000:]
    return res


def test_export_filters_output_file_show_and_status_json(tmp_path):
    (tmp_path / "feeds.toml").write_text("")
    _backfill_seeds(tmp_path)
    everything = [json.loads(x) for x in sub(tmp_path, "export", "events").stdout.splitlines()]
    assert everything
    res = sub(tmp_path, "export", "events", "--person", "karie murphy", "--since", "2017-02-18",
              "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert res.returncode == 0 and res.stdout == ""
    import csv
    rows = list(csv.DictReader((tmp_path / "out.csv").open()))
    want = [e for e in everything if e["person"] == "Karie Murphy" and e["reported"] >= "2017-02-18"]
    assert len(want) < len([e for e in everything if e["person"] == "Karie Murphy"])  # the date filtered
    assert rows and {r["id"] for r in rows} == {e["id"] for e in want}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".aidewatch-")]
    ev = want[0]
    shown = sub(tmp_path, "show", ev["id"])
    assert shown.returncode == 0 and ev["person"] in shown.stdout
    assert all((s["url"] or s["article_id"]) in shown.stdout for s in ev["sources"])
    assert json.loads(sub(tmp_path, "show", ev["id"], "--json").stdout) == ev
    missing = sub(tmp_path, "show", "no-such-event")
    assert missing.returncode == 2 and "no event" in missing.stderr
    st = json.loads(sub(tmp_path, "status", "--json").stdout)
    assert st["store"] == str(tmp_path / "data" / "aidewatch.db") and st["events"] == len(everything)
    assert st["articles"]["processed"] == 3 and set(st["queues"]) >= {"poll", "backfill"}
    assert sub(tmp_path, "status").stdout.startswith(f"Store: {tmp_path / 'data' / 'aidewatch.db'}")
