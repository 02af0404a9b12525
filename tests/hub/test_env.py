import pytest

from hub.settings.env import ConfigError, env_bool, env_int, env_list, env_str


def test_missing_required_variable_names_it(monkeypatch):
    monkeypatch.delenv("HUB_EXAMPLE", raising=False)

    with pytest.raises(ConfigError, match="HUB_EXAMPLE is required"):
        env_str("HUB_EXAMPLE", required=True)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("False", False), ("", True)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("HUB_FLAG", raw)

    assert env_bool("HUB_FLAG", default=True) is expected


def test_env_bool_rejects_other_words(monkeypatch):
    monkeypatch.setenv("HUB_FLAG", "maybe")

    with pytest.raises(ConfigError, match="HUB_FLAG must be true or false"):
        env_bool("HUB_FLAG")


@pytest.mark.parametrize(("raw", "message"), [("ten", "whole number"), ("-1", "at least 0")])
def test_env_int_rejects_bad_values(monkeypatch, raw, message):
    monkeypatch.setenv("HUB_NUMBER", raw)

    with pytest.raises(ConfigError, match=message):
        env_int("HUB_NUMBER", 5, minimum=0)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HUB_HOSTS", " a.example, b.example ,,")

    assert env_list("HUB_HOSTS", []) == ["a.example", "b.example"]


def test_settings_create_the_var_folder_of_a_fresh_checkout(tmp_path):
    import os
    import subprocess
    import sys

    var_dir = tmp_path / "fresh" / "var"
    env = {**os.environ, "HUB_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "hub.settings.dev"}

    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, check=True)

    assert var_dir.is_dir()
