"""Settings loading (qbbridge.core.config): defaults, sources and their order, errors, documentation."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from qbbridge.core.config import SETTING_SPECS, Settings, default_of, load, redact_url
from qbbridge.core.errors import ConfigError
from qbbridge.core.security import LoginPolicy

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "qbbridge.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_source():
    settings = load(None, {})
    assert settings == Settings()
    assert (settings.database_url, settings.host, settings.port, settings.batch_size) == (
        "sqlite:///qbbridge.db", "127.0.0.1", 8080, 50)
    assert (settings.error_policy, settings.update_timeout_seconds, settings.app_name,
            settings.run_every_minutes, settings.disabled_plugins) == ("stop", 600, "qbbridge", 10, ())
    assert settings.login == LoginPolicy(max_failures=5, lock_seconds=60, max_lock_seconds=3600)


def test_the_file_is_read_including_the_login_table(tmp_path):
    path = write(tmp_path, """
[qbbridge]
batch_size = 10
error_policy = "continue"
disabled_plugins = ["parts", "classes"]
[qbbridge.login]
max_failures = 3
""")
    settings = load(path, {})
    assert (settings.batch_size, settings.error_policy, settings.disabled_plugins) == (
        10, "continue", ("parts", "classes"))
    assert settings.login == LoginPolicy(max_failures=3)


def test_environment_beats_file_and_options_beat_environment(tmp_path):
    path = write(tmp_path, "[qbbridge]\nbatch_size = 10\nport = 9000\nhost = '0.0.0.0'\n")
    environ = {"QBBRIDGE_BATCH_SIZE": "20", "QBBRIDGE_PORT": "9100"}
    settings = load(path, environ, batch_size=30, port=None)
    assert (settings.batch_size, settings.port, settings.host) == (30, 9100, "0.0.0.0")


def test_database_url_comes_from_its_environment_variable():
    url = "postgresql+psycopg://qb@db.internal/qbbridge"
    assert load(None, {"QBBRIDGE_DATABASE_URL": url}).database_url == url


def test_disable_plugins_variable_is_comma_separated_trimmed_and_deduplicated():
    settings = load(None, {"QBBRIDGE_DISABLE_PLUGINS": " parts, invoices,,parts "})
    assert settings.disabled_plugins == ("parts", "invoices")


def test_an_empty_variable_counts_as_unset():
    assert load(None, {"QBBRIDGE_BATCH_SIZE": "  ", "QBBRIDGE_HOST": ""}) == Settings()


def test_login_overrides_by_flat_name_or_whole_policy():
    assert load(None, {}, login_lock_seconds=30).login == LoginPolicy(lock_seconds=30)
    policy = LoginPolicy(max_failures=2, lock_seconds=10, max_lock_seconds=20)
    assert load(None, {"QBBRIDGE_LOGIN_MAX_FAILURES": "9"}, login=policy).login == policy


@pytest.mark.parametrize(("source", "key", "value", "shown", "where", "allowed"), [
    ("env", "QBBRIDGE_BATCH_SIZE", "0", '"0"', "environment variable QBBRIDGE_BATCH_SIZE", "integer 1..500"),
    ("env", "QBBRIDGE_PORT", "http", '"http"', "environment variable QBBRIDGE_PORT", "integer 0..65535"),
    ("file", "batch_size", '"ten"', '"ten"', "config file", "integer 1..500"),
    ("file", "batch_size", "true", "true", "config file", "integer 1..500"),
    ("file", "update_timeout_seconds", "5", "5", "config file", "60..86400"),
    ("file", "disabled_plugins", '["a b"]', '["a b"]', "config file", "plugin names"),
    ("option", "error_policy", "sometimes", '"sometimes"', "option --error-policy", "stop or continue"),
    ("option", "run_every_minutes", 0, "0", "option --run-every-minutes", "1..1440"),
    ("option", "app_name", " ", '" "', "option --app-name", "non-empty"),
    ("env", "QBBRIDGE_LOGIN_MAX_FAILURES", "-1", '"-1"', "environment variable QBBRIDGE_LOGIN_MAX_FAILURES",
     "1..1000"),
])
def test_a_bad_value_names_setting_value_source_and_rule(tmp_path, source, key, value, shown, where, allowed):
    path, environ, overrides = None, {}, {}
    if source == "env":
        environ[key] = value
    elif source == "file":
        path = write(tmp_path, f"[qbbridge]\n{key} = {value}\n")
    else:
        overrides[key] = value
    with pytest.raises(ConfigError) as info:
        load(path, environ, **overrides)
    message = str(info.value)
    name = next(s.key for s in SETTING_SPECS if key in (s.env, s.key, s.override_name))
    assert f"setting {name} = {shown} (from {where}" in message and allowed in message


def test_unknown_keys_in_the_file_are_named(tmp_path):
    path = write(tmp_path, "[qbbridge]\nbatchsize = 5\n[qbbridge.login]\nbogus = 1\n[other]\nx = 1\n")
    with pytest.raises(ConfigError) as info:
        load(path, {})
    message = str(info.value)
    assert "qbbridge.batchsize" in message and "qbbridge.login.bogus" in message and "[other]" in message
    assert "batch_size" in message  # the known names help with the typo


def test_a_missing_file_and_invalid_toml_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "absent.toml", {})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(write(tmp_path, "[qbbridge\n"), {})


def test_a_database_password_never_appears_in_messages_or_repr():
    with pytest.raises(ConfigError) as info:
        load(None, {"QBBRIDGE_DATABASE_URL": "mysql://qb:s3cr3t@db/qb"})
    assert "s3cr3t" not in str(info.value) and "mysql://qb:***@db/qb" in str(info.value)
    settings = load(None, {"QBBRIDGE_DATABASE_URL": "postgresql://qb:s3@cr3t@db/qb"})
    assert settings.database_url == "postgresql://qb:s3@cr3t@db/qb"
    assert "s3" not in repr(settings).replace("sqlite", "") and "qb:***@db/qb" in repr(settings)


def test_redact_url_leaves_urls_without_password_alone():
    assert redact_url("sqlite:///qbbridge.db") == "sqlite:///qbbridge.db"
    assert redact_url("postgresql://qb@db/qb") == "postgresql://qb@db/qb"


def test_a_lock_cap_below_the_first_lock_names_both_settings():
    with pytest.raises(ConfigError) as info:
        load(None, {"QBBRIDGE_LOGIN_LOCK_SECONDS": "7200"})
    message = str(info.value)
    assert "login.max_lock_seconds = 3600 (from default)" in message
    assert "login.lock_seconds = 7200 (from environment variable QBBRIDGE_LOGIN_LOCK_SECONDS)" in message


def test_an_unknown_override_is_a_caller_bug():
    with pytest.raises(TypeError, match="batchsize"):
        load(None, {}, batchsize=5)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().port = 1  # type: ignore[misc]  # the point of the test


def test_every_setting_has_exactly_one_spec():
    top = [f.name for f in dataclasses.fields(Settings) if f.name != "login"]
    login = [f"login.{f.name}" for f in dataclasses.fields(LoginPolicy)]
    assert sorted(spec.key for spec in SETTING_SPECS) == sorted(top + login)


def test_every_setting_is_documented_with_its_variable_and_default():
    text = DOCS.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| `")}
    for spec in SETTING_SPECS:
        row = rows.get(f"`{spec.key}`")
        assert row is not None, f"{spec.key} is missing from {DOCS}"
        assert f"`{spec.env}`" in row and f"`{spec.option}`" in row, spec.key
        default = default_of(spec.key)
        assert (f"`{default}`" in row) if default != () else ("none" in row), spec.key


def test_config_qwc_and_security_import_neither_sqlalchemy_nor_spyne():
    code = ("import sys, qbbridge.core.config, qbbridge.core.qwc, qbbridge.core.security; "
            "print([m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'spyne')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
