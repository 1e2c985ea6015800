"""feeds.toml and watchlist.toml loaders, including the project's seed files."""
from __future__ import annotations

from pathlib import Path

import pytest

from workers.config_files import load_feeds_toml, load_watchlist_toml
from workers.model import WatchPerson

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write(tmp_path: Path, text: str, name: str = "f.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_seed_feeds():
    feeds = load_feeds_toml(SEEDS / "feeds.toml")
    seed = feeds[0]
    assert seed["name"] == "seed articles" and seed["url"] is None
    assert Path(seed["path"]) == (SEEDS / "feed.xml").resolve()
    assert seed["alert_max_age_days"] == 0
    urls = [f["url"] for f in feeds[1:]]
    assert any("bbc" in u for u in urls) and any("theguardian" in u for u in urls)
    assert any("huffingtonpost.co.uk" in u for u in urls)
    assert all(f["path"] is None and f["interval_minutes"] >= 1 for f in feeds[1:])


def test_seed_watchlist():
    people = load_watchlist_toml(SEEDS / "watchlist.toml")
    assert people == [WatchPerson("Simon Fletcher", ("Mr Fletcher",), ("Labour",)),
                      WatchPerson("Karie Murphy", ("Ms Murphy",), ("Labour",))]


def test_feed_defaults_and_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "local.xml").write_text("<rss/>")
    p = write(tmp_path, '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
                        '[[feeds]]\nname = "B"\npath = "sub/local.xml"\ninterval_minutes = 5\n'
                        'alert_max_age_days = 3\n')
    assert load_feeds_toml(p) == [
        {"name": "A", "url": "https://a.example/rss", "path": None, "interval_minutes": 15,
         "alert_max_age_days": None},
        {"name": "B", "url": None, "path": str((tmp_path / "sub" / "local.xml").resolve()),
         "interval_minutes": 5, "alert_max_age_days": 3},
    ]


def test_empty_files_give_empty_lists(tmp_path):
    assert load_feeds_toml(write(tmp_path, "")) == []
    assert load_watchlist_toml(write(tmp_path, "# nothing\n", "w.toml")) == []


@pytest.mark.parametrize("body, message", [
    ('[[feeds]]\nurl = "https://a.example/"\n', "entry #1: 'name' is required"),
    ('[[feeds]]\nname = "A"\n', "'A'"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\npath = "x.xml"\n', "exactly one"),
    ('[[feeds]]\nname = "A"\nurl = "ftp://a.example/"\n', "http(s) URL"),
    ('[[feeds]]\nname = "A"\nurl = "file:///etc/passwd"\n', "http(s) URL"),
    ('[[feeds]]\nname = "A"\npath = "missing.xml"\n', "is not a file"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\ninterval_minutes = 0\n', "interval_minutes"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\ninterval_minutes = "5"\n', "interval_minutes"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\nalert_max_age_days = -1\n', "alert_max_age_days"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\nintervall = 5\n', "unknown key"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/"\n[[feeds]]\nname = "A"\nurl = "https://b.example/"\n',
     "entry #2 ('A'): duplicate"),
    ('feeds = "x"\n', "array of tables"),
    ('[[feed]]\nname = "A"\n', "unknown top-level"),
    ('[[feeds]\nname = "A"\n', "invalid TOML"),
])
def test_bad_feeds(tmp_path, body, message):
    with pytest.raises(ValueError) as e:
        load_feeds_toml(write(tmp_path, body))
    assert message in str(e.value)
    assert "f.toml" in str(e.value)


@pytest.mark.parametrize("body, message", [
    ('[[people]]\naliases = ["X"]\n', "'name' is required"),
    ('[[people]]\nname = "A B"\naliases = "Mr B"\n[[people]]\nname = "a b"\n', "entry #2 ('a b'): duplicate"),
    ('[[people]]\nname = "A B"\naliases = [1]\n', "'aliases' must be a list"),
    ('[[people]]\nname = "A B"\norganisations = [""]\n', "'organisations' must be a list"),
    ('[[people]]\nname = "A B"\nemail = "x"\n', "unknown key"),
])
def test_bad_watchlist(tmp_path, body, message):
    with pytest.raises(ValueError) as e:
        load_watchlist_toml(write(tmp_path, body, "w.toml"))
    assert message in str(e.value) and "w.toml" in str(e.value)


def test_single_string_alias_is_accepted(tmp_path):
    p = write(tmp_path, '[[people]]\nname = " Jane Doe "\naliases = "Ms Doe"\n', "w.toml")
    assert load_watchlist_toml(p) == [WatchPerson("Jane Doe", ("Ms Doe",), ())]


def test_missing_file_is_an_oserror(tmp_path):
    with pytest.raises(OSError):
        load_feeds_toml(tmp_path / "nope.toml")


def test_seed_feed_is_current_and_parses():
    import importlib.util

    import feedparser

    spec = importlib.util.spec_from_file_location("make_feed", SEEDS / "make_feed.py")
    make_feed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_feed)
    xml = (SEEDS / "feed.xml").read_text(encoding="utf-8")
    assert xml == make_feed.build(SEEDS), "seeds/feed.xml is stale: run python seeds/make_feed.py"
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert not parsed.bozo
    stems = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert [e.id for e in parsed.entries] == stems
    assert [e.publisher for e in parsed.entries] == ["HuffPost UK", "The Herald", "HuffPost UK"]
    assert [e.published_parsed[:3] for e in parsed.entries] == [(2017, 2, 17), (2017, 2, 18), (2018, 3, 19)]
    assert all(not e.get("link") and e.title for e in parsed.entries)
    first = parsed.entries[0].content[0].value
    assert first.startswith("<p>One of Jeremy Corbyn") and first.count("<p>") >= 10
    assert "date 2018-03-19" not in parsed.entries[2].content[0].value
