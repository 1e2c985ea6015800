"""Every setting is documented in the README's settings list, and read from the environment."""
from pathlib import Path

from aidewatch import settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name in settings.SETTINGS if f"`{name}`" not in text]
    assert not missing, f"settings missing from README.md: {missing}"


def test_defaults_are_embedded(tmp_path):
    s = settings.load({"AIDEWATCH_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path}/aidewatch.db"
    assert s.broker_url == "filesystem://"
    assert s.allow_private_addresses is False
    assert s.alert_urls == ()


def test_environment_overrides(tmp_path):
    s = settings.load({"AIDEWATCH_DATA_DIR": str(tmp_path), "AIDEWATCH_ALERT_URLS": "json://a/x, json://b/y",
                       "AIDEWATCH_ALLOW_PRIVATE_ADDRESSES": "1", "AIDEWATCH_BROKER_URL": "redis://127.0.0.1/1"})
    assert s.alert_urls == ("json://a/x", "json://b/y")
    assert s.allow_private_addresses is True
    assert s.broker_url == "redis://127.0.0.1/1"
