"""Settings: one frozen value, loaded once at the edge from a TOML file, the environment and options.

Rule: ``load()`` is the only reader of configuration; everything else receives a ``Settings`` value.
Later sources win (file < environment < command-line option), and every value that cannot be used
raises ``ConfigError`` naming the setting, the value, where it came from and what is allowed. Each
setting is described once, in ``SETTING_SPECS``; docs/settings.md documents them all (a test checks).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from qbbridge.core.errors import ConfigError
from qbbridge.core.qwc import RUN_EVERY_MINUTES_MAX, RUN_EVERY_MINUTES_MIN
from qbbridge.core.security import LoginPolicy

SECTION = "qbbridge"
ENV_PREFIX = "QBBRIDGE_"
DEFAULT_DATABASE_URL = "sqlite:///qbbridge.db"  # a file in the current directory
DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
ERROR_POLICIES = ("stop", "continue")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything qbbridge's server needs to run; see docs/settings.md for each field."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8080
    batch_size: int = 50
    error_policy: str = "stop"
    update_timeout_seconds: int = 600
    max_body_bytes: int = 32 * 1024 * 1024
    disabled_plugins: tuple[str, ...] = ()
    plugin_modules: tuple[str, ...] = ()
    app_name: str = "qbbridge"
    run_every_minutes: int = 10
    login: LoginPolicy = field(default_factory=LoginPolicy)

    def __repr__(self) -> str:  # kept by @dataclass; hides the database password from logs
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["database_url"] = redact_url(self.database_url)
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and logs)."""
    return re.sub(r"(://[^/@:]*:)[^/?#]*@", r"\1***@", url)  # greedy: an unencoded @ in a password


class _Invalid(ValueError):
    """Raised by a parser; the spec's ``allowed`` text becomes the message."""


# --- parsers: raw value (TOML value or text) -> typed value, or _Invalid ---------------------------


def _integer(low: int, high: int) -> Callable[[object], int]:
    def parse(raw: object) -> int:
        if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise _Invalid
        return raw
    return parse


def _choice(*choices: str) -> Callable[[object], str]:
    def parse(raw: object) -> str:
        value = raw.strip().lower() if isinstance(raw, str) else None
        if value not in choices:
            raise _Invalid
        return value
    return parse


def _word(raw: object) -> str:
    """Non-empty text without spaces or control characters."""
    if not isinstance(raw, str) or not re.fullmatch(r"[^\s\x00-\x1f\x7f]+", raw.strip()):
        raise _Invalid
    return raw.strip()


def _name(raw: object) -> str:
    """Non-empty one-line text (spaces allowed inside)."""
    if not isinstance(raw, str) or not raw.strip() or re.search(r"[\x00-\x1f\x7f]", raw):
        raise _Invalid
    return raw.strip()


def _database_url(raw: object) -> str:
    value = _word(raw)
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in DATABASE_SCHEMES or not rest:
        raise _Invalid
    return value


def _plugin_names(raw: object) -> tuple[str, ...]:
    """A comma-separated string or a list of names; blanks dropped, duplicates removed, order kept."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise _Invalid
    names = [i.strip() for i in items if i.strip()]
    if not all(re.fullmatch(r"[A-Za-z0-9_.-]+", n) for n in names):
        raise _Invalid
    return tuple(dict.fromkeys(names))


def _module_names(raw: object) -> tuple[str, ...]:
    """Like ``_plugin_names``, but each name must be a dotted Python module name (``my_pkg.plugin``)."""
    names = _plugin_names(raw)
    if not all(all(part.isidentifier() for part in n.split(".")) for n in names):
        raise _Invalid
    return names


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One setting: its key (``login.max_failures`` for nested ones), help line, parser and rule."""

    key: str
    help: str
    parse: Callable[[object], Any]
    allowed: str
    env_name: str = ""      # when the variable is not QBBRIDGE_<KEY>
    option_name: str = ""   # when the command-line option is not --<key>

    @property
    def env(self) -> str:
        return self.env_name or ENV_PREFIX + self.key.replace(".", "_").upper()

    @property
    def option(self) -> str:
        return self.option_name or "--" + self.key.replace(".", "-").replace("_", "-")

    @property
    def override_name(self) -> str:
        return self.key.replace(".", "_")


SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("database_url", "SQLAlchemy URL of the store (SQLite file or PostgreSQL).", _database_url,
                f"a database URL starting with one of {', '.join(s + '://' for s in DATABASE_SCHEMES)}"),
    SettingSpec("host", "Address the server listens on.", _word, "a host name or IP address"),
    SettingSpec("port", "TCP port the server listens on (0 picks a free one).", _integer(0, 65535),
                "an integer 0..65535"),
    SettingSpec("batch_size", "Most requests in one message set (1 sends one record at a time).",
                _integer(1, 500), "an integer 1..500"),
    SettingSpec("error_policy", "What QuickBooks does after a failed request in a message set.",
                _choice(*ERROR_POLICIES), "stop or continue"),
    SettingSpec("update_timeout_seconds", "A live update idle longer than this may be taken over.",
                _integer(60, 86400), "an integer 60..86400 (seconds)"),
    SettingSpec("max_body_bytes", "Largest SOAP request body accepted.", _integer(65536, 2**30),
                "an integer 65536..1073741824 (bytes)"),
    SettingSpec("disabled_plugins", "Plugins (by name) not loaded.", _plugin_names,
                "plugin names separated by commas (a list in the file)",
                env_name="QBBRIDGE_DISABLE_PLUGINS", option_name="--disable-plugins"),
    SettingSpec("plugin_modules", "Plugin modules imported by dotted name (plugin name: the last part).",
                _module_names, "dotted Python module names separated by commas (a list in the file)",
                option_name="--plugin"),
    SettingSpec("app_name", "AppName in the .qwc file and the Web Connector's list.", _name,
                "non-empty text on one line"),
    SettingSpec("run_every_minutes", "Web Connector schedule written into the .qwc file.",
                _integer(RUN_EVERY_MINUTES_MIN, RUN_EVERY_MINUTES_MAX),
                f"an integer {RUN_EVERY_MINUTES_MIN}..{RUN_EVERY_MINUTES_MAX} (minutes)"),
    SettingSpec("login.max_failures", "Consecutive failed logins before a user is locked.",
                _integer(1, 1000), "an integer 1..1000"),
    SettingSpec("login.lock_seconds", "First lock's length; doubles with each further failure.",
                _integer(1, 86400), "an integer 1..86400 (seconds)"),
    SettingSpec("login.max_lock_seconds", "Longest lock.", _integer(1, 7 * 86400),
                "an integer 1..604800 (seconds), at least login.lock_seconds"),
)
_BY_KEY = {spec.key: spec for spec in SETTING_SPECS}
_BY_OVERRIDE = {spec.override_name: spec for spec in SETTING_SPECS}
SETTING_SPECS_KEYS = tuple(_BY_KEY)


def default_of(key: str) -> Any:
    """The default value of a setting by key (``batch_size``, ``login.lock_seconds``)."""
    section, _, name = key.rpartition(".")
    return getattr(getattr(Settings(), section) if section else Settings(), name)


def _shown(key: str, raw: object) -> str:
    """``raw`` for a message, written as in TOML (``"ten"``, ``true``, ``["a"]``); passwords masked."""
    if key == "database_url" and isinstance(raw, str):
        raw = redact_url(raw)
    return json.dumps(raw, ensure_ascii=False, default=str)


# --- sources --------------------------------------------------------------------------------------

Raw = dict[str, tuple[object, str]]  # key -> (raw value, where it came from)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {str(path)!r} not found") from exc
    except OSError as exc:
        raise ConfigError(f"config file {str(path)!r} cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {exc}") from exc


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = prefix + name
        is_section = isinstance(value, dict) and any(k.startswith(key + ".") for k in _BY_KEY)
        flat.update(_flatten(value, key + ".") if is_section else {key: value})
    return flat


def _from_file(path: Path) -> Raw:
    document = _read_toml(path)
    unknown = [f"[{k}]" if isinstance(v, dict) else k for k, v in document.items() if k != SECTION]
    section = document.get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"config file {str(path)!r}: {SECTION} must be a table ([{SECTION}])")
    flat = _flatten(section)
    unknown += [f"{SECTION}.{k}" for k in flat if k not in _BY_KEY]
    if unknown:
        known = ", ".join(SETTING_SPECS_KEYS)
        raise ConfigError(f"config file {str(path)!r} has unknown settings: {', '.join(unknown)}. "
                          f"Known settings of [{SECTION}]: {known}")
    return {key: (value, f"config file {str(path)!r}") for key, value in flat.items()}


def _from_env(environ: Mapping[str, str]) -> Raw:
    """``QBBRIDGE_<KEY>`` variables; an empty variable counts as unset."""
    return {spec.key: (environ[spec.env], f"environment variable {spec.env}")
            for spec in SETTING_SPECS if environ.get(spec.env, "").strip()}


def _from_overrides(overrides: Mapping[str, Any]) -> Raw:
    """Keyword overrides by field name (``login_lock_seconds`` for nested ones); None is ignored."""
    raw: Raw = {}
    for name, value in overrides.items():
        if value is None:
            continue
        if name == "login" and isinstance(value, LoginPolicy):
            raw.update({f"login.{f.name}": (getattr(value, f.name), "option login")
                        for f in fields(LoginPolicy)})
            continue
        spec = _BY_OVERRIDE.get(name)
        if spec is None:
            raise TypeError(f"load() got an unknown setting {name!r}")
        raw[spec.key] = (value, f"option {spec.option}")
    return raw


def _parse_all(raw: Raw) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for key, (value, source) in raw.items():
        spec = _BY_KEY[key]
        try:
            parsed[key] = spec.parse(value)
        except _Invalid:
            raise ConfigError(f"setting {key} = {_shown(key, value)} (from {source}) is invalid: "
                              f"it must be {spec.allowed}") from None
    return parsed


def _login_policy(parsed: Mapping[str, Any], raw: Raw) -> LoginPolicy:
    values = {f.name: parsed.get(f"login.{f.name}", default_of(f"login.{f.name}"))
              for f in fields(LoginPolicy)}
    if values["max_lock_seconds"] < values["lock_seconds"]:
        where = {k: raw[k][1] if k in raw else "default"
                 for k in ("login.lock_seconds", "login.max_lock_seconds")}
        raise ConfigError(
            f"setting login.max_lock_seconds = {values['max_lock_seconds']} "
            f"(from {where['login.max_lock_seconds']}) must be at least login.lock_seconds = "
            f"{values['lock_seconds']} (from {where['login.lock_seconds']})")
    return LoginPolicy(**values)


def load(path: Path | None = None, environ: Mapping[str, str] = os.environ, **overrides: Any) -> Settings:
    """Settings from the optional TOML file ``path`` ([qbbridge] table), then ``QBBRIDGE_*`` variables in
    ``environ``, then ``overrides`` (command-line values; None means "not given"). Later sources win.

    Raises ConfigError for an unreadable file, an unknown key in it, or any value that cannot be used;
    TypeError for an override name that is not a setting (a bug in the caller).
    """
    raw: Raw = {}
    if path is not None:
        raw.update(_from_file(Path(path)))
    raw.update(_from_env(environ))
    raw.update(_from_overrides(overrides))
    parsed = _parse_all(raw)
    top = {key: value for key, value in parsed.items() if "." not in key}
    return Settings(**top, login=_login_policy(parsed, raw))
